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


# What each computed column of the sheet needs from the counts file.
NEEDS = {
    "rated_capacity": ("rated_capacity",),
    "crowding_pct": ("rated_capacity",),
    "pending_in": ("pending_in",),
    "pending_out": ("pending_out",),
    "projected": ("pending_in", "pending_out"),
    "projected_crowding_pct": ("rated_capacity", "pending_in", "pending_out"),
}


def _why(column: str, present: set[str]) -> str:
    """Why a figure is null: the whole column is absent, or this facility's cell is blank."""
    return (
        f"the counts file has no {column} column"
        if column not in present
        else f"the counts file gives no {column} for this facility"
    )


def _records(sheet: pd.DataFrame, present: set[str]) -> list[dict]:
    """Rows as plain dicts: ints as int, unknown as None, and `missing`: each null figure -> why (never 0)."""
    out = []
    for row in sheet.itertuples(index=False):
        rec: dict = {}
        for key, value in zip(SHEET_COLUMNS, row):
            rec[key] = None if value is pd.NA or value is None else (str(value) if key == "facility" else int(value))
        missing = {}
        for key, needs in NEEDS.items():
            if rec[key] is None:
                absent = [c for c in needs if rec.get(c) is None]
                if absent:
                    missing[key] = "; ".join(_why(c, present) for c in absent)
        rec["missing"] = missing
        out.append(rec)
    return out


def _say_missing(records: list[dict], present: set[str]) -> None:
    """One stderr line per source column absent from the file, else per column blank in some rows."""
    for column in ("rated_capacity", "pending_in", "pending_out"):
        blank = [r["facility"] for r in records if r[column] is None]
        if not blank:
            continue
        what = "crowding" if column == "rated_capacity" else "projected population"
        if column not in present:
            print(f"popdash capacity: the counts file has no {column} column: {what} not shown.", file=sys.stderr)
            continue
        names = ", ".join(blank[:3]) + (f" and {len(blank) - 3:,} more" if len(blank) > 3 else "")
        print(f"popdash capacity: no {column} for {names}: {what} not shown there.", file=sys.stderr)


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
    records = _records(sheet, set(frame.columns))
    _say_missing(records, set(frame.columns))
    if args.format == "json":
        print(json.dumps(records, indent=2))
    elif args.format == "csv":
        sheet.to_csv(sys.stdout, index=False, columns=SHEET_COLUMNS, lineterminator="\n")
    else:
        print(_text(records, frame["date"].max().strftime("%Y-%m-%d")))
    return 0
