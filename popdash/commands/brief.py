"""`popdash brief --out FILE.pdf|FILE.pptx`: the Warden's briefing as a file to circulate."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from popdash.errors import InputError

WRITERS = (".pdf", ".pptx")


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--as-of must be a date like 2026-11-22, not {text!r}.") from None


def _store(arg: str | None):
    from loaders.store import Store, demo_store_path, ensure_demo_store, resolve_store_path

    path = resolve_store_path(arg)
    if path == demo_store_path():
        return ensure_demo_store(path)
    if not path.is_dir():
        raise InputError(f"no store at {path}; import exports there first (popdash import --store).")
    return Store(path)


def run(args) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in WRITERS:
        raise InputError(f"--out must end in .pdf or .pptx, not {out.name!r}.")
    if not out.parent.is_dir():
        raise InputError(f"the folder {out.parent} does not exist.")
    as_of = _as_of(args.as_of)

    from loaders.store import StoreError
    from popdash.briefing import BriefingError, build_briefing
    from popdash.briefing.render import RenderError

    try:
        store = _store(args.store)
        briefing = build_briefing(store, as_of)
        if suffix == ".pdf":
            from popdash.briefing.pdf import write_pdf as write
        else:
            from popdash.briefing.pptx import write_pptx as write
        write(briefing, out)
    except (BriefingError, RenderError, StoreError) as exc:
        raise InputError(str(exc)) from None
    from loaders.audit import file_sha256, local_operator, record

    # An export leaves the building: the log says who made which file (no rows, so rows=0 is not said).
    record(store.path, "export", local_operator(), "operator", file=out.name, sha256=file_sha256(out),
           as_of=briefing.as_of, via="command line")
    note = " (SAMPLE DATA)" if briefing.is_sample else ""
    print(f"wrote {out} (as of {briefing.as_of.isoformat()}){note}")
    return 0
