"""`popdash brief --out FILE.pdf|FILE.pptx`: the Warden's briefing as a file to circulate."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from popdash.errors import InputError
from popdash.store_option import open_store

WRITERS = (".pdf", ".pptx")


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--as-of must be a date like 2026-11-22, not {text!r}.") from None


def run(args) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in WRITERS:
        raise InputError(f"--out must end in .pdf or .pptx, not {out.name!r}.")
    if not out.parent.is_dir():
        raise InputError(f"the folder {out.parent} does not exist.")
    as_of = _as_of(args.as_of)

    from reports.briefing import build_briefing

    briefing = build_briefing(open_store(args.store), as_of)
    if suffix == ".pdf":
        from reports.briefing.pdf import write_pdf as write
    else:
        from reports.briefing.pptx import write_pptx as write
    write(briefing, out)
    note = " (SAMPLE DATA)" if briefing.is_sample else ""
    print(f"wrote {out} (as of {briefing.as_of.isoformat()}){note}")
    return 0
