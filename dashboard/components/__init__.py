"""Reusable widgets and charts. Modules here that build figures import no Streamlit,
so the briefing export can draw the same charts."""
