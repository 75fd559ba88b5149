"""The dashboard's pages: URL path -> view script under dashboard/.

No Streamlit here, so the page tests and the page benchmark share one list with the app.
"""
from __future__ import annotations

VIEW_FILES: dict[str, str] = {
    "morning": "views/morning.py",
    "briefing": "views/briefing.py",
    "explore": "views/explore.py",
    "designations": "views/designations.py",
    "capacity": "views/capacity.py",
    "program-review": "views/program_review.py",
    "data": "views/data.py",
    "national": "views/national.py",
}
