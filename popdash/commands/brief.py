"""`popdash brief --out FILE.pdf|FILE.pptx`: the Warden's briefing as a file to circulate."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from popdash.errors import InputError
from popdash.store_option import open_store

if TYPE_CHECKING:
    from loaders.store import Store
    from reports.briefing import Briefing

WRITERS = (".pdf", ".pptx")


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--as-of must be a date like 2026-11-22, not {text!r}.") from None


def _briefing(store: Store, as_of: date | None) -> Briefing:
    """The briefing as the /briefing page shows it. The latest day's aggregates and projection are
    kept beside the store once per store version (reports.kept), so a briefing after an import
    reads them instead of computing them again; the planned events are applied to the kept
    projection. An earlier day is gathered and projected from what was known then."""
    from reports.briefing import assemble, build_briefing

    latest = store.latest_as_of("population")
    if latest is None or (as_of is not None and as_of != latest):
        return build_briefing(store, as_of)  # no roster (the briefing says so), or an earlier day
    from reports import kept
    from reports.projection import facility_rows
    from reports.scenarios import store_scenarios

    full, record = kept.projection(store)
    return assemble(kept.briefing_inputs(store, facility_rows(full, record), store_scenarios(store, full, latest)))


def run(args: Any) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in WRITERS:
        raise InputError(f"--out must end in .pdf or .pptx, not {out.name!r}.")
    if not out.parent.is_dir():
        raise InputError(f"the folder {out.parent} does not exist.")
    as_of = _as_of(args.as_of)

    store = open_store(args.store)
    briefing = _briefing(store, as_of)
    if suffix == ".pdf":
        from reports.briefing.pdf import write_pdf as write
    else:
        from reports.briefing.pptx import write_pptx as write
    write(briefing, out)
    from loaders.audit import file_sha256, local_operator, record

    # An export leaves the building: the log says who made which file (no rows, so rows=0 is not said).
    record(
        store.path,
        "export",
        local_operator(),
        "operator",
        file=out.name,
        sha256=file_sha256(out),
        as_of=briefing.as_of,
        via="command line",
    )
    # What the file could not show, and why, where a script's log keeps it.
    for why in briefing.gaps:
        print(f"popdash brief: {why}; the briefing says so where the figure would be.", file=sys.stderr)
    if briefing.track_figure is None:
        print(f"popdash brief: {briefing.track_line}", file=sys.stderr)
    note = " (SAMPLE DATA)" if briefing.is_sample else ""
    print(f"wrote {out} (as of {briefing.as_of.isoformat()}){note}")
    return 0
