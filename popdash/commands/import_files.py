"""`popdash import FILE...`: validate exports and keep them in the history store (data-contract.md).

Each file is its own transaction; its line is printed and flushed the moment it has committed,
so what the command printed is always in the store, even when the command is killed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from loaders.store import DEMO_REFUSAL, ImportOutcome, Store, demo_store_path, resolve_store_path
from popdash.errors import InputError

OK = ("imported", "replaced", "unchanged")


def _say(o: ImportOutcome) -> None:
    if o.status == "unusable":
        where = "" if o.source_name in o.message else f"{o.source_name}: "
        print(f"popdash import: {where}{o.message}", file=sys.stderr, flush=True)
    else:
        print(f"{o.source_name}: {o.message}", flush=True)


def run(args: Any) -> int:
    """One line per file; 0 when all are stored or unchanged, 1 when any is refused, 2 when any is unusable."""
    path = resolve_store_path(args.store)
    if path.resolve() == demo_store_path().resolve():
        raise InputError(DEMO_REFUSAL)  # sample data is never mixed with real data
    store = Store(path)

    def on_outcome(o: ImportOutcome) -> None:
        _say(o)
        _audit(path, o)

    outcomes = store.import_files(
        args.files,
        kind=args.kind,
        facility=args.facility,
        as_of=args.as_of,
        allow_rejects=args.allow_rejects,
        allow_empty=args.allow_empty,
        on_outcome=on_outcome,
    )
    if any(o.status in ("imported", "replaced") for o in outcomes):
        _precompute(store)
    if any(o.status == "unusable" for o in outcomes):
        return 2
    return 0 if all(o.status in OK for o in outcomes) else 1


def _audit(path: Path, o: ImportOutcome) -> None:
    """A file written into the store goes into its audit log as the local operator (checksum, no rows)."""
    from loaders.audit import local_operator, record

    if o.status in ("imported", "replaced"):
        record(
            path,
            "import",
            local_operator(),
            "operator",
            file=o.source_name,
            kind=o.kind,
            as_of=o.as_of,
            rows=(o.report or {}).get("rows_accepted"),
            sha256=o.sha256,
            via="command line",
        )


def _precompute(store: Store) -> None:
    """The figures the dashboard and `popdash brief` would otherwise compute on first view, kept now
    for the new store version (reports.kept). The files are stored whatever happens here."""
    from reports.kept import precompute

    try:
        precompute(store)
    except Exception as exc:  # noqa: BLE001 - the import itself has committed; say so in one sentence
        print(
            f"popdash import: the files are stored; the dashboard's figures will be computed on first view "
            f"({type(exc).__name__}).",
            file=sys.stderr,
            flush=True,
        )
