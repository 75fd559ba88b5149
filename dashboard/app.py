"""popdash: the Streamlit entry point. Navigation, the store in use, the SAMPLE DATA banner.

Run with `popdash serve [--store PATH]` (which sets $POPDASH_STORE), or
`streamlit run dashboard/app.py` on the demo store.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import streamlit as st

from dashboard import data
from dashboard.components.safe_text import code_literal, md
from dashboard.components.theme import fmt_date
from dashboard.components.widgets import sample_banner, show_error

HERE = Path(__file__).parent
VIEWS = HERE / "views"

# The favicon ships with the package: a ":material/...:" icon here makes every browser fetch
# it from a public font host.
st.set_page_config(page_title="popdash", page_icon=HERE / "assets" / "favicon.png", layout="wide")


def _page(name: str, title: str, icon: str, url: str, default: bool = False) -> st.Page:
    return st.Page(VIEWS / f"{name}.py", title=title, icon=icon, url_path=url, default=default)


# The default page is served at the root URL only; /morning (the address the README and
# shared links use) is a hidden page that forwards there, so it opens without "Page not found".
MORNING = _page("morning", "Morning check", ":material/wb_sunny:", "morning-check", default=True)


def _to_morning() -> None:
    st.switch_page(MORNING)


NAV = {
    "Today": [
        MORNING,
        st.Page(_to_morning, title="Morning check", url_path="morning", visibility="hidden"),
        _page("briefing", "Briefing", ":material/co_present:", "briefing"),
    ],
    "Population": [
        _page("designations", "Designations", ":material/move_down:", "designations"),
        _page("capacity", "Capacity", ":material/stacked_bar_chart:", "capacity"),
        _page("national", "National", ":material/public:", "national"),
    ],
    "Questions": [
        _page("explore", "Explore", ":material/manage_search:", "explore"),
        _page("program_review", "Program Review", ":material/fact_check:", "program-review"),
    ],
    "Store": [
        _page("data", "Data", ":material/database:", "data"),
    ],
}


def _sidebar(store) -> None:
    """Which store is in use and how fresh it is: the first thing to check on any screen."""
    with st.sidebar:
        fac = data.facility()
        st.markdown(f"### {md(fac.facility.name)}")
        latest = data.latest_as_of("population")
        st.markdown(f"Population as of **{fmt_date(latest)}**" if latest else "No population snapshot yet")
        label = "Demo store (sample data)" if store.is_sample else "Store"
        st.caption(f"{label}: {code_literal(data.store_path())}")


def _log_script_time(page: st.Page, started: float) -> None:
    """With $POPDASH_TIMING_LOG set (bench/bench_sessions.py), one line per script run: the
    page, the server-side seconds and the session, so load is measured where it is spent."""
    target = os.environ.get("POPDASH_TIMING_LOG")
    if not target:
        return
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    line = f"{page.url_path or 'morning'}\t{time.perf_counter() - started:.4f}\t{ctx.session_id if ctx else '-'}\n"
    with open(target, "a", encoding="utf-8") as log:  # one short append per run: lines stay whole
        log.write(line)


def main() -> None:
    started = time.perf_counter()
    page = st.navigation(NAV, position="sidebar")
    try:
        store = data.store()
        if store.is_sample:
            sample_banner()
        _sidebar(store)
    except Exception as exc:  # noqa: BLE001 - an unusable store is one sentence, not a traceback
        show_error(exc, "opening the store")
        st.stop()
    try:
        page.run()
    except Exception as exc:  # noqa: BLE001 - the last line of defence on a shared screen
        show_error(exc, f"page {page.url_path or 'morning'}")
    _log_script_time(page, started)


main()
