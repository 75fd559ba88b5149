"""popdash: the Streamlit entry point. Who is looking, their navigation, the store in use, the SAMPLE DATA banner.

Run with `popdash serve [--store PATH]` (which sets $POPDASH_STORE), or
`streamlit run dashboard/app.py` on the demo store.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Literal

import streamlit as st

from dashboard import cached as data
from dashboard import identity
from dashboard.components import gate
from dashboard.components.safe_text import code_literal, md
from dashboard.components.widgets import sample_banner, show_error
from dashboard.navigation import DEFAULT_PAGE, PAGES, Page
from dashboard.roles import User
from loaders.store import Store
from reports.theme import fmt_date

HERE = Path(__file__).parent

# The favicon ships with the package: a ":material/...:" icon here makes every browser fetch
# it from a public font host.
st.set_page_config(page_title="popdash", page_icon=HERE / "assets" / "favicon.png", layout="wide")


def _forward(target: st.Page, url: str) -> st.Page:
    """A hidden page at `url` that opens `target` (the default page lives at the root URL only)."""

    def go() -> None:
        st.switch_page(target)

    return st.Page(go, title=target.title, url_path=url, visibility="hidden")


def _first(user: User) -> Page:
    """The user's default page: the first of theirs in the navigation."""
    return next(p for p in PAGES if user.may_open(p.url))


def _url_path(page: Page) -> str:
    # The default page is served at the root URL only; /morning (the address the README and
    # shared links use) is a hidden page that forwards there, so it opens without "Page not found".
    return f"{page.url}-check" if page.url == DEFAULT_PAGE else page.url


def navigation(user: User) -> dict[str, list[st.Page]]:
    """The user's pages in the sidebar; every other page is registered hidden, so typing its URL
    reaches the gate and its one-sentence refusal instead of "Page not found"."""
    first = _first(user)
    nav: dict[str, list[st.Page]] = {}
    for p in PAGES:
        pages = nav.setdefault(p.section, [])
        url = _url_path(p)
        if p is first:
            home_url = url if url != p.url else f"{p.url}-home"
            home = st.Page(HERE / p.view, title=p.title, icon=p.icon, url_path=home_url, default=True)
            pages += [home, _forward(home, p.url)]
        else:
            shown: Literal["visible", "hidden"] = "visible" if user.may_open(p.url) else "hidden"
            pages.append(st.Page(HERE / p.view, title=p.title, icon=p.icon, url_path=url, visibility=shown))
            if url != p.url:  # /morning forwards to /morning-check, which refuses this user
                pages.append(_forward(pages[-1], p.url))
    return nav


def _page_key(page: st.Page, user: User) -> str:
    """The PAGES url of a page from st.navigation (the default page has no URL path of its own)."""
    url = page.url_path or ""
    if not url:
        return _first(user).url
    for p in PAGES:
        if url in (p.url, _url_path(p), f"{p.url}-home"):
            return p.url
    return url


def _sidebar(store: Store, user: User) -> None:
    """Which store is in use and how fresh it is, and who is looking: the first things to check."""
    with st.sidebar:
        fac = data.facility()
        st.markdown(f"### {md(fac.facility.name)}")
        latest = data.latest_as_of("population")
        st.markdown(f"Population as of **{fmt_date(latest)}**" if latest else "No population snapshot yet")
        label = "Demo store (sample data)" if store.is_sample else "Store"
        st.caption(f"{label}: {code_literal(data.store_path())}")
        _who(user)


def _who(user: User) -> None:
    m = identity.mode()
    if m == "local":
        st.caption("Local mode, no sign-in: you are the local CMC user, and only this computer can open the dashboard.")
    elif m == "insecure":
        st.caption("Sign-in is off on a network address.")
    else:
        st.caption(md(f"Signed in as {user.name} ({user.role_label.replace('_', ' ')})"))
        if m == "oidc" and st.button("Sign out", key="sign_out", icon=":material/logout:"):
            identity.record("sign-out", user)
            st.session_state.pop("_popdash_signed_in", None)
            st.logout()


def _insecure_banner() -> None:
    address = os.environ.get(identity.ADDRESS_ENV, "a network address")
    st.error(
        f"Sign-in is off and popdash listens on {address}: anyone who can reach it sees every inmate's identity.",
        icon=":material/lock_open:",
    )


def _sign_in_screen() -> None:
    st.title("popdash")
    if identity.mode() == "proxy":
        st.error(
            "No signed-in user came from the reverse proxy in front of popdash; open it through the proxy's address.",
            icon=":material/lock:",
        )
        return
    st.markdown("This dashboard holds personal data: sign in with your agency account.")
    if st.button("Sign in", type="primary", icon=":material/login:"):
        st.login()


def _signed_in(user: User) -> None:
    """The first page this session sees with a user: a sign-in line in the audit log."""
    if st.session_state.get("_popdash_signed_in") != user.name:
        st.session_state["_popdash_signed_in"] = user.name
        if identity.mode() in ("oidc", "proxy"):
            identity.record("sign-in", user)


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
    identity.start_run()
    try:
        user = identity.current_user()
    except Exception as exc:  # noqa: BLE001 - a broken auth or roles file is one sentence
        show_error(exc, "reading the sign-in settings")
        st.stop()
    if identity.mode() == "insecure":
        _insecure_banner()
    if user is None:
        _sign_in_screen()
        st.stop()
    _signed_in(user)
    if not user.pages:
        st.title("popdash")
        gate.refuse(user, "any")
    page = st.navigation(navigation(user), position="sidebar")
    key = _page_key(page, user)
    try:
        store = data.store()
        if store.is_sample:
            sample_banner()
        _sidebar(store, user)
    except Exception as exc:  # noqa: BLE001 - an unusable store is one sentence, not a traceback
        show_error(exc, "opening the store")
        st.stop()
    if not gate.allowed(user, key):
        gate.refuse(user, key)
    try:
        page.run()
    except Exception as exc:  # noqa: BLE001 - the last line of defence on a shared screen
        show_error(exc, f"page {page.url_path or 'morning'}")
    identity.log_view(user, key)
    _log_script_time(page, started)


main()
