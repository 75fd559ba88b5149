"""`load`: one CSV export -> canonical frame of accepted rows + a report of every other row."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from loaders import _convert as converters
from loaders import _echo as echo
from loaders._dates import date_in_name, parse_date
from loaders._echo import MASK
from loaders._parse import parse
from loaders._read import _lines_text, furniture_warnings
from loaders._schema import KINDS, LOOKUPS, PERSONAL, SPECS, match_header, norm_header, not_recognised, suggestions
from loaders.config import Facility, load_facility
from loaders.errors import LoadError

SNAPSHOT_KINDS = ("population", "designations", "redesignations")


@dataclass
class LoadResult:
    """What `load` returns.

    `frame`: the accepted rows, canonical column names plus `line`.
    `report`: the dict `popdash check --format json` prints. A row with several problems
    is one rejected row but gets one `errors` entry per problem (same `line`), so
    `rows_rejected` counts rows and `len(errors)` may be larger. A row with the wrong
    number of fields gets a single entry whose `column` and `value` are None.
    """

    frame: pd.DataFrame
    report: dict[str, Any]

    @property
    def kind(self) -> str:
        return self.report["kind"]

    @property
    def as_of(self) -> date:
        return date.fromisoformat(self.report["as_of"])


_POOL: tuple[int, ThreadPoolExecutor] | None = None
PARALLEL_FROM = 20_000  # rows; below this, threads cost more than they save


def _map(fn: Any, items: list[str], rows: int) -> list[Any]:
    """fn over items, on a thread pool for big files (one pool per process: safe after a fork)."""
    global _POOL
    if rows < PARALLEL_FROM:
        return list(map(fn, items))
    if _POOL is None or _POOL[0] != os.getpid():
        _POOL = (os.getpid(), ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="loaders"))
    return list(_POOL[1].map(fn, items))


def _facility(facility: Facility | str | Path | None) -> Facility | None:
    if facility is None or isinstance(facility, Facility):
        return facility
    return load_facility(facility)


def _caller_as_of(as_of: date | datetime | str | None) -> date | None:
    if as_of is None or as_of == "":
        return None
    if isinstance(as_of, datetime):
        return as_of.date()
    if isinstance(as_of, date):
        return as_of
    d = parse_date(str(as_of))
    if d is None:
        raise LoadError(f"the as-of date {str(as_of)[:40]!r} is not a date (use YYYY-MM-DD)")
    return d


class _Problems:
    """Bad-row masks per column, turned into error entries only for the bad rows."""

    def __init__(self, n: int, kind: str = "") -> None:
        self.n = n
        self.kind = kind
        self.items: list[tuple[str, np.ndarray, pa.ChunkedArray | None, Any]] = []

    def add(self, column: str, mask: np.ndarray, raw: pa.ChunkedArray | None, reason: Any) -> None:
        """Rows of `mask` are bad; reason is a sentence, one per bad row, or a function of the bad values."""
        if mask.any():
            self.items.append((column, mask, raw, reason))

    def shown(self, column: str, value: Any) -> Any:
        """The value an error entry may echo: never a name or birth date, even in the wrong column."""
        return echo.shown(self.kind, column, _TYPES[self.kind].get(column) if self.kind else None, value)

    def rejected(self) -> np.ndarray:
        out = np.zeros(self.n, bool)
        for _, mask, _, _ in self.items:
            out |= mask
        return out

    def entries(self, lines: np.ndarray, order: dict[str, int]) -> list[dict[str, Any]]:
        out = []
        for column, mask, raw, reason in self.items:
            idx = np.flatnonzero(mask)
            values = raw.take(pa.array(idx)).to_pylist() if raw is not None else [None] * len(idx)
            if callable(reason):
                reason = reason(values)
            for j, (i, v) in enumerate(zip(idx, values)):
                shown = MASK if echo.masked(column, PERSONAL) else self.shown(column, v)
                why = reason[j] if isinstance(reason, list) else reason
                out.append({"line": int(lines[i]), "column": column, "value": shown, "reason": why})
        out.sort(key=lambda e: (e["line"], order.get(e["column"], 99)))
        return out


def _one_series(parsed: Any, facility: str) -> Any:
    """A counts file without a facility column as one facility's series: a column holding its name."""
    names, _ = match_header(parsed.header, "facility_counts")
    if "facility" in names:
        return parsed
    column = pa.array([facility] * parsed.table.num_rows, type=pa.string())
    table = parsed.table.append_column(f"c{len(parsed.header)}", column)
    return replace(parsed, header=[*parsed.header, "facility"], table=table)


def load(
    path: str | Path,
    kind: str | None = None,
    facility: Facility | str | Path | None = None,
    as_of: date | str | None = None,
    single_facility: str | None = None,
) -> LoadResult:
    """Read and validate one CSV export of a kind of data-contract.md (guessed when None).

    `single_facility`: for facility_counts, the facility of a file with no facility column (one
    series of `date, population`); without it such a file is refused.
    """
    if kind is not None and kind not in KINDS:
        raise LoadError(f"unknown kind {str(kind)[:40]!r}; the kinds are {', '.join(KINDS)}")
    path = Path(path)
    fac = _facility(facility)
    caller = _caller_as_of(as_of)
    parsed = parse(path, kind)
    kind = parsed.kind
    _refuse_repeated_columns(parsed.header, kind, path.name)
    if kind == "facility_counts" and single_facility:
        parsed = _one_series(parsed, single_facility)
    names, unknown = match_header(parsed.header, kind)
    hints = suggestions(parsed.header, kind)
    for col in SPECS[kind]:
        if col.required and col.name not in names:
            raise LoadError(_absent(col.name, kind, path.name, unknown, hints))
    warnings = [not_recognised(h, c) for h, c in hints.items()] + furniture_warnings(parsed)
    if parsed.encoding == "mixed":
        warnings.append(
            f"file mixes UTF-8 and Windows-1252: line {_lines_text(parsed.cp1252_lines)} read as "
            "Windows-1252, the other lines as UTF-8"
        )
    elif parsed.encoding in ("cp1252", "utf-16"):
        warnings.append(f"file read as {'Windows-1252' if parsed.encoding == 'cp1252' else 'UTF-16'} text")
    if kind == "population" and fac is None:
        warnings.append("no facility configuration given: unit names were not checked")
    raws = {name: parsed.table.column(i) for i, name in enumerate(names) if name is not None}
    problems = _Problems(parsed.table.num_rows, kind)
    columns = _convert(kind, raws, fac, problems)
    columns["line"] = pd.Series(parsed.lines.astype("int64"))
    if kind in ("population", "designations"):
        _duplicates(columns["register_number"], parsed.lines, problems, raws["register_number"])
    as_of_date = _as_of(kind, path, caller, columns, problems, raws, warnings)
    if kind in SNAPSHOT_KINDS:
        columns["as_of_date"] = pd.Series(np.full(len(parsed.lines), np.datetime64(as_of_date, "ns")))
    frame = pd.DataFrame(columns, copy=False)
    if kind == "facility_counts":
        from loaders.reference import add_facility_codes

        frame = add_facility_codes(frame, warnings, fac.facility if fac is not None else None)
    frame = frame[["line"] + [c.name for c in SPECS[kind] if c.name in frame.columns]]
    rejected = problems.rejected()
    lost: list[str] = []
    if rejected.any():
        if kind == "facility_counts":  # facilities none of whose rows was accepted: named, not dropped
            lost = sorted(set(frame.loc[rejected, "facility"].dropna()) - set(frame.loc[~rejected, "facility"]))
        frame = frame[~rejected].reset_index(drop=True)
    report = _report(kind, as_of_date, parsed, problems, warnings, unknown)
    if kind == "facility_counts":
        report["facilities_rejected"] = lost
    return LoadResult(frame, report)


def _absent(column: str, kind: str, name: str, unknown: list[str], hints: dict[str, str]) -> str:
    """One sentence for a required column that is absent, naming the headers that may be it."""
    text = f"required column {column} is absent from the {kind} file {name}"
    mine = [h for h, c in hints.items() if c == column]
    if mine:
        return f"{text}; {not_recognised(mine[0], column)}"
    if unknown:
        shown = ", ".join(unknown[:8]) + (f" and {len(unknown) - 8} more" if len(unknown) > 8 else "")
        return f"{text}; headers not recognised: {shown}"
    return text


_TYPES = {kind: {c.name: c.type for c in SPECS[kind]} for kind in KINDS}


def _refuse_repeated_columns(header: list[str], kind: str, name: str) -> None:
    """Two header fields for one column: which one holds the data is a guess, so neither is taken."""
    seen: dict[str, int] = {}
    for i, text in enumerate(header, start=1):
        canon = LOOKUPS[kind].get(norm_header(text))
        if canon is None:
            continue
        if canon in seen:
            j = seen[canon]
            raise LoadError(
                f"columns {j} ({header[j - 1].strip()!r}) and {i} ({text.strip()!r}) of {name} are both "
                f"{canon}; keep one of them"
            )
        seen[canon] = i


def _convert(
    kind: str, raws: dict[str, pa.ChunkedArray], fac: Facility | None, problems: _Problems
) -> dict[str, pd.Series]:
    """Canonical values of every known column; bad and required-but-blank values go to `problems`."""
    spec = {c.name: c for c in SPECS[kind]}
    todo = [name for name in raws if name != "name"]
    unit_conv = converters.unit([u.name for u in fac.units] if fac is not None else None)

    def convert(name: str) -> converters.Converted:
        col = spec[name]
        return unit_conv(raws[name]) if col.type == "unit" else converters.CONVERTERS[col.type](raws[name])

    columns: dict[str, pd.Series] = {}
    # pyarrow compute releases the GIL: columns convert in parallel, as pyarrow parses them.
    rows = len(next(iter(raws.values()))) if raws else 0
    for name, conv in zip(todo, _map(convert, todo, rows)):
        columns[name] = conv.values
        columns.update(conv.extra or {})
        problems.add(name, conv.bad, raws[name], conv.reason)
        if spec[name].required and conv.blank is not None and spec[name].type != "level":
            problems.add(name, conv.blank, raws[name], f"{name} is empty")
    if "name" in raws and "last_name" not in raws:
        columns["last_name"], columns["first_name"] = converters.split_name(raws["name"])
    return columns


def _report(
    kind: str, as_of_date: date, parsed: Any, problems: _Problems, warnings: list[str], unknown: list[str]
) -> dict[str, Any]:
    """The check report: every row read is accepted or rejected, never both, never neither."""
    order = {c.name: i for i, c in enumerate(SPECS[kind])}
    errors = problems.entries(parsed.lines, order)
    for line, count in parsed.ragged:
        errors.append(
            {
                "line": line,
                "column": None,
                "value": None,
                "reason": f"row has {count} fields; the header has {len(parsed.header)}",
            }
        )
    errors.sort(key=lambda e: (e["line"], order.get(e["column"], -1)))
    rows_read = parsed.rows_read
    if rows_read == 0:
        warnings.append("the file has a header and no rows")
    if parsed.total is not None and parsed.total[1] != rows_read:
        warnings.append(
            f"total line {parsed.total[0]} says {parsed.total[1]:,} rows; the file has {rows_read:,} data rows"
        )
    rejected = int(problems.rejected().sum()) + len(parsed.ragged)
    return {
        "kind": kind,
        "as_of": as_of_date.isoformat(),
        "rows_read": rows_read,
        "rows_accepted": rows_read - rejected,
        "rows_rejected": rejected,
        "errors": errors,
        "warnings": warnings,
        "unknown_columns": unknown,
    }


def _all_distinct(reg: pd.Series) -> bool:
    """True when every register number is nine bytes wide and no two are equal (the usual roster).

    The eight digit bytes of NNNNN-NNN are read as one 64-bit key: a sort instead of hashing strings.
    """
    m = converters.fixed_width(pa.array(reg.array), 9)
    if m is None:
        return not len(reg)
    keys = np.sort(np.ascontiguousarray(m[:, [0, 1, 2, 3, 4, 6, 7, 8]]).view(np.uint64).ravel())
    return not (keys[1:] == keys[:-1]).any()


def _duplicates(reg: pd.Series, lines: np.ndarray, problems: _Problems, raw: pa.ChunkedArray) -> None:
    """The second and later occurrence of a register number is a row error naming the first line."""
    if _all_distinct(reg):
        return
    dup = (reg.duplicated(keep="first") & reg.notna()).to_numpy(dtype=bool, na_value=False)
    if not dup.any():
        return
    line_s = pd.Series(lines)
    first = line_s.groupby(reg.to_numpy(dtype=object, na_value=None), dropna=True).transform("first")
    reasons = [f"register number repeats line {int(first.iloc[i])}" for i in np.flatnonzero(dup)]
    problems.add("register_number", dup, raw, reasons)


def _as_of(
    kind: str,
    path: Path,
    caller: date | None,
    columns: dict[str, pd.Series],
    problems: _Problems,
    raws: dict[str, pa.ChunkedArray],
    warnings: list[str],
) -> date:
    """The snapshot's as-of date by the precedence of data-contract.md (never today)."""
    from_name = date_in_name(path.name)
    found: date | None = None
    source = ""
    if kind == "facility_counts":
        latest = columns["date"].max()
        found, source = (latest.date(), "latest date in the file") if pd.notna(latest) else (None, "")
    elif kind == "findings":
        latest = columns["review_date"].max()
        for d, _s in (
            (caller, "caller"),
            (from_name, "file name"),
            (latest.date() if pd.notna(latest) else None, "latest review date"),
        ):
            if d is not None:
                return d
    elif "as_of_date" in columns:
        found, source = _as_of_column(columns["as_of_date"], problems, raws["as_of_date"])
    if found is None and from_name is not None:
        found, source = from_name, "file name"
    if found is None:
        found, source = caller, "caller"
    if found is None:
        raise LoadError(
            f"no as-of date for {path.name}: no as_of_date column, no date in the file name, and none given"
        )
    if caller is not None and caller != found:
        warnings.append(f"as-of date {found.isoformat()} taken from the {source}, not the {caller.isoformat()} given")
    return found


def _as_of_column(values: pd.Series, problems: _Problems, raw: pa.ChunkedArray) -> tuple[date | None, str]:
    """The most common as_of_date of the rows; rows that disagree with it are row errors."""
    valid = values.dropna()
    if valid.empty:
        return None, ""
    mode = valid.value_counts().sort_index(ascending=False).idxmax()
    differs = (values.notna() & (values != mode)).to_numpy(dtype=bool)
    problems.add("as_of_date", differs, raw, f"differs from the file's as-of date {mode.date().isoformat()}")
    return mode.date(), "as_of_date column"
