"""Who is looking, and what of the data they may see.

`current_user()` is the one place the dashboard learns who the user is (tests replace it):
- local mode (no auth.toml; `popdash serve` on 127.0.0.1): one local user with the cmc role;
- insecure mode (`--insecure-no-sign-in`): the same, and every page says sign-in is off;
- oidc: Streamlit's st.user after st.login, roles from the e-mail address and groups claim;
- proxy: the user and groups headers a signing-in reverse proxy sets (loopback listener only).

`visible(frame)` removes identities (names, register numbers, birth dates) from the data for a
user who may not see them; `note_shown` counts the identities a page showed, for the audit log.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.roles import User
from loaders import audit
from loaders.auth_config import ROLES_FILE, RolesFile, load_auth, load_roles, roles_for

MODE_ENV = "POPDASH_AUTH_MODE"
ADDRESS_ENV = "POPDASH_ADDRESS"
LOCAL_USER = "local"
IDENTITY_COLUMNS = ("register_number", "last_name", "first_name", "birth_date")
# Columns that hold a whole source line or a rejected value: they can carry any of the above.
_RAW_COLUMNS = ("source_line",)
_SHOWN = "_popdash_shown_ids"


def store_path() -> Path:
    from dashboard import cached as data

    return Path(data.store_path())


def mode() -> str:
    """local, insecure, oidc or proxy: as `popdash serve` decided, else from the store's auth.toml."""
    given = os.environ.get(MODE_ENV)
    if given:
        return given
    cfg = load_auth(store_path())
    return cfg.mode if cfg else "local"


@st.cache_resource(max_entries=4)
def _roles(path: str, mtime: float) -> RolesFile:
    roles = load_roles(path)
    # Read again because it changed (or at first use): the log gets its checksum when it is new.
    audit.record_if_changed(path, Path(path) / ROLES_FILE, "roles-changed", "popdash", "system")
    return roles


def roles_file() -> RolesFile:
    """The store's roles file, read again whenever it changes on disk."""
    path = store_path() / ROLES_FILE
    return _roles(str(store_path()), path.stat().st_mtime if path.exists() else 0.0)


def _groups(value: object, separator: str = ",") -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [g.strip() for g in value.split(separator) if g.strip()]
    try:
        return [str(g).strip() for g in value if str(g).strip()]  # type: ignore[attr-defined]
    except TypeError:
        return [str(value)]


def current_user() -> User | None:
    """The user of this session, or None when nobody is signed in yet."""
    m = mode()
    if m in ("local", "insecure"):
        return User(LOCAL_USER, frozenset({"cmc"}))
    cfg = load_auth(store_path())
    if cfg is None:
        return None  # told to sign in, but the settings are gone: nobody gets in
    if m == "proxy" and cfg.proxy is not None:
        headers = st.context.headers
        name = (headers.get(cfg.proxy.user_header) or "").strip()
        if not name:
            return None
        groups = _groups(headers.get(cfg.proxy.groups_header), cfg.proxy.groups_separator)
        email = name if "@" in name else None
    elif m == "oidc" and cfg.oidc is not None:
        if not st.user.is_logged_in:
            return None
        claim = st.user.get("email")
        email = claim if isinstance(claim, str) else None  # only a text claim is an address
        name = str(email or st.user.get("sub") or "").strip()
        if not name:
            return None
        groups = _groups(st.user.get(cfg.oidc.groups_claim))
    else:
        return None
    held, grant = roles_for(roles_file(), email or name, groups)
    return User(name, held, grant)


def record(event: str, user: User | None = None, **details: object) -> None:
    """One line in the store's audit log for this user (a failure to write is said, not hidden)."""
    who = user or current_user()
    audit.record(store_path(), event, who.name if who else "(nobody)", who.role_label if who else "none", **details)


def visible(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as the current user may see it: without identity columns unless their role allows them.

    Removed from the data itself (a new frame), so nothing in the browser can turn them back on.
    """
    user = current_user()
    if user is not None and user.sees_identities:
        return frame
    drop = [c for c in (*IDENTITY_COLUMNS, *_RAW_COLUMNS) if c in frame.columns]
    out = frame.drop(columns=drop) if drop else frame
    if {"column", "value"} <= set(out.columns):
        # A loader error row names the column of a rejected value: blank it when it is an identity.
        hide = out["column"].astype("string").str.lower().isin(IDENTITY_COLUMNS).fillna(False)
        out = out.assign(value=out["value"].astype("object").where(~hide, "(personal data)"))
    return out


def note_shown(frame: pd.DataFrame) -> None:
    """Count the register numbers a page put on the screen (kept for this run only, never logged)."""
    if "register_number" not in frame.columns or frame.empty:
        return
    shown = st.session_state.setdefault(_SHOWN, set())
    shown.update(map(str, frame["register_number"].dropna().tolist()))  # tolist: an Arrow column iterates slowly


def start_run() -> None:
    st.session_state[_SHOWN] = set()


def log_view(user: User, page: str) -> None:
    """After a page drew identities: who saw how many, once per page and count in a session."""
    count = len(st.session_state.get(_SHOWN, ()))
    if not count:
        return
    last = st.session_state.get("_popdash_last_view")
    if last == (page, count):
        return
    st.session_state["_popdash_last_view"] = (page, count)
    record("view-identities", user, page=page, identities_shown=count)


def logged(make: Callable[[], bytes | str], file: str, page: str, rows: int | None = None) -> Callable[[], bytes]:
    """A download button's data callable that records the download (file, rows, SHA-256) when clicked.

    Who and where are read now: the callable runs outside the page's script run, where the
    session's user cannot be read.
    """
    user, store = current_user(), store_path()
    name, role = (user.name, user.role_label) if user else ("(nobody)", "none")

    def build() -> bytes:
        body = make()
        raw = body.encode("utf-8") if isinstance(body, str) else body
        audit.record(
            store, "download", name, role, page=page, file=file, rows=rows, sha256=hashlib.sha256(raw).hexdigest()
        )
        return raw

    return build
