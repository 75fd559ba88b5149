"""Vectorised conversion of one string column to its canonical form, with the rows that fail.

Each converter takes a pyarrow string array and returns a `Converted`: the pandas values
(canonical dtype), a boolean mask of bad rows, the reason (one sentence for all of them, or
a function that words it for each bad value) and a mask of blank values. Blank values are
not errors here; the loader decides what a blank required value means. Most converters
work on the column's distinct values (`_DistinctValues`): an export repeats a few hundred spellings
over many thousand rows, so each spelling is parsed once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders._dates import fixed_width, parse_dates

STR = pa.large_string()  # what pandas string columns hold: no cast on the way in
_NULL = pa.scalar(None, STR)


@dataclass
class Converted:
    """One column converted: canonical values, bad rows and why, blank rows."""

    values: pd.Series
    bad: np.ndarray
    reason: str | Callable[[list[str]], list[str]] = ""
    blank: np.ndarray | None = None
    extra: dict[str, pd.Series] | None = None  # columns derived from this one (life_sentence)


class _DistinctValues:
    """A column as its distinct values plus indices: parse each distinct value once."""

    def __init__(self, a: pa.ChunkedArray | pa.Array) -> None:
        flat = a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a
        enc = pc.dictionary_encode(flat)
        self.values: pa.Array = enc.dictionary
        self.idx = enc.indices.to_numpy(zero_copy_only=False)
        self.n = len(flat)

    def expand(self, per_value: np.ndarray) -> np.ndarray:
        if per_value.dtype == bool and not per_value.any():
            return np.zeros(self.n, bool)
        return per_value[self.idx] if self.n else per_value[:0]

    def strings(self, per_value: pa.Array) -> pd.Series:
        per_value = pc.if_else(pc.equal(per_value, ""), _NULL, per_value)
        return _str(pc.take(per_value, pa.array(self.idx)) if self.n else per_value[:0], blanks=False)


def _all_in(a: pa.ChunkedArray, values: pa.Array) -> bool:
    """Every value already one of `values` (the clean export): the converter can pass it through."""
    return bool(len(a)) and bool(pc.all(pc.is_in(a, value_set=values)).as_py())


def _np(a: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(a.to_numpy(zero_copy_only=False), dtype=bool)


def _trim(a: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_trim_whitespace(a)


def _str(a: pa.ChunkedArray | pa.Array, blanks: bool = True) -> pd.Series:
    """Strings as pandas string dtype, empty -> <NA> (skipped when the caller knows there are none)."""
    if blanks:
        a = pc.if_else(pc.equal(a, ""), _NULL, a)
    if isinstance(a, pa.Array):
        a = pa.chunked_array([a], a.type)
    return pd.Series(pd.arrays.ArrowStringArray(a))


def _fold(a: pa.Array) -> pa.Array:
    """Upper case, runs of spaces/underscores/hyphens as one space, trimmed."""
    up = pc.utf8_upper(_trim(a))
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(up, r"[\s_\-]+", " "))


def text(a: pa.ChunkedArray) -> Converted:
    t = _trim(a)
    blank = _np(pc.equal(t, ""))
    return Converted(_str(t, blanks=bool(blank.any())), np.zeros(len(a), bool), blank=blank)


def upper(a: pa.ChunkedArray) -> Converted:
    d = _DistinctValues(a)
    t = pc.replace_substring_regex(pc.utf8_upper(_trim(d.values)), r"\s+", " ")
    return Converted(d.strings(t), np.zeros(d.n, bool), blank=d.expand(_np(pc.equal(t, ""))))


def enum(table: dict[str, str], what: str, blank_as: str | None = None) -> Callable[[pa.ChunkedArray], Converted]:
    """Converter for an enumeration: spelling (folded) -> canonical value."""
    keys = pa.array(list(table), STR)
    vals = pa.array(list(table.values()), STR)
    allowed = ", ".join(sorted(set(table.values()), key=list(table.values()).index))
    passing = sorted(set(table.values())) + ([""] if blank_as is None else [])
    canonical = pa.array(passing, STR)

    def convert(a: pa.ChunkedArray) -> Converted:
        if _all_in(a, canonical):  # already canonical (blank allowed when it stays blank): keep as is
            blank = _np(pc.equal(a, ""))
            return Converted(_str(a, blanks=bool(blank.any())), np.zeros(len(a), bool), "", blank)
        d = _DistinctValues(a)
        f = _fold(d.values)
        blank = _np(pc.equal(f, ""))
        idx = pc.index_in(f, value_set=keys)
        out = pc.if_else(pc.is_valid(idx), pc.take(vals, pc.fill_null(idx, 0)), _NULL)
        if blank_as is not None:
            out = pc.if_else(pc.equal(f, ""), pa.scalar(blank_as, STR), out)
        bad = ~_np(pc.is_valid(idx)) & ~blank
        return Converted(d.strings(out), d.expand(bad), f"not a known {what} ({allowed})", d.expand(blank))

    return convert


def _spellings(*groups: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for canon, *aliases in groups:
        for s in (canon, *aliases):
            out[s] = canon
    return out


LEVELS = _spellings(
    ("MINIMUM", "MIN"), ("LOW",), ("MEDIUM", "MED"), ("HIGH", "HI"), ("UNASSIGNED", "UNAS", "UNCLASSIFIED")
)
LEVELS_ONLY = {k: v for k, v in LEVELS.items() if v != "UNASSIGNED"}
CUSTODY = _spellings(("MAXIMUM", "MAX"), ("IN",), ("OUT",), ("COMMUNITY", "COMM"))
SEX = _spellings(("M", "MALE"), ("F", "FEMALE"))
DIRECTION = _spellings(("IN", "INBOUND", "TO US"), ("OUT", "OUTBOUND"))
TRANSFER = _spellings(
    ("LESSER SECURITY",),
    ("GREATER SECURITY",),
    ("NEARER RELEASE",),
    ("MEDICAL",),
    ("PROGRAM",),
    ("DISCIPLINARY",),
    ("ADMINISTRATIVE",),
    ("OTHER",),
)
DESIG_STATUS = _spellings(("AWAITING TRANSPORT",), ("IN TRANSIT",), ("VOLUNTARY SURRENDER",), ("HOLDOVER",))
REDESIG_STATUS = _spellings(
    ("PENDING",), ("APPROVED",), ("DENIED",), ("IN TRANSIT",), ("COMPLETED", "COMPLETE"), ("CANCELLED", "CANCELED")
)
REVIEW_TYPE = _spellings(("PROGRAM REVIEW",), ("OPERATIONAL REVIEW",), ("SELF AUDIT",))
RATING = _spellings(("SUPERIOR",), ("GOOD",), ("ACCEPTABLE",), ("DEFICIENT",), ("AT RISK",))
SEVERITY = _spellings(("SIGNIFICANT",), ("DEFICIENCY",), ("OBSERVATION",))
_BOOL = {"Y": True, "YES": True, "TRUE": True, "1": True, "N": False, "NO": False, "FALSE": False, "0": False}


def _register_fast(a: pa.ChunkedArray) -> Converted | None:
    """Every value already NNNNN-NNN (the usual export): checked as a byte matrix, no string work."""
    m = fixed_width(a, 9)
    if m is None:
        return None
    digits = m[:, [0, 1, 2, 3, 4, 6, 7, 8]]
    if not ((m[:, 5] == 45).all() and ((digits >= 48) & (digits <= 57)).all()):
        return None
    return Converted(_str(a, blanks=False), np.zeros(len(m), bool), "", np.zeros(len(m), bool))


def register(a: pa.ChunkedArray) -> Converted:
    """NNNNN-NNN kept as text; eight bare digits get their hyphen. Checked by slices (no regex: speed)."""
    fast = _register_fast(a)
    if fast is not None:
        return fast
    t = _trim(a)
    eight = _np(pc.and_(pc.equal(pc.utf8_length(t), 8), pc.utf8_is_digit(t)))
    if eight.any():
        t = pc.if_else(pa.array(eight), pc.replace_substring_regex(t, r"^(\d{5})(\d{3})$", r"\1-\2"), t)
    ok = pc.and_(
        pc.and_(pc.equal(pc.utf8_length(t), 9), pc.equal(pc.utf8_slice_codeunits(t, 5, 6), "-")),
        pc.and_(pc.utf8_is_digit(pc.utf8_slice_codeunits(t, 0, 5)), pc.utf8_is_digit(pc.utf8_slice_codeunits(t, 6, 9))),
    )
    blank = _np(pc.equal(t, ""))
    # utf8_is_digit also accepts non-ASCII digits, which take more than one byte each
    ok_np = _np(ok) & _np(pc.equal(pc.binary_length(t), 9))
    return Converted(_str(t, blanks=bool(blank.any())), ~ok_np & ~blank, "not a register number (NNNNN-NNN)", blank)


def _date_reasons(values: list[str]) -> list[str]:
    """Why each bad date is bad, in words: day-first dates and impossible days are the usual slips."""
    out = []
    for v in values:
        m = re.match(r"^\s*(\d{1,2})[/-](\d{1,2})[/-](\d{4})", v or "")
        if m and int(m.group(1)) > 12 and int(m.group(2)) <= 12:
            out.append(f"not a date: month {int(m.group(1))} (dates are month first, MM/DD/YYYY)")
        elif m or re.match(r"^\s*\d{4}-?\d{1,2}-?\d{1,2}\b", v or ""):
            out.append("not a date: no such day in the calendar")
        else:
            out.append("not a date (YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD)")
    return out


def date(a: pa.ChunkedArray) -> Converted:
    d = _DistinctValues(a)
    values, blank, bad = parse_dates(d.values)
    return Converted(pd.Series(d.expand(values)), d.expand(bad), _date_reasons, d.expand(blank))


# What rosters write in the projected release date column of an inmate who will not be released.
NO_RELEASE = pa.array(["LIFE", "LIFE SENTENCE", "DEATH"], STR)


def release(a: pa.ChunkedArray) -> Converted:
    """A projected release date, or a word for no release (LIFE, LIFE SENTENCE, DEATH; any case).

    The words give NaT and `life_sentence` True (derived column; False for every other row).
    """
    d = _DistinctValues(a)
    values, blank, bad = parse_dates(d.values)
    life = _np(pc.is_in(pc.replace_substring_regex(pc.utf8_upper(_trim(d.values)), r"\s+", " "), value_set=NO_RELEASE))
    flag = pd.Series(pd.arrays.BooleanArray(d.expand(life), np.zeros(d.n, bool)))
    return Converted(
        pd.Series(d.expand(values)), d.expand(bad & ~life), _date_reasons, d.expand(blank), {"life_sentence": flag}
    )


_INT = r"^\+?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?$"


def _int_series(d: _DistinctValues, digits: pa.Array, ok: np.ndarray) -> pd.Series:
    nums = pc.cast(pc.if_else(pa.array(ok), digits, _NULL), pa.int64())
    mask = ~ok
    vals = np.asarray(pc.fill_null(nums, 0).to_numpy(zero_copy_only=False), dtype="int64")
    return pd.Series(pd.arrays.IntegerArray(d.expand(vals), d.expand(mask)))


def integer(a: pa.ChunkedArray) -> Converted:
    if (
        len(a)
        and pc.all(pc.and_(pc.string_is_ascii(a), pc.utf8_is_digit(a))).as_py()
        and pc.max(pc.binary_length(a)).as_py() <= 15
    ):  # plain digits: cast in one go
        values = pd.Series(pc.cast(a, pa.int64()).to_pandas(types_mapper=pd.ArrowDtype)).astype("Int64")
        return Converted(values, np.zeros(len(a), bool), "", np.zeros(len(a), bool))
    d = _DistinctValues(a)
    t = _trim(d.values)
    blank = _np(pc.equal(t, ""))
    ok = _np(pc.match_substring_regex(t, _INT))
    digits = pc.replace_substring_regex(t, r"[,+]|\.0*$", "")
    ok &= _np(pc.less_equal(pc.utf8_length(digits), 15))
    return Converted(_int_series(d, digits, ok), d.expand(~ok & ~blank), "not a whole number >= 0", d.expand(blank))


_CARE = r"^(?:CARE\s*LEVEL|CARE\s*LVL|CARE|CL|MH\s*CL|MHCL|MCL|MH|LEVEL|LVL)?\s*-?\s*([1-4])$"


def care(a: pa.ChunkedArray) -> Converted:
    d = _DistinctValues(a)
    f = pc.utf8_upper(_trim(d.values))
    blank = _np(pc.equal(f, ""))
    ok = _np(pc.match_substring_regex(f, _CARE))
    digit = pc.replace_substring_regex(f, r"^.*([1-4])$", r"\1")
    return Converted(
        _int_series(d, digit, ok),
        d.expand(~ok & ~blank),
        "not a care level (1-4, also CL2, CARE2, MH2)",
        d.expand(blank),
    )


def boolean(a: pa.ChunkedArray) -> Converted:
    if _all_in(a, pa.array(["Y", "N"], STR)):
        none = np.zeros(len(a), bool)
        return Converted(pd.Series(pd.arrays.BooleanArray(_np(pc.equal(a, "Y")), none)), none, "", none)
    d = _DistinctValues(a)
    f = pc.utf8_upper(_trim(d.values))
    blank = _np(pc.equal(f, ""))
    idx = pc.index_in(f, value_set=pa.array(list(_BOOL), STR))
    known = _np(pc.is_valid(idx))
    truth = pc.take(pa.array(list(_BOOL.values())), pc.fill_null(idx, 0))
    truth = np.asarray(truth.to_numpy(zero_copy_only=False), bool)
    values = pd.Series(pd.arrays.BooleanArray(d.expand(truth & known), d.expand(~known)))
    return Converted(values, d.expand(~known & ~blank), "not Y or N", d.expand(blank))


def psf(a: pa.ChunkedArray) -> Converted:
    d = _DistinctValues(a)
    t = pc.replace_substring_regex(pc.utf8_upper(_trim(d.values)), r"\s+", " ")
    t = pc.replace_substring_regex(t, r"\s*;\s*", ";")
    t = pc.utf8_trim(pc.replace_substring_regex(t, r";{2,}", ";"), ";")
    return Converted(d.strings(t), np.zeros(d.n, bool), blank=d.expand(_np(pc.equal(t, ""))))


def split_name(a: pa.ChunkedArray) -> tuple[pd.Series, pd.Series]:
    """'LAST, FIRST' -> (last, first); a name without a comma is all last name."""
    t = _trim(a)
    parts = pc.split_pattern(t, ",", max_splits=1)
    last = pc.utf8_trim_whitespace(pc.list_element(parts, 0))
    first = pc.utf8_trim_whitespace(
        pc.fill_null(
            pc.list_element(
                pc.if_else(pc.greater(pc.list_value_length(parts), 1), parts, pa.scalar(["", ""], parts.type)), 1
            ),
            "",
        )
    )
    return _str(last), _str(first)


def unit(units: list[str] | None) -> Callable[[pa.ChunkedArray], Converted]:
    """Converter matching a facility's unit names case-insensitively (no check without a facility)."""
    if units is None:
        return text
    keys = pa.array([u.strip().upper() for u in units], STR)
    canon = pa.array(units, STR)

    def convert(a: pa.ChunkedArray) -> Converted:
        if _all_in(a, canon):  # already spelled as in the facility file
            none = np.zeros(len(a), bool)
            return Converted(_str(a, blanks=False), none, "", none)
        d = _DistinctValues(a)
        f = pc.utf8_upper(_trim(d.values))
        blank = _np(pc.equal(f, ""))
        idx = pc.index_in(f, value_set=keys)
        known = _np(pc.is_valid(idx))
        out = pc.if_else(pc.is_valid(idx), pc.take(canon, pc.fill_null(idx, 0)), _NULL)
        return Converted(
            d.strings(out), d.expand(~known & ~blank), "not a unit of the facility configuration", d.expand(blank)
        )

    return convert


CONVERTERS: dict[str, Callable[[pa.ChunkedArray], Converted]] = {
    "text": text,
    "upper": upper,
    "register": register,
    "date": date,
    "release": release,
    "int": integer,
    "care": care,
    "bool": boolean,
    "psf": psf,
    "level": enum(LEVELS, "security level", blank_as="UNASSIGNED"),
    "level_opt": enum(LEVELS_ONLY, "security level"),
    "custody": enum(CUSTODY, "custody"),
    "custody_opt": enum(CUSTODY, "custody"),
    "sex": enum(SEX, "sex"),
    "direction": enum(DIRECTION, "direction"),
    "transfer_type": enum(TRANSFER, "transfer type"),
    "desig_status": enum(DESIG_STATUS, "status"),
    "redesig_status": enum(REDESIG_STATUS, "status"),
    "review_type": enum(REVIEW_TYPE, "review type"),
    "rating": enum(RATING, "rating"),
    "severity": enum(SEVERITY, "severity"),
}
