"""Pure analytics over the loaders' canonical frames: no Streamlit, no I/O, no clock.

Import the function from its module (`from analytics.flags import evaluate_flags`): one
module per concept, so the module a figure comes from is the first thing a reader sees.
The read side (`reports/`) calls these for the pages, the commands and the briefing.
"""
