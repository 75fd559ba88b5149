"""Helpers for the AppTest page tests: run a page of the real app against a store."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard.navigation import VIEW_FILES

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PAGES = VIEW_FILES


def run_page(page: str, query: dict[str, str | list[str]] | None = None, timeout: float = 60) -> AppTest:
    """Run the app on one page (POPDASH_STORE must already point at the store).

    One script run, as a browser opening /<page> makes: the run asks for the page by the hash
    st.Page gives its URL path (what `switch_page` resolves after a first run of the default page,
    a second, whole run saved). Checked after a run that reached the navigation: the page that ran
    is the one asked for.
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if page == "morning":
        return at.run()
    at._page_hash = calc_hash(page)
    at.run()
    if any("url_pathname" in info for info in at._registered_pages.values()):  # the app reached its navigation
        ran = at._finished_page_script_hash
        assert ran == calc_hash(page), f"asked for /{page}, the app ran another page ({ran})"
    return at


def page_text(at: AppTest) -> str:
    """Every piece of text a page drew (markdown, metrics, captions, alerts)."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        parts.append(f"{m.label}: {m.value} {m.delta or ''}")
    return "\n".join(parts)


def assert_clean(at: AppTest) -> None:
    """No exception and no error box on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
