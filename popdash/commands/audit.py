"""`popdash audit`: print the store's audit log, filtered, and verify its hash chain."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from loaders.audit import AuditError, audit_path, entries, verify
from loaders.store import resolve_store_path
from popdash.errors import InputError

# Shown in this order after the time, user, role and event; the rest follow as key=value.
_SKIP = {"time", "user", "role", "event", "prev", "hash"}


def _since(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--since must be a date like 2026-11-22, not {text!r}.") from None


def _text(number: int, e: dict[str, Any]) -> str:
    rest = " ".join(f"{k}={e[k]}" for k in e if k not in _SKIP)
    return f"{number:>6}  {e.get('time', '')}  {e.get('user', '')} ({e.get('role', '')})  {e.get('event', '')}  {rest}".rstrip()


def run(args: Any) -> int:
    """Exit 0; with --verify, 1 when the chain is broken (the first bad line is named)."""
    store = resolve_store_path(args.store)
    if not store.is_dir():
        raise InputError(f"no store at {store}.")
    since = _since(args.since)
    try:
        shown = []
        for number, e in entries(store):
            if since and str(e.get("time", ""))[:10] < since.isoformat():
                continue
            if args.user and str(e.get("user", "")).lower() != args.user.strip().lower():
                continue
            shown.append((number, e))
        verdict = verify(store) if args.verify else None
    except AuditError as exc:
        raise InputError(str(exc)) from None
    if args.format == "json":
        out: dict[str, Any] = {"log": str(audit_path(store)), "events": [{"line": n, **e} for n, e in shown]}
        if verdict is not None:
            out["verify"] = {
                "ok": verdict.ok,
                "lines": verdict.lines,
                "bad_line": verdict.bad_line,
                "reason": verdict.reason,
            }
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        if not audit_path(store).exists():
            print(f"No audit log yet at {audit_path(store)}.")
        for number, e in shown:
            print(_text(number, e))
        if verdict is not None:
            print(verdict.sentence())
    return 1 if verdict is not None and not verdict.ok else 0
