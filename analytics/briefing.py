"""The Warden's briefing without its pictures: the numbers and the plain sentences.

Shared by the /briefing page and `popdash brief`. Pure: frames and numbers in,
small dataclasses and sentences out; the as-of date is always an argument.
Everything here is an aggregate: no function returns or names an individual.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.disclosure import group_texts, hidden, is_small
from analytics.levels import required_levels
from analytics.percent import half_up_percent
from analytics.projection.crossing import first_over
from loaders.config import LEVELS, Facility, Rules
from loaders.errors import PopdashError

# The briefing shows inmates by their required security level R(i) (scored level
# raised by PSF floors, domain.md section 5) against the beds of the units rated
# for that level: a scored-MINIMUM inmate with a PSF belongs in a LOW bed.
# UNASSIGNED inmates and ADMINISTRATIVE beds have no counterpart on the other side.
MIX_TITLE = "By required security level (points and PSF floors)"
MIX_LEVELS: tuple[str, ...] = LEVELS + ("UNASSIGNED", "ADMINISTRATIVE")


def short_date(d: date) -> str:
    """'14 Jan': crossing dates lie within months of the as-of date, so the year adds nothing."""
    return f"{d.day} {d:%b}"


def long_date(d: date) -> str:
    """'22 Nov 2026'."""
    return f"{d.day} {d:%b %Y}"


def level_name(level: str) -> str:
    """'MEDIUM' -> 'Medium'; UNASSIGNED reads as 'Unclassified'."""
    return "Unclassified" if level == "UNASSIGNED" else level.title()


def count_text(n: int, small: int | None = None) -> str:
    """'703', or 'fewer than 5' for a small group (see `is_small`)."""
    return f"fewer than {small}" if is_small(n, small) else f"{n:,}"


# ---------------------------------------------------------------- population


@dataclass(frozen=True)
class Crossing:
    """When the projection passes a capacity: mean date and the 80 % range (None = not within the horizon)."""

    capacity: int
    mean: date | None
    early80: date | None  # the upper 80 % bound passes it first
    late80: date | None  # the lower 80 % bound passes it last
    horizon_end: date


def _day(when: pd.Timestamp | None) -> date | None:
    return None if when is None else when.date()


def crossing(projection: pd.DataFrame, capacity: int) -> Crossing:
    """Crossing dates of a projection frame (date, mean, lo80, hi80, ...) for one capacity."""
    return Crossing(
        capacity=int(capacity),
        mean=_day(first_over(projection, "mean", capacity)),
        early80=_day(first_over(projection, "hi80", capacity)),
        late80=_day(first_over(projection, "lo80", capacity)),
        horizon_end=pd.Timestamp(projection["date"].max()).date(),
    )


@dataclass(frozen=True)
class Headline:
    """Today's count against last week and rated capacity, and the rated-capacity crossing."""

    as_of: date
    population: int
    week_ago: int | None
    rated_capacity: int
    operational_capacity: int
    crossing: Crossing | None = None  # None when there is no projection
    horizon_days: int = 90
    band: str = "80 %"  # "assumed 80 %" when no track record backs the bands

    @property
    def change(self) -> int | None:
        return None if self.week_ago is None else self.population - self.week_ago

    @property
    def occupancy_pct(self) -> int | None:
        return half_up_percent(self.population, self.rated_capacity)


def headline(
    series: pd.DataFrame,
    facility: Facility,
    as_of: date,
    projection: pd.DataFrame | None = None,
    horizon_days: int = 90,
    band: str = "80 %",
) -> Headline:
    """Headline numbers from the daily totals (as_of_date, population) up to `as_of`."""
    s = series.assign(as_of_date=pd.to_datetime(series["as_of_date"]).dt.date)
    today = s.loc[s["as_of_date"] == as_of, "population"]
    if today.empty:
        raise PopdashError(f"no population count for {long_date(as_of)}")
    week = s.loc[s["as_of_date"] == as_of - timedelta(days=7), "population"]
    cross = None
    if projection is not None and not projection.empty:
        p = projection.assign(date=pd.to_datetime(projection["date"]))
        p = p[p["date"] <= pd.Timestamp(as_of + timedelta(days=horizon_days))]
        cross = crossing(p, facility.rated_capacity) if not p.empty else None
    return Headline(
        as_of=as_of,
        population=int(today.iloc[0]),
        week_ago=None if week.empty else int(week.iloc[0]),
        rated_capacity=facility.rated_capacity,
        operational_capacity=facility.operational_capacity,
        crossing=cross,
        horizon_days=horizon_days,
        band=band,
    )


def _change_clause(change: int | None) -> str:
    if change is None:
        return ""
    if change > 0:
        return f", up {change:,} on last week"
    if change < 0:
        return f", down {-change:,} on last week"
    return ", unchanged on last week"


# The crossing speaks of the projection's mean, which dates each pending move; the pipeline
# sentence's total assumes every move completed today. Each says which, so they never clash.
PROJECTION_MEAN = "the projection's mean (each move on its expected date)"


def _crossing_clause(h: Headline) -> str:
    c = h.crossing
    if c is None:
        return ""
    if c.mean is None:
        text = f"; {PROJECTION_MEAN} stays under rated capacity for {h.horizon_days} days"
        if c.early80 is not None:
            text += f" ({h.band} upper bound passes it from {short_date(c.early80)})"
        return text
    late = short_date(c.late80) if c.late80 else f"after {short_date(c.horizon_end)}"
    early = short_date(c.early80 or c.mean)
    return f"; {PROJECTION_MEAN} passes rated capacity around {short_date(c.mean)} ({h.band}: {early} – {late})"


def population_sentence(h: Headline) -> str:
    """'Population 1,742, up 12 on last week; 96 % of rated capacity; projected to pass ...'."""
    text = f"Population {h.population:,}{_change_clause(h.change)}"
    pct = h.occupancy_pct
    if pct is None:
        return text + "."
    over = h.population - h.rated_capacity
    if over > 0:
        # Already over: a crossing date would be meaningless.
        return f"{text}; {pct} % of rated capacity, {over:,} over it already."
    if over == 0:
        return f"{text}; at rated capacity exactly."
    return f"{text}; {pct} % of rated capacity{_crossing_clause(h)}."


# ---------------------------------------------------------------- security-level mix


def required_level_counts(roster: pd.DataFrame, rules: Rules, as_of: object, default_sex: str) -> pd.Series:
    """Inmates per required security level R(i) (points and PSF floors); UNASSIGNED when not yet scored.

    Counts only (index = level, levels with nobody left out): no row of the roster leaves.
    """
    req = required_levels(roster, rules, as_of, default_sex).required  # -1 when not yet scored
    counts = np.bincount(req + 1, minlength=len(LEVELS) + 1)
    out = pd.Series(counts, index=pd.Index(("UNASSIGNED",) + LEVELS, name="required_level"), dtype="int64")
    return out[out > 0]


def level_mix(level_counts: pd.Series, facility: Facility) -> pd.DataFrame:
    """Inmates by required security level against rated beds of the units at that level.

    `level_counts`: inmates per required level on the as-of date (index = level, see
    `required_level_counts`).
    Returns one row per level present on either side: level, inmates, beds, pct.
    """
    beds = pd.Series({u.name: u.rated_capacity for u in facility.units}).groupby(pd.Series(facility.unit_levels)).sum()
    out = pd.DataFrame({"inmates": level_counts, "beds": beds}).reindex(list(MIX_LEVELS))
    out = out.fillna(0).astype("int64")
    out = out[(out["inmates"] > 0) | (out["beds"] > 0)]
    out["pct"] = pd.array(
        [
            half_up_percent(int(i), int(b)) if lv in LEVELS else None
            for lv, i, b in zip(out.index, out["inmates"], out["beds"])
        ],
        dtype="Int64",
    )
    return out.rename_axis("level").reset_index()


def level_mix_sentence(mix: pd.DataFrame, small: int | None = None) -> str:
    """'By required security level (points and PSF floors): Low 703 for 672 beds (105 %), ...; 12 not yet classified.'

    `small`: counts of 1 to small-1 inmates read "fewer than {small}" and lose their percentage;
    since the population is shown beside it, a group hidden alone takes the next-smallest with it
    (analytics.disclosure), which reads "not shown".
    """
    rows = [(lv, int(i), int(b)) for lv, i, b in zip(mix["level"], mix["inmates"], mix["beds"])]
    texts = dict(zip(mix["level"], group_texts([i for _, i, _ in rows], small)))
    hide = dict(zip(mix["level"], hidden([i for _, i, _ in rows], small)))
    parts = [
        f"{level_name(lv)} {texts[lv]} for {b:,}"
        + (" beds" if not k else "")
        + ("" if hide[lv] else f" ({half_up_percent(i, b)} %)")
        for k, (lv, i, b) in enumerate(r for r in rows if r[0] in LEVELS and r[2] > 0)
    ]
    text = f"{MIX_TITLE}: " + ", ".join(parts) if parts else "No unit has a single security level"
    for lv, i, b in rows:
        if lv in LEVELS and b == 0 and i > 0:
            text += f"; {texts[lv]} at {level_name(lv)}, a level no unit here is rated for"
    for lv, i, _ in rows:
        if lv == "UNASSIGNED" and i:
            text += f"; {texts[lv]} not yet classified"
    return text + "."


# ---------------------------------------------------------------- pipeline


@dataclass(frozen=True)
class PendingMoves:
    """Pending moves and the capacity-sheet arithmetic: projected = current + in - out."""

    population: int
    pending_in: int
    pending_out: int
    rated_capacity: int

    @property
    def projected(self) -> int:
        return self.population + self.pending_in - self.pending_out

    @property
    def projected_pct(self) -> int | None:
        return half_up_percent(self.projected, self.rated_capacity)


def pipeline_sentence(p: PendingMoves, small: int | None = None) -> str:
    """'Pending: 48 in, 31 out; 1,759 if every pending move were completed today, 98 % of rated capacity.'

    The total is the capacity sheet's arithmetic, not the projection (which dates each move):
    the sentence says so, so it never reads against the crossing sentence. With a small group
    (`small`) the total is left out too, since it would give the hidden count back.
    """
    if p.pending_in == 0 and p.pending_out == 0:
        return "Nothing pending in or out."
    text = f"Pending: {count_text(p.pending_in, small)} in, {count_text(p.pending_out, small)} out"
    if is_small(p.pending_in, small) or is_small(p.pending_out, small):
        return text + "."
    text += f"; {p.projected:,} if every pending move were completed today"
    return f"{text}, {p.projected_pct} % of rated capacity." if p.projected_pct is not None else text + "."


# ---------------------------------------------------------------- Program Review


def review_trend(findings: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Findings per Program Review and discipline up to `as_of`: review_date, discipline, findings, repeats.

    `findings` has review_date, discipline and a boolean `repeat` column; only the home
    institution's (blank facility) Program Reviews count, or every review when the log has no
    review_type.
    """
    f = findings
    if "facility" in f.columns:
        f = f[f["facility"].isna()]
    if "review_type" in f.columns:
        f = f[f["review_type"].fillna("PROGRAM REVIEW") == "PROGRAM REVIEW"]
    f = f[pd.to_datetime(f["review_date"]) <= pd.Timestamp(as_of)]
    f = f.assign(review_date=pd.to_datetime(f["review_date"]), repeat=f["repeat"].fillna(False).astype(bool))
    out = f.groupby(["review_date", "discipline"], as_index=False).agg(
        findings=("repeat", "size"), repeats=("repeat", "sum")
    )
    return out.astype({"findings": "int64", "repeats": "int64"}).sort_values(
        ["review_date", "discipline"], ignore_index=True
    )


def review_sentence(trend: pd.DataFrame) -> str:
    """'Last Program Review (3 Mar 2026): 14 findings, 5 of them repeats, against 11 at the review before;
    most in Health Services (6).'"""
    if trend.empty:
        return "No Program Review findings on record."
    per = trend.groupby("review_date")[["findings", "repeats"]].sum().sort_index()
    last_date = per.index[-1]
    last = per.iloc[-1]
    text = f"Last Program Review ({long_date(last_date.date())}): {last.findings:,} findings"
    n = int(last.repeats)
    text += ", none a repeat" if n == 0 else (", 1 of them a repeat" if n == 1 else f", {n:,} of them repeats")
    if len(per) > 1:
        text += f", against {per.iloc[-2].findings:,} at the review before"
    top = (
        trend[trend["review_date"] == last_date]
        .sort_values(["findings", "discipline"], ascending=[False, True])
        .iloc[0]
    )
    return f"{text}; most in {top.discipline} ({top.findings:,})."


# ---------------------------------------------------------------- track record


NO_TRACK_RECORD = "No track record yet: the history is too short to test the projection."


def track_record_sentence(record: pd.DataFrame, horizon: int = 30) -> str:
    """One sentence from a backtest table (analytics.projection: horizon, mape, mape_naive, coverage_80 in %)."""
    row = record[(record["horizon"] == horizon) & record["mape"].notna()]
    if row.empty:
        return NO_TRACK_RECORD
    r = row.iloc[0]
    shown, naive = round(float(r.mape), 1), round(float(r.mape_naive), 1)
    # compared as printed, so the sentence never contradicts its own numbers
    verdict = "better than" if shown < naive else ("level with" if shown == naive else "worse than")
    text = (
        f"Track record at {horizon} days: off by {shown:.1f} % on average, "
        f"{verdict} 'same as last count' ({naive:.1f} %)"
    )
    if "coverage_80" in record.columns and pd.notna(r.coverage_80):
        text += f"; the 80 % band held {math.floor(r.coverage_80 + 0.5)} % of outcomes"
    return text + "."


def crossing_sentence(name: str, c: Crossing, population: int, band: str = "80 %") -> str:
    """'Rated capacity (1,968): projected mean passes it around 14 Jan (80 %: 28 Dec – 2 Feb).'"""
    head = f"{name} ({c.capacity:,})"
    if population > c.capacity:
        return f"{head}: already {population - c.capacity:,} over."
    if c.mean is None:
        text = f"{head}: projected mean stays under it to {short_date(c.horizon_end)}"
        if c.early80 is not None:
            text += f" ({band} upper bound passes it from {short_date(c.early80)})"
        return text + "."
    late = short_date(c.late80) if c.late80 else f"after {short_date(c.horizon_end)}"
    return (
        f"{head}: projected mean passes it around {short_date(c.mean)} "
        f"({band}: {short_date(c.early80 or c.mean)} – {late})."
    )
