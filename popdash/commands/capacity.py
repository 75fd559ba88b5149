"""`popdash capacity --counts FILE.csv`: the agency's capacity sheet for the file's latest date."""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from analytics.capacity import SHEET_COLUMNS
from popdash.errors import InputError

_HEADERS = {
    "facility": "Facility",
    "population": "Population",
    "rated_capacity": "Rated",
    "crowding_pct": "Crowding",
    "pending_in": "Pending in",
    "pending_out": "Pending out",
    "projected": "Projected",
    "projected_crowding_pct": "Proj. crowding",
}


def _load(path: str) -> pd.DataFrame:
    import loaders

    load_error = getattr(loaders, "LoadError", ValueError)  # a ValueError with one sentence
    try:
        result = loaders.load(path, kind="facility_counts")
    except load_error as exc:
        raise InputError(str(exc)) from None
    return result.frame


def _records(sheet: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts: ints as int, unknown as None."""
    out = []
    for row in sheet.itertuples(index=False):
        rec = {}
        for key, value in zip(SHEET_COLUMNS, row):
            rec[key] = None if value is pd.NA or value is None else (str(value) if key == "facility" else int(value))
        out.append(rec)
    return out


def _cell(key: str, value: object) -> str:
    if value is None:
        return "—"
    if key == "facility":
        return str(value)
    if key.endswith("_pct"):
        return f"{value:,d} %"
    return f"{value:,d}"


def _text(records: list[dict], date: str) -> str:
    rows = [[_cell(k, r[k]) for k in SHEET_COLUMNS] for r in records]
    heads = [_HEADERS[k] for k in SHEET_COLUMNS]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(heads)]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:])]
        return "  ".join([first] + rest).rstrip()

    out = [f"Capacity sheet for {date}", line(heads), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    frame = _load(args.counts)
    if frame.empty:
        raise InputError("the counts file has no usable rows.")
    from reports.national import sheet as institution_sheet

    # Keyed by institution as /national keys it: two spellings of one institution are one row.
    sheet = institution_sheet(frame)
    records = _records(sheet)
    if args.format == "json":
        print(json.dumps(records, indent=2))
    elif args.format == "csv":
        sheet.to_csv(sys.stdout, index=False, columns=SHEET_COLUMNS, lineterminator="\n")
    else:
        print(_text(records, frame["date"].max().strftime("%Y-%m-%d")))
    return 0
