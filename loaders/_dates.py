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
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:Z|[A-Za-z]{1,5}|[+-]\d{2}:?\d{2}))?)?"
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


def parse_dates(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(datetime64[ns] with NaT, blank mask, bad mask) for an array of strings."""
    stripped = pc.utf8_trim_whitespace(values)
    blank = pc.equal(stripped, "").to_numpy(zero_copy_only=False)
    parts = pc.extract_regex(stripped, PATTERN)  # null where no form matches
    matched = pc.is_valid(parts).to_numpy(zero_copy_only=False)
    filled = pc.if_else(pc.is_valid(parts), parts, pa.scalar(
        {f"{c}{i}": "" for i in range(1, _N + 1) for c in "ymd"}, parts.type))
    y, m, d = (_pick(filled, c) for c in "ymd")
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
