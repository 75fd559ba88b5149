"""Say in words, on a page, that a source a figure needs is missing or older than the roster.

The words are `reports.sources.source_gap`'s (one copy for the pages, the briefing and the
commands); this module only places them on a page.
"""

from __future__ import annotations

import streamlit as st

from dashboard import cached as data
from dashboard.components.safe_text import md
from reports import sources


def gap(kind: str) -> str | None:
    """Why `kind` cannot back today's figures ("no designations export in the store"), or None."""
    return sources.source_gap(kind, data.latest_as_of(kind), data.latest_as_of("population"))


def note(kind: str, consequence: str) -> bool:
    """Show the gap of `kind` and what it means for this page's figures; True when there is one."""
    why = gap(kind)
    if why is None:
        return False
    st.warning(md(f"{sources.sentence(why)} {consequence}"), icon=":material/database:")
    return True


def missing_page(kind: str, consequence: str) -> str:
    """The sentence a page shows instead of its figures when the store holds no `kind` at all."""
    return f"{sources.sentence(sources.source_gap(kind, None, None) or '')} {consequence}"
