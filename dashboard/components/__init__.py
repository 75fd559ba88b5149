"""Reusable widgets and charts of the pages. Figure builders here import no Streamlit, so they
can be tested without a page; the briefing's own charts are reports/briefing/charts.py."""
