"""popdash: the Streamlit entry point. Navigation, the store in use, the SAMPLE DATA banner.

Run with `popdash serve [--store PATH]` (which sets $POPDASH_STORE), or
`streamlit run dashboard/app.py` on the demo store.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboard import cached as data
from reports.theme import fmt_date
from dashboard.components.widgets import sample_banner, show_error
from dashboard.navigation import DEFAULT_PAGE, PAGES

HERE = Path(__file__).parent

st.set_page_config(page_title="popdash", page_icon=":material/domain:", layout="wide")


def _forward_to(target: st.Page) -> Callable[[], None]:
    def forward() -> None:
        st.switch_page(target)

    return forward


def _nav() -> dict[str, list[st.Page]]:
    """The menu, built from the one list of pages (dashboard.navigation.PAGES)."""
    nav: dict[str, list[st.Page]] = {}
    for page in PAGES:
        if page.url == DEFAULT_PAGE:
            # The default page is served at the root URL only; /morning (the address the README
            # and shared links use) is a hidden page that forwards there, so it opens without
            # "Page not found".
            default = st.Page(HERE / page.view, title=page.title, icon=page.icon, url_path=f"{page.url}-check",
                              default=True)
            forward = st.Page(_forward_to(default), title=page.title, url_path=page.url, visibility="hidden")
            nav.setdefault(page.section, []).extend([default, forward])
        else:
            nav.setdefault(page.section, []).append(
                st.Page(HERE / page.view, title=page.title, icon=page.icon, url_path=page.url))
    return nav


NAV = _nav()


def _sidebar(store) -> None:
    """Which store is in use and how fresh it is: the first thing to check on any screen."""
    with st.sidebar:
        fac = data.facility()
        st.markdown(f"### {fac.facility.name}")
        latest = data.latest_as_of("population")
        st.markdown(f"Population as of **{fmt_date(latest)}**" if latest else "No population snapshot yet")
        label = "Demo store (sample data)" if store.is_sample else "Store"
        st.caption(f"{label}: `{data.store_path()}`")


def main() -> None:
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


main()
