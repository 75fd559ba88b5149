"""`popdash import FILE...`: validate exports and keep them in the history store (data-contract.md)."""
from __future__ import annotations

import sys
from typing import Any

from loaders.config import ConfigError
from loaders.store import DEMO_REFUSAL, Store, StoreError, demo_store_path, resolve_store_path
from popdash.errors import InputError

OK = ("imported", "replaced", "unchanged")


def run(args: Any) -> int:
    """One line per file; 0 when all are stored or unchanged, 1 when any is refused, 2 when any is unusable."""
    path = resolve_store_path(args.store)
    if path.resolve() == demo_store_path().resolve():
        raise InputError(DEMO_REFUSAL)  # sample data is never mixed with real data
    try:
        store = Store(path)
        outcomes = store.import_files(
            args.files, kind=args.kind, facility=args.facility, as_of=args.as_of, allow_rejects=args.allow_rejects
        )
    except (StoreError, ConfigError) as exc:
        raise InputError(str(exc)) from None
    _audit(path, outcomes)
    unusable = [o for o in outcomes if o.status == "unusable"]
    for o in outcomes:
        if o.status == "unusable":
            where = "" if o.source_name in o.message else f"{o.source_name}: "
            print(f"popdash import: {where}{o.message}", file=sys.stderr)
        else:
            print(f"{o.source_name}: {o.message}")
    if unusable:
        return 2
    return 0 if all(o.status in OK for o in outcomes) else 1


def _audit(path, outcomes) -> None:
    """Each file written into the store, in its audit log, as the local operator (checksums, no rows)."""
    from loaders.audit import record, local_operator

    for o in outcomes:
        if o.status in ("imported", "replaced"):
            record(path, "import", local_operator(), "operator", file=o.source_name, kind=o.kind,
                   as_of=o.as_of, rows=(o.report or {}).get("rows_accepted"), sha256=o.sha256, via="command line")
