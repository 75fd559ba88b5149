"""The door every page passes: is this user allowed on this page? Used by app.py and page headers.

app.py checks before it runs a page; each page checks again as it draws its header (through
`page_header`/`page_start`), so a page reached some other way still refuses.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType

import streamlit as st

from dashboard import identity
from dashboard.navigation import VIEW_FILES
from dashboard.roles import User

VIEWS = Path(__file__).resolve().parent.parent / "views"
_BY_FILE = {Path(f).name: page for page, f in VIEW_FILES.items()}


def contact() -> str:
    try:
        return identity.roles_file().contact
    except ValueError:
        return "the Case Management Coordinator"


def no_role_sentence(user: User) -> str:
    return f"You are signed in as {user.name} but hold no popdash role; ask {contact()} to add you to the roles file."


def refusal_sentence() -> str:
    return f"Your role does not include this page; ask {contact()} if you need it."


def refuse(user: User | None, page: str) -> None:
    """Say no in one sentence, record it, and stop the page."""
    if user is None:
        st.error("Nobody is signed in; open the dashboard's first page to sign in.", icon=":material/lock:")
    else:
        st.error(no_role_sentence(user) if not user.roles else refusal_sentence(), icon=":material/lock:")
    identity.record("denied", user, page=page)
    st.stop()


def allowed(user: User | None, page: str) -> bool:
    return user is not None and user.may_open(page)


def _calling_view() -> str | None:
    """The page whose view script is running (found on the call stack), or None."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        file = Path(frame.f_code.co_filename)
        if file.parent.name == "views" and file.name in _BY_FILE:
            return _BY_FILE[file.name]
        frame = frame.f_back
    return None


def require() -> None:
    """Stop the running view unless the current user may open it (fails closed when unknown)."""
    page = _calling_view()
    user = identity.current_user()
    if page is None or not allowed(user, page):
        refuse(user, page or "unknown")
