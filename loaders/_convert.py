"""Vectorised conversion of one string column to its canonical form, with the rows that fail.

Each converter takes a pyarrow string array and returns a `Converted`: the pandas values
(canonical dtype), a boolean mask of bad rows, and one reason shared by those rows.
Blank values are not errors here; the loader decides what a blank required value means.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders._dates import parse_dates

STRING = pd.StringDtype("pyarrow")


@dataclass
class Converted:
    values: pd.Series
    bad: np.ndarray
    reason: str = ""
    blank: np.ndarray | None = None


def _np(a: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(a.to_numpy(zero_copy_only=False), dtype=bool)


def _trim(a: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.utf8_trim_whitespace(a)


def _str(a: pa.ChunkedArray) -> pd.Series:
    """Strings as pandas string dtype, empty -> <NA>."""
    a = pc.if_else(pc.equal(a, ""), pa.scalar(None, pa.string()), a)
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(a) if isinstance(a, pa.Array) else a))


def _fold(a: pa.ChunkedArray) -> pa.ChunkedArray:
    """Upper case, runs of spaces/underscores/hyphens as one space, trimmed."""
    up = pc.utf8_upper(_trim(a))
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(up, r"[\s_\-]+", " "))


def text(a: pa.ChunkedArray) -> Converted:
    t = _trim(a)
    return Converted(_str(t), np.zeros(len(a), bool), blank=_np(pc.equal(t, "")))


def upper(a: pa.ChunkedArray) -> Converted:
    t = pc.utf8_upper(_trim(a))
    t = pc.replace_substring_regex(t, r"\s+", " ")
    return Converted(_str(t), np.zeros(len(a), bool), blank=_np(pc.equal(t, "")))


def enum(table: dict[str, str], what: str, blank_as: str | None = None) -> Callable[[pa.ChunkedArray], Converted]:
    """Converter for an enumeration: spelling (folded) -> canonical value."""
    keys = pa.array(list(table))
    vals = pa.array(list(table.values()))
    allowed = ", ".join(sorted(set(table.values())))

    def convert(a: pa.ChunkedArray) -> Converted:
        f = _fold(a)
        blank = _np(pc.equal(f, ""))
        idx = pc.index_in(f, value_set=keys)
        out = pc.take(vals, pc.fill_null(idx, 0))
        out = pc.if_else(pc.is_valid(idx), out, pa.scalar(None, pa.string()))
        if blank_as is not None:
            out = pc.if_else(pc.equal(f, ""), pa.scalar(blank_as), out)
        bad = ~_np(pc.is_valid(idx)) & ~blank
        return Converted(_str(out), bad, f"not a known {what} ({allowed})", blank)

    return convert


def _spellings(*groups: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for canon, *aliases in groups:
        for s in (canon, *aliases):
            out[s] = canon
    return out


LEVELS = _spellings(("MINIMUM", "MIN"), ("LOW",), ("MEDIUM", "MED"), ("HIGH", "HI"),
                    ("UNASSIGNED", "UNAS", "UNCLASSIFIED"))
LEVELS_ONLY = {k: v for k, v in LEVELS.items() if v != "UNASSIGNED"}
CUSTODY = _spellings(("MAXIMUM", "MAX"), ("IN",), ("OUT",), ("COMMUNITY", "COMM"))
SEX = _spellings(("M", "MALE"), ("F", "FEMALE"))
DIRECTION = _spellings(("IN", "INBOUND", "TO US"), ("OUT", "OUTBOUND"))
TRANSFER = _spellings(("LESSER SECURITY",), ("GREATER SECURITY",), ("NEARER RELEASE",), ("MEDICAL",),
                      ("PROGRAM",), ("DISCIPLINARY",), ("ADMINISTRATIVE",), ("OTHER",))
DESIG_STATUS = _spellings(("AWAITING TRANSPORT",), ("IN TRANSIT",), ("VOLUNTARY SURRENDER",), ("HOLDOVER",))
REDESIG_STATUS = _spellings(("PENDING",), ("APPROVED",), ("DENIED",), ("IN TRANSIT",),
                            ("COMPLETED", "COMPLETE"), ("CANCELLED", "CANCELED"))
REVIEW_TYPE = _spellings(("PROGRAM REVIEW",), ("OPERATIONAL REVIEW",), ("SELF AUDIT",))
RATING = _spellings(("SUPERIOR",), ("GOOD",), ("ACCEPTABLE",), ("DEFICIENT",), ("AT RISK",))
SEVERITY = _spellings(("SIGNIFICANT",), ("DEFICIENCY",), ("OBSERVATION",))
_BOOL = {"Y": True, "YES": True, "TRUE": True, "1": True, "N": False, "NO": False, "FALSE": False, "0": False}


def register(a: pa.ChunkedArray) -> Converted:
    t = pc.replace_substring_regex(_trim(a), r"^(\d{5})(\d{3})$", r"\1-\2")
    blank = _np(pc.equal(t, ""))
    ok = _np(pc.match_substring_regex(t, r"^\d{5}-\d{3}$"))
    return Converted(_str(t), ~ok & ~blank, "not a register number (NNNNN-NNN)", blank)


def date(a: pa.ChunkedArray) -> Converted:
    values, blank, bad = parse_dates(a)
    return Converted(pd.Series(values), bad, "not a date (YYYY-MM-DD or MM/DD/YYYY, month first)", blank)


_INT = r"^\+?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?$"


def integer(a: pa.ChunkedArray) -> Converted:
    t = _trim(a)
    blank = _np(pc.equal(t, ""))
    ok = _np(pc.match_substring_regex(t, _INT))
    digits = pc.replace_substring_regex(t, r"[,+]|\.0*$", "")
    digits = pc.if_else(pa.array(ok), digits, pa.scalar(None, pa.string()))
    too_long = _np(pc.greater(pc.utf8_length(pc.fill_null(digits, "")), 15))
    ok &= ~too_long
    digits = pc.if_else(pa.array(ok), digits, pa.scalar(None, pa.string()))
    values = pd.Series(pc.cast(digits, pa.int64()).to_pandas(types_mapper=pd.ArrowDtype)).astype("Int64")
    return Converted(values, ~ok & ~blank, "not a whole number >= 0", blank)


_CARE = r"^(?:CARE\s*LEVEL|CARE\s*LVL|CARE|CL|MH\s*CL|MHCL|MCL|MH|LEVEL|LVL)?\s*-?\s*([1-4])$"


def care(a: pa.ChunkedArray) -> Converted:
    f = pc.utf8_upper(_trim(a))
    blank = _np(pc.equal(f, ""))
    ok = _np(pc.match_substring_regex(f, _CARE))
    digit = pc.replace_substring_regex(f, r"^.*([1-4])$", r"\1")
    digit = pc.if_else(pa.array(ok), digit, pa.scalar(None, pa.string()))
    values = pd.Series(pc.cast(digit, pa.int64()).to_pandas(types_mapper=pd.ArrowDtype)).astype("Int64")
    return Converted(values, ~ok & ~blank, "not a care level (1-4, also CL2, CARE2, MH2)", blank)


def boolean(a: pa.ChunkedArray) -> Converted:
    f = pc.utf8_upper(_trim(a))
    blank = _np(pc.equal(f, ""))
    idx = pc.index_in(f, value_set=pa.array(list(_BOOL)))
    out = pc.take(pa.array(list(_BOOL.values())), pc.fill_null(idx, 0))
    out = pc.if_else(pc.is_valid(idx), out, pa.scalar(None, pa.bool_()))
    bad = ~_np(pc.is_valid(idx)) & ~blank
    values = pd.Series(out.to_pandas(types_mapper=pd.ArrowDtype)).astype("boolean")
    return Converted(values, bad, "not Y or N", blank)


def psf(a: pa.ChunkedArray) -> Converted:
    t = pc.replace_substring_regex(pc.utf8_upper(_trim(a)), r"\s+", " ")
    t = pc.replace_substring_regex(t, r"\s*;\s*", ";")
    t = pc.replace_substring_regex(t, r";{2,}", ";")
    t = pc.utf8_trim(t, ";")
    return Converted(_str(t), np.zeros(len(a), bool), blank=_np(pc.equal(t, "")))


def split_name(a: pa.ChunkedArray) -> tuple[pd.Series, pd.Series]:
    """'LAST, FIRST' -> (last, first); a name without a comma is all last name."""
    parts = pc.split_pattern(_trim(a), ",", max_splits=1)
    last = pc.utf8_trim_whitespace(pc.list_element(parts, 0))
    has_first = pc.greater(pc.list_value_length(parts), 1)
    first = pc.if_else(has_first, pc.list_element(pc.if_else(has_first, parts, pa.scalar([""] * 2, parts.type)), 1), "")
    return _str(last), _str(pc.utf8_trim_whitespace(first))


def unit(units: list[str] | None) -> Callable[[pa.ChunkedArray], Converted]:
    """Converter matching a facility's unit names case-insensitively (no check without a facility)."""
    if units is None:
        return text
    keys = pa.array([u.strip().upper() for u in units])
    canon = pa.array(units)

    def convert(a: pa.ChunkedArray) -> Converted:
        f = pc.utf8_upper(_trim(a))
        blank = _np(pc.equal(f, ""))
        idx = pc.index_in(f, value_set=keys)
        out = pc.if_else(pc.is_valid(idx), pc.take(canon, pc.fill_null(idx, 0)), pa.scalar(None, pa.string()))
        bad = ~_np(pc.is_valid(idx)) & ~blank
        return Converted(_str(out), bad, "not a unit of the facility configuration", blank)

    return convert


CONVERTERS: dict[str, Callable[[pa.ChunkedArray], Converted]] = {
    "text": text,
    "upper": upper,
    "register": register,
    "date": date,
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
