"""Vectorised date parsing for the forms of data-contract.md (month first, never day first)."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Date forms, each with year/month/day groups; an optional time and zone name may follow.
_FORMS = (
    r"(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})",  # YYYY-MM-DD
    r"(?P<m2>\d{1,2})/(?P<d2>\d{1,2})/(?P<y2>\d{4})",  # MM/DD/YYYY, M/D/YYYY
    r"(?P<m3>\d{1,2})-(?P<d3>\d{1,2})-(?P<y3>\d{4})",  # MM-DD-YYYY
    r"(?P<y4>\d{4})(?P<m4>\d{2})(?P<d4>\d{2})",  # YYYYMMDD
    r"(?P<y5>\d{4})/(?P<m5>\d{1,2})/(?P<d5>\d{1,2})",  # YYYY/MM/DD
)
_TIME = (
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?"  # time, AM/PM
    r"(?:\s*(?:Z|[A-Za-z]{1,5}|[+-]\d{2}:?\d{2}))?)?"
)  # zone name or offset
PATTERN = r"^\s*(?:" + "|".join(_FORMS) + r")" + _TIME + r"\s*$"
_N = len(_FORMS)
_FILE_DATE = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")
MIN_YEAR, MAX_YEAR = 1900, 2199


def _pick(parts: pa.StructArray, letter: str) -> np.ndarray:
    """The first non-empty group of one letter across the forms, as int (0 when absent)."""
    out = None
    for i in range(1, _N + 1):
        col = pc.struct_field(parts, f"{letter}{i}")
        out = col if out is None else pc.if_else(pc.equal(out, ""), col, out)
    out = pc.if_else(pc.equal(out, ""), "0", out)
    return pc.cast(out, pa.int64()).to_numpy(zero_copy_only=False)


def fixed_width(a: pa.ChunkedArray | pa.Array, width: int) -> np.ndarray | None:
    """The values as an (n, width) byte matrix when every value is exactly `width` bytes, else None."""
    arr = a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a
    if arr.null_count or not len(arr):
        return None
    dtype = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(arr.buffers()[1], dtype=dtype)[arr.offset : arr.offset + len(arr) + 1]
    if offsets[-1] - offsets[0] != width * len(arr) or (np.diff(offsets) != width).any():
        return None
    return np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]].reshape(-1, width)


def _ten_wide(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(rows, y, m, d) of the values written MM/DD/YYYY, MM-DD-YYYY or YYYY-MM-DD, read without a regex."""
    rows = np.flatnonzero(pc.equal(pc.binary_length(values), 10).to_numpy(zero_copy_only=False))
    if len(rows) == len(values):
        mat = fixed_width(values, 10)
    else:
        mat = fixed_width(values.take(pa.array(rows)), 10) if len(rows) else None
    if mat is None:
        return rows[:0], rows[:0], rows[:0], rows[:0]
    dig = (mat >= 48) & (mat <= 57)
    us = (
        (((mat[:, 2] == 47) & (mat[:, 5] == 47)) | ((mat[:, 2] == 45) & (mat[:, 5] == 45)))
        & dig[:, 0:2].all(axis=1)
        & dig[:, 3:5].all(axis=1)
        & dig[:, 6:10].all(axis=1)
    )
    iso = (
        (mat[:, 4] == 45)
        & (mat[:, 7] == 45)
        & ~us
        & dig[:, 0:4].all(axis=1)
        & dig[:, 5:7].all(axis=1)
        & dig[:, 8:10].all(axis=1)
    )
    num = mat.astype(np.int32) - 48

    def number(first: int, width: int) -> np.ndarray:
        out = num[:, first]
        for i in range(first + 1, first + width):
            out = out * 10 + num[:, i]
        return out

    y = np.where(us, number(6, 4), number(0, 4))
    m = np.where(us, number(0, 2), number(5, 2))
    d = np.where(us, number(3, 2), number(8, 2))
    keep = us | iso
    return rows[keep], y[keep].astype(np.int64), m[keep].astype(np.int64), d[keep].astype(np.int64)


def _by_regex(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(matched, y, m, d) for every accepted form, by one regular expression."""
    parts = pc.extract_regex(pc.utf8_trim_whitespace(values), PATTERN)  # null where no form matches
    matched = pc.is_valid(parts).to_numpy(zero_copy_only=False)
    filled = pc.if_else(
        pc.is_valid(parts), parts, pa.scalar({f"{c}{i}": "" for i in range(1, _N + 1) for c in "ymd"}, parts.type)
    )
    y, m, d = (_pick(filled, c) for c in "ymd")
    return matched, y, m, d


def parse_dates(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(datetime64[ns] with NaT, blank mask, bad mask) for an array of strings (best: distinct values)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    n = len(values)
    blank = pc.equal(pc.utf8_trim_whitespace(values), "").to_numpy(zero_copy_only=False)
    y, m, d = (np.zeros(n, np.int64) for _ in range(3))
    matched = np.zeros(n, bool)
    rows, ty, tm, td = _ten_wide(values)
    y[rows], m[rows], d[rows], matched[rows] = ty, tm, td, True
    rest = np.flatnonzero(~matched & ~blank)
    if len(rest):
        ok, ry, rm, rd = _by_regex(values.take(pa.array(rest)))
        matched[rest], y[rest], m[rest], d[rest] = ok, ry, rm, rd
    out, ok = ymd_to_datetime(y, m, d)
    ok &= matched
    out[~ok] = np.datetime64("NaT")
    return out, blank, ~ok & ~blank


def ymd_to_datetime(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(datetime64[ns] with NaT, mask of real calendar dates) from year, month, day integers."""
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    mdays = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(m, 0, 12)] + (leap & (m == 2))
    ok = (m >= 1) & (m <= 12) & (d >= 1) & (d <= mdays) & (y >= MIN_YEAR) & (y <= MAX_YEAR)
    months = ((np.where(ok, y, 1970) - 1970) * 12 + np.where(ok, m, 1) - 1).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + (np.where(ok, d, 1) - 1).astype("timedelta64[D]")
    out = days.astype("datetime64[ns]")
    out[~ok] = np.datetime64("NaT")
    return out, ok


def parse_date(text: str) -> date | None:
    """One date in any accepted form, or None."""
    out, _, bad = parse_dates(pa.array([text], pa.large_string()))
    if bad[0] or np.isnat(out[0]):
        return None
    return out[0].astype("datetime64[D]").item()


def date_in_name(name: str) -> date | None:
    """A 2026-11-22 or 20261122 date in a file name, if it is a real date."""
    for m in _FILE_DATE.finditer(name):
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        if MIN_YEAR <= d.year <= MAX_YEAR:
            return d
    return None
