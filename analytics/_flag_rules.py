"""The roster rules of domain.md section 5, one function per rule id.

Each rule function takes the shared `Context` and returns `(mask, explain)`: a boolean
array over the roster rows and a function giving the explanation of the flagged rows.
Explanations are built only for flagged rows; masks are plain vectorised comparisons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from analytics.levels import NO_LEVEL, RequiredLevels, level_names, level_ranks, required_levels
from loaders.config import Facility, Rules

Explain = Callable[[np.ndarray], pd.Series]
RuleResult = tuple[np.ndarray, Explain]


def date_text(values: pd.Series, pos: np.ndarray) -> pd.Series:
    """YYYY-MM-DD text of the given rows of a datetime column."""
    days = values.to_numpy(dtype="datetime64[ns]")[pos].astype("datetime64[D]")
    return pd.Series(np.datetime_as_string(days), dtype="str")


def int_text(values: np.ndarray, pos: np.ndarray) -> pd.Series:
    """Whole numbers of the given rows as text."""
    return pd.Series(np.asarray(values)[pos].astype(np.int64), dtype="int64").astype("str")


def text(values: np.ndarray | pd.Series, pos: np.ndarray) -> pd.Series:
    """Text of the given rows as a str Series aligned 0..n-1."""
    if isinstance(values, pd.Series):  # take first: converting a whole Arrow column is the slow part
        return values.take(pos).reset_index(drop=True).astype("str")
    return pd.Series(np.asarray(values, dtype=object)[pos], dtype="str")


DATE_COLUMNS = (
    "arrival_date",
    "mgtv_expires",
    "initial_classification_date",
    "last_program_review_date",
    "projected_release_date",
    "designation_date",
)


def as_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its date columns as datetime64 (canonical frames already are; hand-made ones may not be)."""
    fix = {
        c: pd.to_datetime(frame[c])
        for c in DATE_COLUMNS
        if c in frame and not pd.api.types.is_datetime64_dtype(frame[c])
    }
    return frame.assign(**fix) if fix else frame


@dataclass
class Context:
    """What several rules share, computed once per evaluation."""

    roster: pd.DataFrame  # index 0..n-1
    facility: Facility
    rules: Rules
    as_of: pd.Timestamp

    def __post_init__(self) -> None:
        self.roster = as_dates(self.roster)

    def has(self, *columns: str) -> bool:
        return all(c in self.roster for c in columns)

    def days_since(self, column: str) -> np.ndarray:
        """(as-of - date).days per row; NaN where the date is missing."""
        return (self.as_of - self.roster[column]).dt.days.to_numpy(dtype=float)

    def days_until(self, column: str) -> np.ndarray:
        """(date - as-of).days per row; NaN where the date is missing."""
        return (self.roster[column] - self.as_of).dt.days.to_numpy(dtype=float)

    @cached_property
    def unit_level(self) -> np.ndarray:
        """Effective level name of each row's unit; '' for a unit the facility file does not list."""
        levels = {name.strip().upper(): lvl for name, lvl in self.facility.unit_levels.items()}
        codes, uniques = pd.factorize(self.roster["unit"])
        table = np.array([levels.get(str(u).strip().upper(), "") for u in uniques] + [""], dtype=object)
        return table[codes]

    @cached_property
    def unit_rank(self) -> np.ndarray:
        return level_ranks(self.unit_level)

    @cached_property
    def req(self) -> RequiredLevels:
        return required_levels(self.roster, self.rules, self.as_of, self.facility.facility.sex)

    @cached_property
    def mgtv_present(self) -> np.ndarray:
        m = self.roster["mgtv"]
        return (m.notna() & m.astype("str").str.strip().ne("")).to_numpy(dtype=bool)

    @cached_property
    def mgtv_expired(self) -> np.ndarray:
        """MGTV present with an expiry date before the as-of date."""
        if "mgtv_expires" not in self.roster:
            return np.zeros(len(self.roster), dtype=bool)
        return self.mgtv_present & (self.days_until("mgtv_expires") < 0)

    @cached_property
    def mgtv_active(self) -> np.ndarray:
        """MGTV present with no expiry date or one on or after the as-of date."""
        return self.mgtv_present & ~self.mgtv_expired

    @cached_property
    def level_checked(self) -> np.ndarray:
        """Rows the SEC-* and MGTV-* rules look at: a real unit level and a scored level."""
        return (self.unit_rank != NO_LEVEL) & (self.req.scored != NO_LEVEL)

    def placement(self, pos: np.ndarray) -> pd.Series:
        """'unit CAMP is MINIMUM' for the given rows."""
        return "unit " + text(self.roster["unit"], pos) + " is " + text(self.unit_level, pos)


def _sec(ctx: Context, above: bool) -> RuleResult:
    req, unit = ctx.req.required, ctx.unit_rank
    wrong = req > unit if above else req < unit
    mask = ctx.level_checked & wrong & ~ctx.mgtv_active

    def explain(pos: np.ndarray) -> pd.Series:
        no_mgtv = pd.Series(np.full(len(pos), "no active MGTV", dtype=object), dtype="str")
        if "mgtv_expires" in ctx.roster:
            lapsed = "MGTV " + text(ctx.roster["mgtv"], pos) + " expired " + date_text(ctx.roster["mgtv_expires"], pos)
            no_mgtv = lapsed.where(pd.Series(ctx.mgtv_expired[pos]), no_mgtv)
        return ctx.req.explain(pos) + ctx.placement(pos) + "; " + no_mgtv

    return mask, explain


def sec_above(ctx: Context) -> RuleResult:
    """SEC-ABOVE: R(i) > level(u) and no active MGTV."""
    return _sec(ctx, above=True)


def sec_below(ctx: Context) -> RuleResult:
    """SEC-BELOW: R(i) < level(u) and no active MGTV."""
    return _sec(ctx, above=False)


def _mismatch(ctx: Context, pos: np.ndarray) -> pd.Series:
    return "; required " + text(level_names(ctx.req.required), pos) + ", " + ctx.placement(pos)


def mgtv_expired(ctx: Context) -> RuleResult:
    """MGTV-EXPIRED: MGTV present, expiry before the as-of date, and R(i) != level(u)."""
    mask = ctx.level_checked & ctx.mgtv_expired & (ctx.req.required != ctx.unit_rank)

    def explain(pos: np.ndarray) -> pd.Series:
        r = ctx.roster
        return "MGTV " + text(r["mgtv"], pos) + " expired " + date_text(r["mgtv_expires"], pos) + _mismatch(ctx, pos)

    return mask, explain


def mgtv_expiring(ctx: Context) -> RuleResult:
    """MGTV-EXPIRING: active MGTV expiring within N days, and R(i) != level(u)."""
    left = ctx.days_until("mgtv_expires")
    within = (left >= 0) & (left <= ctx.rules.days.mgtv_expiring)
    mask = ctx.level_checked & ctx.mgtv_active & within & (ctx.req.required != ctx.unit_rank)

    def explain(pos: np.ndarray) -> pd.Series:
        r = ctx.roster
        n = pd.Series(left[pos])
        when = ("in " + int_text(left, pos) + " days").where(n != 1, "in 1 day").where(n != 0, "today")
        return (
            "MGTV "
            + text(r["mgtv"], pos)
            + " expires "
            + date_text(r["mgtv_expires"], pos)
            + ", "
            + when
            + _mismatch(ctx, pos)
        )

    return mask, explain


def _arrived(ctx: Context, since: np.ndarray, pos: np.ndarray) -> pd.Series:
    return "arrived " + date_text(ctx.roster["arrival_date"], pos) + ", " + int_text(since, pos) + " days ago, "


def unclassified(ctx: Context) -> RuleResult:
    """UNCLASSIFIED: security level UNASSIGNED and more than N days since arrival."""
    since = ctx.days_since("arrival_date")
    unassigned = ctx.roster["security_level"].eq("UNASSIGNED").fillna(False).to_numpy(dtype=bool)
    mask = unassigned & (since > ctx.rules.days.unclassified)
    return mask, lambda pos: _arrived(ctx, since, pos) + "still UNASSIGNED"


def classification_overdue(ctx: Context) -> RuleResult:
    """CLASSIFICATION-OVERDUE: no initial classification date and more than N days since arrival."""
    since = ctx.days_since("arrival_date")
    mask = ctx.roster["initial_classification_date"].isna().to_numpy() & (since > ctx.rules.days.initial_classification)
    return mask, lambda pos: _arrived(ctx, since, pos) + "no initial classification recorded"


def custody_unit(ctx: Context) -> RuleResult:
    """CUSTODY-UNIT: custody not in the allowed set for the unit's level (a level the rules file omits allows all)."""
    allowed = {lvl: frozenset(c) for lvl, c in ctx.rules.custody.items()}
    c_codes, c_uniques = pd.factorize(ctx.roster["custody"])
    u_codes, u_uniques = pd.factorize(ctx.unit_level)
    # bad[unit level, custody]: a small table, then one fancy-index over the rows; missing values stay False
    bad = np.zeros((len(u_uniques) + 1, len(c_uniques) + 1), dtype=bool)
    for i, lvl in enumerate(u_uniques):
        if lvl in allowed:
            bad[i, :-1] = [c not in allowed[lvl] for c in c_uniques]
    mask = bad[u_codes, c_codes]
    listed = {lvl: ", ".join(c) for lvl, c in ctx.rules.custody.items()}

    def explain(pos: np.ndarray) -> pd.Series:
        unit_lvl = text(ctx.unit_level, pos)
        return (
            "custody "
            + text(ctx.roster["custody"], pos)
            + " not allowed in a "
            + unit_lvl
            + " unit (allowed: "
            + unit_lvl.map(listed)
            + ")"
        )

    return mask, explain


CARE = (
    ("medical_care_level", "medical", "medical_care_level"),
    ("mental_health_care_level", "mental-health", "mental_health_care_level"),
)


def care_level(ctx: Context) -> RuleResult:
    """CARE-LEVEL: medical or mental-health care level above the institution's (one flag for either)."""
    parts = []
    for column, words, attr in CARE:
        if column not in ctx.roster:
            continue
        own = getattr(ctx.facility.facility, attr)
        level = ctx.roster[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        parts.append((level > own, level, words, own))
    mask = np.zeros(len(ctx.roster), dtype=bool)
    for above, *_ in parts:
        mask |= above

    def explain(pos: np.ndarray) -> pd.Series:
        out = pd.Series([""] * len(pos), dtype="str")
        for above, level, words, own in parts:
            piece = f"{words} care level " + int_text(np.nan_to_num(level), pos) + f" above the institution's {own}"
            hit = pd.Series(above[pos])
            joined = (out + "; " + piece).where(out != "", piece)
            out = joined.where(hit, out)
        return out

    return mask, explain


def review_basis(roster: pd.DataFrame, rules: Rules, as_of: pd.Timestamp) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Per row: the last review (the initial classification when none), the interval in days, and near release.

    Near release: 0 <= (projected release date - as-of).days <= near_release; the interval is then the
    shorter one. Needs `last_program_review_date`; the other two columns are used when present.
    """
    days = rules.days
    review = roster["last_program_review_date"]
    last = review.fillna(roster["initial_classification_date"]) if "initial_classification_date" in roster else review
    if "projected_release_date" in roster:
        to_release = (roster["projected_release_date"] - as_of).dt.days.to_numpy(dtype=float)
        near = (to_release >= 0) & (to_release <= days.near_release)
    else:
        near = np.zeros(len(roster), dtype=bool)
    return last, np.where(near, days.program_review_near_release, days.program_review), near


def review_overdue(ctx: Context) -> RuleResult:
    """REVIEW-OVERDUE: more than 180 days (90 near release) since the last review (else the initial classification)."""
    r, days = ctx.roster, ctx.rules.days
    review = r["last_program_review_date"]
    last, interval, near = review_basis(r, ctx.rules, ctx.as_of)
    since = (ctx.as_of - last).dt.days.to_numpy(dtype=float)
    mask = since > interval  # NaN (neither date) is never overdue: CLASSIFICATION-OVERDUE covers it

    def explain(pos: np.ndarray) -> pd.Series:
        had_review = pd.Series(review.notna().to_numpy()[pos])
        what = pd.Series(
            np.where(had_review, "last program review ", "no program review recorded; initial classification "),
            dtype="str",
        )
        base = what + date_text(last, pos) + ", " + int_text(since, pos) + " days ago; due every "
        base = base + int_text(interval, pos) + " days"
        if "projected_release_date" in r:
            rel = " (release " + date_text(r["projected_release_date"], pos) + f" within {days.near_release} days)"
            base = base + rel.where(pd.Series(near[pos]), "")
        return base

    return mask, explain
