"""The dashboard's pages, in menu order: the one list app.py, the page tests and the page benchmark use.

No Streamlit here, so tests and benchmarks can read it without starting a page.
"""

from __future__ import annotations

from typing import NamedTuple


class Page(NamedTuple):
    """One page of the menu: its address, its view script under dashboard/, how the menu shows it."""

    url: str  # /<url> opens it; the default page is also served at the root
    view: str  # path of its script, relative to dashboard/
    title: str
    icon: str
    section: str  # the menu heading it sits under


DEFAULT_PAGE = "morning"

PAGES: tuple[Page, ...] = (
    Page("morning", "views/morning.py", "Morning check", ":material/wb_sunny:", "Today"),
    Page("briefing", "views/briefing.py", "Briefing", ":material/co_present:", "Today"),
    Page("designations", "views/designations.py", "Designations", ":material/move_down:", "Population"),
    Page("capacity", "views/capacity.py", "Capacity", ":material/stacked_bar_chart:", "Population"),
    Page("national", "views/national.py", "National", ":material/public:", "Population"),
    Page("explore", "views/explore.py", "Explore", ":material/manage_search:", "Questions"),
    Page("program-review", "views/program_review.py", "Program Review", ":material/fact_check:", "Questions"),
    Page("data", "views/data.py", "Data", ":material/database:", "Store"),
)

VIEW_FILES: dict[str, str] = {page.url: page.view for page in PAGES}
