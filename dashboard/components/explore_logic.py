"""The pure half of /explore: conditions typed in a box, groupings, derived columns.

A view's state travels in the URL, so everything read from it is validated here:
a bad condition is one clear sentence, never an exception the page cannot explain.
No Streamlit here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from analytics.levels import level_names, required_levels
from loaders.config import Rules
from loaders.errors import PopdashError

PERSONAL_COLUMNS = ("last_name", "first_name", "birth_date")
BLANK = "(blank)"
# Columns offered as a value list (multiselect) rather than a typed condition.
MAX_CHOICES = 60

_OPS = ("..", ">=", "<=", "!=", ">", "<", "=")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ConditionError(PopdashError):
    """A condition that cannot be applied; the message is one sentence."""


@dataclass(frozen=True)
class Condition:
    op: str  # one of _OPS or "contains"
    low: object = None
    high: object = None


def column_kind(s: pd.Series) -> str:
    """'date', 'number', 'bool' or 'text': decides how a condition is read."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return "date"
    if pd.api.types.is_bool_dtype(s):
        return "bool"
    if pd.api.types.is_numeric_dtype(s):
        return "number"
    return "text"


def _value(text: str, kind: str) -> object:
    text = text.strip()
    if kind == "date":
        if not _DATE.match(text):
            raise ConditionError(f"'{text}' is not a date written YYYY-MM-DD.")
        try:
            return pd.Timestamp(text)
        except ValueError:
            raise ConditionError(f"'{text}' is not a real calendar date.") from None
    if kind == "number":
        try:
            return float(text.replace(",", ""))
        except ValueError:
            raise ConditionError(f"'{text}' is not a number.") from None
    return text.upper()


def parse_condition(text: str, kind: str) -> Condition | None:
    """Read '>= 12', '2026-01-01..2026-06-30', '= LOW' or plain text (contains); None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    if ".." in text:
        lo, _, hi = text.partition("..")
        if kind == "text":
            raise ConditionError("A range (a..b) needs a number or date column.")
        low = _value(lo, kind) if lo.strip() else None
        high = _value(hi, kind) if hi.strip() else None
        if low is None and high is None:
            raise ConditionError("A range needs at least one end, e.g. 12..15.")
        return Condition("..", low, high)
    for op in _OPS[1:]:
        if text.startswith(op):
            rest = text[len(op) :]
            if not rest.strip():
                raise ConditionError(f"'{op}' needs a value after it.")
            if op in (">=", "<=", ">", "<") and kind == "text":
                raise ConditionError(f"'{op}' needs a number or date column.")
            return Condition(op, _value(rest, kind))
    if kind == "text":
        return Condition("contains", text.upper())
    return Condition("=", _value(text, kind))


def apply_condition(s: pd.Series, cond: Condition) -> pd.Series:
    """Boolean mask of the rows meeting `cond`; missing values never match."""
    kind = column_kind(s)
    vals = s.astype("str").str.upper() if kind == "text" else s
    if kind == "bool":
        vals = s.astype("str").str.upper()
    op = cond.op
    if op == "contains":
        mask = vals.str.contains(str(cond.low), regex=False)
    elif op == "..":
        mask = pd.Series(True, index=s.index)
        if cond.low is not None:
            mask &= vals >= cond.low
        if cond.high is not None:
            mask &= vals <= cond.high
    elif op == "=":
        mask = vals == cond.low
    elif op == "!=":
        mask = vals != cond.low
    elif op == ">=":
        mask = vals >= cond.low
    elif op == "<=":
        mask = vals <= cond.low
    elif op == ">":
        mask = vals > cond.low
    else:
        mask = vals < cond.low
    return mask.fillna(False).astype(bool) & s.notna()


def choice_values(s: pd.Series) -> list[str] | None:
    """Sorted distinct values as text when few enough for a value list, else None."""
    if column_kind(s) in ("date", "number") and s.nunique() > 12:
        return None
    labels = as_labels(s)
    uniq = labels.unique()
    if len(uniq) > MAX_CHOICES:
        return None
    return sorted(str(v) for v in uniq)


def as_labels(s: pd.Series) -> pd.Series:
    """Values as text labels for grouping and value lists; missing -> '(blank)'."""
    if column_kind(s) == "date":
        out = s.dt.strftime("%Y-%m-%d")
    elif column_kind(s) == "number":
        out = s.astype("Int64").astype("str") if _is_whole(s) else s.astype("str")
    else:
        out = s.astype("str")
    return out.where(s.notna(), BLANK).fillna(BLANK)


def _is_whole(s: pd.Series) -> bool:
    v = s.dropna()
    return len(v) == 0 or bool(((v % 1) == 0).all())


def in_values(s: pd.Series, values: list[str]) -> pd.Series:
    """Mask of rows whose label is one of `values` ('(blank)' picks missing values)."""
    return as_labels(s).isin(values).astype(bool)


def group_counts(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Row count per combination of the `by` columns (missing shown as '(blank)'), largest first."""
    if not by:
        return pd.DataFrame({"rows": [len(frame)]})
    keys = pd.DataFrame({c: as_labels(frame[c]) for c in by})
    out = keys.groupby(by, sort=False).size().reset_index(name="rows")
    return out.sort_values(["rows", *by], ascending=[False] + [True] * len(by), ignore_index=True)


def derive_columns(kind: str, frame: pd.DataFrame, unit_levels: dict[str, str], as_of: date) -> pd.DataFrame:
    """Add the columns people ask about: unit level, days to release, days since arrival or designation."""
    as_of = pd.Timestamp(as_of)
    extra: dict[str, pd.Series] = {}
    if "unit" in frame and unit_levels:
        extra["unit_level"] = frame["unit"].map(unit_levels).astype("str")
    if "projected_release_date" in frame:
        extra["days_to_release"] = (frame["projected_release_date"] - as_of).dt.days.astype("Int64")
    if kind == "population" and "arrival_date" in frame:
        extra["days_since_arrival"] = (as_of - frame["arrival_date"]).dt.days.astype("Int64")
    if kind == "designations" and "designation_date" in frame:
        extra["days_since_designation"] = (as_of - frame["designation_date"]).dt.days.astype("Int64")
    return frame.assign(**extra) if extra else frame


# Table column widths in pixels: the grid sizes a column by its first rows only, so a column
# whose first values are missing (PSF, MGTV) cut later values short ("SERIOU").
CHAR_PX = 8.5  # an upper-case character in the table font, roughly
HEADING_CHAR_PX = 7.0  # a heading is mostly lower case ('Security level')
CELL_PAD_PX = 24  # cell padding and the sort arrow
MIN_TEXT_PX = 72
MAX_TEXT_PX = 280
WIDTH_QUANTILE = 0.75  # a few very long values do not widen the whole column


def _usual_length(column: pd.Series) -> float:
    """The WIDTH_QUANTILE of a column's value lengths, blanks left out (0 for an all-blank column).

    Linear interpolation, as pandas' quantile. Arrow-backed strings are measured in Arrow: this
    runs for every text column on every rerun of /explore, and pandas' per-column steps cost more
    than the measuring."""
    if isinstance(column.dtype, pd.StringDtype) and hasattr(column.array, "__arrow_array__"):
        lengths = pc.utf8_length(column.array.__arrow_array__())
        if lengths.null_count == len(lengths):
            return 0.0
        return float(pc.quantile(lengths, q=WIDTH_QUANTILE, interpolation="linear")[0].as_py())
    values = np.fromiter((len(str(v)) for v in column.dropna().to_numpy()), dtype=float)
    return float(np.quantile(values, WIDTH_QUANTILE)) if len(values) else 0.0


def text_widths(frame: pd.DataFrame) -> dict[str, int]:
    """Width in pixels for each text column: its usual value length or its heading, whichever is longer."""
    out: dict[str, int] = {}
    for c in frame.columns:
        if column_kind(frame[c]) != "text":
            continue
        usual = _usual_length(frame[c])
        px = max(usual * CHAR_PX, len(str(c)) * HEADING_CHAR_PX) + CELL_PAD_PX
        out[c] = int(min(max(px, MIN_TEXT_PX), MAX_TEXT_PX))
    return out


def with_required_level(kind: str, frame: pd.DataFrame, rules: Rules, as_of: object, default_sex: str) -> pd.DataFrame:
    """Add `required_level`: the level of bed the inmate needs, max(scored level, PSF floors).

    The same function as the briefing's security-level mix (analytics.levels.required_levels), so
    grouping the roster by it reproduces the briefing's counts; UNASSIGNED when not yet scored.
    """
    if kind not in ("population", "designations") or "security_level" not in frame or frame.empty:
        return frame
    ranks = required_levels(frame, rules, as_of, default_sex).required
    names = pd.Series(level_names(ranks), index=frame.index, dtype="str")
    return frame.assign(required_level=names.mask(names == "", "UNASSIGNED"))


def hide_personal(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without names and birth dates (removed from the data, not just hidden)."""
    return frame.drop(columns=[c for c in PERSONAL_COLUMNS if c in frame.columns])
