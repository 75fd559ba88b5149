"""Gather the briefing from a Store into aggregates, then assemble sentences and figures.

`gather` is the only step that reads the store, and it keeps aggregates only: daily
totals, counts per required security level, per pending-move level, per review and discipline.
No row that names an inmate leaves it, so nothing downstream can show one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from analytics import briefing as ab
from dashboard.components import briefing_charts as charts
from dashboard.components.theme import fmt_date

HORIZON_DAYS = 90   # the crossing sentence looks this far ahead
PROJECTION_HORIZON = 180  # as on the /capacity page, so both show the same numbers
TREND_DAYS = 365    # the population chart shows about a year


def keep_together(text: str) -> str:
    """Non-breaking spaces where a line break would strand a unit: '96 %', '14 Jan'."""
    text = text.replace(" %", "\u00a0%")
    return re.sub(r"(\d) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", "\\1\u00a0\\2", text)


class BriefingError(ValueError):
    """The store cannot give a briefing (no population snapshot, unknown as-of date); one sentence."""


@dataclass(frozen=True)
class BriefingInputs:
    """Everything the briefing shows, as aggregates only."""

    facility_name: str
    facility_code: str
    as_of: date
    is_sample: bool
    facility: object                       # loaders.config.Facility
    series: pd.DataFrame                   # as_of_date, population
    level_counts: pd.Series                # inmates per required security level (points, PSF floors) on the as-of date
    pipeline: pd.DataFrame                 # level, pending_in, pending_out
    reviews: pd.DataFrame                  # review_date, discipline, findings, repeats
    projection: pd.DataFrame | None = None  # date, mean, lo80, hi80, lo95, hi95 (facility total)
    track_record: pd.DataFrame | None = None  # horizon, n, mape, mape_naive, coverage_80, coverage_95 (in %)
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Slide:
    """One chart and the sentence that says what it shows."""

    key: str
    takeaway: str
    figure: go.Figure


@dataclass(frozen=True)
class Briefing:
    """The briefing, ready to draw on the page or write to a file."""

    facility_name: str
    facility_code: str
    as_of: date
    is_sample: bool
    slides: tuple[Slide, ...]
    capacity_lines: tuple[str, ...]
    track_line: str
    track_figure: go.Figure | None
    sources: tuple[str, ...] = field(default=())

    @property
    def takeaways(self) -> list[str]:
        return [s.takeaway for s in self.slides]

    @property
    def title(self) -> str:
        return f"{self.facility_name}: Warden's briefing"

    @property
    def subtitle(self) -> str:
        text = f"Population as of {fmt_date(self.as_of)}"
        return f"{text} · SAMPLE DATA" if self.is_sample else text

    @property
    def sources_line(self) -> str:
        text = "Sources: " + (" · ".join(self.sources) if self.sources else "none recorded")
        return f"SAMPLE DATA (fictional) · {text}" if self.is_sample else text

    def texts(self) -> list[str]:
        """Every sentence the briefing prints, in order (what tests scan for identities)."""
        return [self.title, self.subtitle, *self.takeaways, *self.capacity_lines, self.track_line,
                self.sources_line]


# ---------------------------------------------------------------- gather (reads the store)


def _as_of(store, as_of: date | None) -> date:
    dates = [pd.Timestamp(d).date() for d in store.as_of_dates("population")]
    if not dates:
        raise BriefingError("the store holds no population snapshot yet; import a roster first.")
    if as_of is None:
        return max(dates)
    if as_of not in dates:
        raise BriefingError(f"the store has no population snapshot for {fmt_date(as_of)}; "
                            f"it holds {fmt_date(min(dates))} to {fmt_date(max(dates))}.")
    return as_of


def _latest_on_or_before(store, kind: str, as_of: date) -> date | None:
    dates = [pd.Timestamp(d).date() for d in store.as_of_dates(kind)]
    dates = [d for d in dates if d <= as_of]
    return max(dates) if dates else None


def _frame(store, kind: str, as_of: date) -> tuple[pd.DataFrame | None, date | None]:
    when = _latest_on_or_before(store, kind, as_of)
    return (None, None) if when is None else (store.frame(kind, as_of=when), when)


def _reviews(store, as_of: date) -> tuple[pd.DataFrame, date | None]:
    findings, when = _frame(store, "findings", as_of)
    empty = pd.DataFrame({"review_date": pd.Series([], dtype="datetime64[us]"),
                          "discipline": pd.Series([], dtype="str"),
                          "findings": pd.Series([], dtype="int64"), "repeats": pd.Series([], dtype="int64")})
    if findings is None or findings.empty:
        return empty, when
    return ab.review_trend(_with_repeats(findings, as_of), as_of), when


def _with_repeats(findings: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The home institution's findings with the computed `repeat` column (domain.md section 6)."""
    from analytics import findings as af

    return af.home(af.annotate(findings, as_of))


def _projection(store, fac, as_of: date) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The institution projection of the facility and its track record, from what was known at `as_of`.

    The same model as the /capacity page (analytics.projection.institution); the roster frames
    it reads stay here, only the facility's daily mean and bands leave.
    """
    from analytics.projection.flows import FlowParams
    from analytics.projection.institution import Inputs, project_institution

    def until(kind: str, columns: list[str] | None = None) -> pd.DataFrame | None:
        if _latest_on_or_before(store, kind, as_of) is None:
            return None
        return store.history(kind, columns=columns, end=as_of)

    inp = Inputs(
        roster=store.frame("population", as_of=as_of), as_of=pd.Timestamp(as_of), facility=fac,
        designations=_frame(store, "designations", as_of)[0], redesignations=_frame(store, "redesignations", as_of)[0],
        history=until("population", ["register_number", "unit", "security_level", "projected_release_date"]),
        designation_history=until("designations"), redesignation_history=until("redesignations"),
    )
    proj, record = project_institution(inp, PROJECTION_HORIZON, flow_params=FlowParams.from_rules(store.rules()))
    proj = proj[proj["group"] == "facility"][["date", "mean", "lo80", "hi80", "lo95", "hi95"]]
    record = record[record["group"] == "facility"] if "group" in record.columns else record
    return proj.reset_index(drop=True), record.reset_index(drop=True)


def _pipeline(store, fac, roster: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Pending in / out per security level, counted as the /designations page counts them."""
    from analytics.pipeline import FACILITY_ROW, project_population

    designations, _ = _frame(store, "designations", as_of)
    if designations is None:
        designations = pd.DataFrame({"register_number": pd.Series([], dtype="str"),
                                     "security_level": pd.Series([], dtype="str")})
    redesignations, _ = _frame(store, "redesignations", as_of)
    table = project_population(roster, designations, redesignations, fac)
    table = table[table["security_level"] != FACILITY_ROW]
    return pd.DataFrame({"level": table["security_level"].to_numpy(),
                         "pending_in": table["pending_in"].astype("int64").to_numpy(),
                         "pending_out": table["pending_out"].astype("int64").to_numpy()})


def _sources(store, as_of: date) -> tuple[str, ...]:
    """'population and findings exports of 22 Nov 2026': the snapshots used, by date (never file names)."""
    by_date: dict[date, list[str]] = {}
    for kind in ("population", "designations", "redesignations", "findings"):
        when = _latest_on_or_before(store, kind, as_of)
        if when is not None:
            by_date.setdefault(when, []).append(kind)
    out = []
    for when, kinds in sorted(by_date.items(), reverse=True):
        names = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
        out.append(f"{names} export{'s' if len(kinds) > 1 else ''} of {fmt_date(when)}")
    return tuple(out)


def gather(store, as_of: date | None = None,
           projection: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> BriefingInputs:
    """Read the store once and keep only the aggregates the briefing shows.

    `projection`: the facility's (projection, track record) when the caller already has them
    for this as-of date (the dashboard's cached one); otherwise they are computed here.
    """
    as_of = _as_of(store, as_of)
    fac = store.facility()
    series = store.population_by_day(end=as_of)[["as_of_date", "population"]]
    roster = store.frame("population", as_of=as_of)  # read here, reduced to counts here
    level_counts = ab.required_level_counts(roster, store.rules(), as_of, fac.facility.sex)
    pipeline = _pipeline(store, fac, roster, as_of)
    projection, record = projection if projection is not None else _projection(store, fac, as_of)
    reviews, _ = _reviews(store, as_of)
    return BriefingInputs(
        facility_name=fac.facility.name, facility_code=fac.facility.code, as_of=as_of,
        is_sample=bool(store.is_sample), facility=fac, series=series, level_counts=level_counts,
        pipeline=pipeline, reviews=reviews,
        projection=projection, track_record=record, sources=_sources(store, as_of),
    )


# ---------------------------------------------------------------- assemble (pure)


def assemble(i: BriefingInputs) -> Briefing:
    """Sentences and figures from the aggregates."""
    fac, as_of, sample = i.facility, i.as_of, i.is_sample
    head = ab.headline(i.series, fac, as_of, i.projection, HORIZON_DAYS)
    mix = ab.level_mix(i.level_counts, fac)
    pipe = ab.Pipeline(population=head.population, pending_in=int(i.pipeline["pending_in"].sum()),
                       pending_out=int(i.pipeline["pending_out"].sum()), rated_capacity=fac.rated_capacity)
    shown = None
    if i.projection is not None:  # the chart shows the same horizon the sentence speaks of
        end = pd.Timestamp(as_of + timedelta(days=HORIZON_DAYS))
        shown = i.projection[pd.to_datetime(i.projection["date"]) <= end]
    slides = [
        Slide("population", ab.population_sentence(head),
              charts.population_trend(i.series, shown, fac.rated_capacity, fac.operational_capacity,
                                      as_of, sample, TREND_DAYS)),
        Slide("levels", ab.level_mix_sentence(mix), charts.level_mix(mix, as_of, sample)),
        Slide("pipeline", ab.pipeline_sentence(pipe), charts.pipeline(i.pipeline, as_of, sample)),
    ]
    if not i.reviews.empty:
        slides.append(Slide("reviews", ab.review_sentence(i.reviews), charts.review_trend(i.reviews, as_of, sample)))
    capacity_lines: tuple[str, ...] = ()
    if i.projection is not None and not i.projection.empty:
        p = i.projection[pd.to_datetime(i.projection["date"]) <= pd.Timestamp(as_of + timedelta(days=HORIZON_DAYS))]
        capacity_lines = tuple(
            ab.crossing_sentence(name, ab.crossing(p, cap), head.population)
            for name, cap in (("Rated capacity", fac.rated_capacity), ("Operational capacity",
                                                                       fac.operational_capacity))
        )
    record = i.track_record
    has_record = record is not None and bool(record["mape"].notna().any())
    return Briefing(
        facility_name=i.facility_name, facility_code=i.facility_code, as_of=as_of, is_sample=sample,
        slides=tuple(slides), capacity_lines=capacity_lines,
        track_line=ab.track_record_sentence(record) if has_record else ab.NO_TRACK_RECORD,
        track_figure=charts.track_record(record, as_of, sample) if has_record else None,
        sources=i.sources,
    )


def build_briefing(store, as_of: date | None = None,
                   projection: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> Briefing:
    """The briefing of a store at an as-of date (latest population snapshot when None)."""
    return assemble(gather(store, as_of, projection))
