"""`popdash events add|list|enable|disable|delete`: the store's planned events (docs/scenarios.md)."""

from __future__ import annotations

import getpass
import json
from argparse import Namespace

from popdash.errors import InputError
from popdash.store_option import open_store


def _who(given: str | None) -> str | None:
    if given:
        return given.strip()[:80]
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers: leave it blank, not invented
        return None


def run(args: Namespace) -> int:
    from loaders.events import (
        EventError,
        add_events,
        check_units,
        delete_event,
        list_events,
        read_events_file,
        set_enabled,
    )

    store = open_store(args.store)
    try:
        if args.action == "add":
            events = read_events_file(args.file)
            try:
                check_units(events, store.facility().unit_levels)
            except ValueError as exc:
                if isinstance(exc, EventError):
                    raise
                raise InputError(
                    "the store has no facility file, so unit events cannot be checked; import with --facility first."
                ) from None
            ids = add_events(store, events, _who(args.by))
            for e, new_id in zip(events, ids):
                _audit(store.path, "add", new_id, e.kind, e.date.isoformat())
            names = sorted({e.scenario for e in events})
            print(f"stored {len(ids)} planned event(s) in scenario(s) {', '.join(names)}.")
            return 0
        if args.action == "list":
            _print_list(list_events(store, scenario=args.scenario), args.format)
            return 0
        if args.action in ("enable", "disable"):
            e = set_enabled(store, args.id, args.action == "enable")
            _audit(store.path, f"switch-{'on' if args.action == 'enable' else 'off'}", args.id, e.kind, str(e.date))
            print(f"event {args.id} ({e.name}) is now {'on' if args.action == 'enable' else 'off'}.")
            return 0
        e = delete_event(store, args.id)
        _audit(store.path, "delete", args.id, e.kind, str(e.date))
        print(f"event {args.id} ({e.name}) deleted.")
        return 0
    except EventError as exc:
        raise InputError(str(exc).rstrip(".") + ".") from None


def _audit(store: object, action: str, event_id: int, kind: str, day: str) -> None:
    """A change to the plans goes into the store's audit log as the local operator (fields, never the name)."""
    from loaders.audit import local_operator, record

    record(
        str(store),
        "planned-event",
        local_operator(),
        "operator",
        action=action,
        event_id=event_id,
        kind=kind,
        date=day,
        via="command line",
    )


def _print_list(events: list, fmt: str) -> None:
    rows = [
        {
            "id": e.id,
            "scenario": e.scenario,
            "name": e.name,
            "kind": e.kind,
            "date": e.date.isoformat(),
            "enabled": e.enabled,
            "what": e.describe(),
            "entered_by": e.entered_by,
            "entered_at": e.entered_at.isoformat(sep=" ") if e.entered_at else None,
        }
        for e in events
    ]
    if fmt == "json":
        print(json.dumps(rows))
        return
    if not rows:
        print("no planned events; add some with popdash events add FILE.toml (docs/scenarios.md).")
        return
    for scenario in dict.fromkeys(r["scenario"] for r in rows):
        print(f"scenario {scenario}")
        for r in (r for r in rows if r["scenario"] == scenario):
            state = "on " if r["enabled"] else "off"
            by = f" (entered by {r['entered_by']} {r['entered_at']} UTC)" if r["entered_by"] else ""
            print(f"  {r['id']:>4}  {state}  {r['name']}: {r['what']}{by}")
