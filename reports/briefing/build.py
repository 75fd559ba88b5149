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

from analytics import briefing as briefing_figures
from analytics import findings as analytics_findings
from analytics.pipeline import FACILITY_ROW, project_population
from loaders.config import Facility
from loaders.errors import PopdashError
from loaders.events import list_events
from loaders.store import Store
from reports import sources as source_words
from reports import track_record as tracks
from reports.briefing import charts
from reports.briefing.scenarios import BriefScenario, brief_scenarios, scenario_section
from reports.projection import PROJECTION_HORIZON, facility_rows, project_store
from reports.scenarios import ScenarioRuns, store_scenarios
from reports.snapshots import NO_POPULATION, frame_on_or_before, latest_on_or_before
from reports.theme import fmt_date

HORIZON_DAYS = 90  # the crossing sentence looks this far ahead
TREND_DAYS = 365  # the population chart shows about a year


def keep_together(text: str) -> str:
    """Non-breaking spaces where a line break would strand a unit: '96 %', '14 Jan'."""
    text = text.replace(" %", "\u00a0%")
    return re.sub(r"(\d) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b", "\\1\u00a0\\2", text)


class BriefingError(PopdashError):
    """The store cannot give a briefing (no population snapshot, unknown as-of date); one sentence."""


@dataclass(frozen=True)
class BriefingInputs:
    """Everything the briefing shows, as aggregates only."""

    facility_name: str
    facility_code: str
    as_of: date
    is_sample: bool
    facility: Facility
    series: pd.DataFrame  # as_of_date, population
    level_counts: pd.Series  # inmates per required security level (points, PSF floors) on the as-of date
    pipeline: pd.DataFrame  # level, pending_in, pending_out
    reviews: pd.DataFrame  # review_date, discipline, findings, repeats
    projection: pd.DataFrame | None = None  # date, mean, lo80, hi80, lo95, hi95 (facility total)
    track_record: pd.DataFrame | None = None  # horizon, n, mape, mape_naive, coverage_80, coverage_95 (in %)
    sources: tuple[str, ...] = ()
    # latest snapshot on or before the as-of date of each source other than the roster; a kind that
    # is None or left out counts as absent, so a figure is never drawn from a source nobody vouched for
    latest: dict[str, date | None] = field(default_factory=dict)
    small_group: int | None = None  # the rules file's [disclosure] small_group
    scenarios: tuple[BriefScenario, ...] = ()  # facility lines of each scenario, labelled by letter
    scenario_problems: tuple[str, ...] = ()  # "Scenario C could not be applied: ..."


@dataclass(frozen=True)
class Slide:
    """One chart and the sentence that says what it shows (and, for some, lines under it)."""

    key: str
    takeaway: str
    figure: go.Figure
    notes: tuple[str, ...] = ()


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
    gaps: tuple[str, ...] = field(default=())  # each source a figure needs that is absent or behind, in words

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
        notes = [n for s in self.slides for n in s.notes]
        return [
            self.title,
            self.subtitle,
            *self.takeaways,
            *notes,
            *self.capacity_lines,
            self.track_line,
            *self.gaps_lines,
            self.sources_line,
        ]

    @property
    def gaps_lines(self) -> list[str]:
        """'Not in the store: no designations export in the store.' (what the files and the page print)."""
        return [f"Missing or behind: {'; '.join(self.gaps)}."] if self.gaps else []


# ---------------------------------------------------------------- gather (reads the store)


def _as_of(store: Store, as_of: date | None) -> date:
    dates = [pd.Timestamp(d).date() for d in store.as_of_dates("population")]
    if not dates:
        raise BriefingError(NO_POPULATION)
    if as_of is None:
        return max(dates)
    if as_of not in dates:
        raise BriefingError(
            f"the store has no population snapshot for {fmt_date(as_of)}; "
            f"it holds {fmt_date(min(dates))} to {fmt_date(max(dates))}."
        )
    return as_of


def _reviews(store: Store, as_of: date) -> tuple[pd.DataFrame, date | None]:
    findings, when = frame_on_or_before(store, "findings", as_of)
    empty = pd.DataFrame(
        {
            "review_date": pd.Series([], dtype="datetime64[us]"),
            "discipline": pd.Series([], dtype="str"),
            "findings": pd.Series([], dtype="int64"),
            "repeats": pd.Series([], dtype="int64"),
        }
    )
    if findings is None or findings.empty:
        return empty, when
    return briefing_figures.review_trend(_with_repeats(findings, as_of), as_of), when


def _with_repeats(findings: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The home institution's findings with the computed `repeat` column (domain.md section 6)."""
    return analytics_findings.home(analytics_findings.annotate(findings, as_of))


def _projection(store: Store, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame, ScenarioRuns]:
    """The institution projection of the facility, its track record and the store's scenarios, from
    what was known at `as_of`.

    The same model and inputs as the /capacity page (reports.projection, reports.scenarios); only
    the facility's daily mean and bands leave.
    """
    full, record = project_store(store, PROJECTION_HORIZON, as_of)
    return (*facility_rows(full, record), store_scenarios(store, full, as_of))


def _pipeline(store: Store, fac: Facility, roster: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Pending in / out per security level, counted as the /designations page counts them."""
    designations, _ = frame_on_or_before(store, "designations", as_of)
    if designations is None:
        designations = pd.DataFrame(
            {"register_number": pd.Series([], dtype="str"), "security_level": pd.Series([], dtype="str")}
        )
    redesignations, _ = frame_on_or_before(store, "redesignations", as_of)
    table = project_population(roster, designations, redesignations, fac)
    table = table[table["security_level"] != FACILITY_ROW]
    return pd.DataFrame(
        {
            "level": table["security_level"].to_numpy(),
            "pending_in": table["pending_in"].astype("int64").to_numpy(),
            "pending_out": table["pending_out"].astype("int64").to_numpy(),
        }
    )


def _sources(store: Store, as_of: date) -> tuple[str, ...]:
    """'population and findings exports of 22 Nov 2026': the snapshots used, by date (never file names)."""
    by_date: dict[date, list[str]] = {}
    for kind in ("population", "designations", "redesignations", "findings"):
        when = latest_on_or_before(store, kind, as_of)
        if when is not None:
            by_date.setdefault(when, []).append(kind)
    out = []
    for when, kinds in sorted(by_date.items(), reverse=True):
        names = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
        out.append(f"{names} export{'s' if len(kinds) > 1 else ''} of {fmt_date(when)}")
    return tuple(out)


def gather(
    store: Store,
    as_of: date | None = None,
    projection: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    scenarios: ScenarioRuns | None = None,
) -> BriefingInputs:
    """Read the store once and keep only the aggregates the briefing shows.

    `projection`: the facility's (projection, track record) when the caller already has them
    for this as-of date (the dashboard's cached one), and `scenarios` the store's scenarios
    applied to that projection; otherwise they are computed here.
    """
    as_of = _as_of(store, as_of)
    fac = store.facility()
    series = store.population_by_day(end=as_of)[["as_of_date", "population"]]
    roster = store.frame("population", as_of=as_of)  # read here, reduced to counts here
    level_counts = briefing_figures.required_level_counts(roster, store.rules(), as_of, fac.facility.sex)
    pipeline = _pipeline(store, fac, roster, as_of)
    if projection is None:
        projection, record, scenarios = _projection(store, as_of)
    else:
        projection, record = projection
        if scenarios is None:
            scenarios = _projection(store, as_of)[2] if _has_plans(store) else ScenarioRuns(())
    briefed, problems = brief_scenarios(scenarios, fac.facility.name)
    reviews, _ = _reviews(store, as_of)
    latest = {k: latest_on_or_before(store, k, as_of) for k in ("designations", "redesignations", "findings")}
    return BriefingInputs(
        facility_name=fac.facility.name,
        facility_code=fac.facility.code,
        as_of=as_of,
        is_sample=bool(store.is_sample),
        facility=fac,
        series=series,
        level_counts=level_counts,
        pipeline=pipeline,
        reviews=reviews,
        projection=projection,
        track_record=record,
        sources=_sources(store, as_of),
        latest=latest,
        small_group=store.rules().disclosure.small_group,
        scenarios=briefed,
        scenario_problems=problems,
    )


def _has_plans(store: Store) -> bool:
    return any(e.enabled for e in list_events(store))


# ---------------------------------------------------------------- assemble (pure)


def _clause(words: list[str]) -> str:
    return "; ".join(words)


def _pipeline_slide(i: BriefingInputs, population: int) -> Slide:
    """Pending moves, or in words which export is missing: no export is not zero pending."""
    as_of, small = i.as_of, i.small_group
    gaps = {side: source_words.figure_gaps(side, i.latest, as_of) for side in ("pending_in", "pending_out")}
    absent = {side: source_words.missing(g, i.latest) for side, g in gaps.items()}
    behind = list(dict.fromkeys(w for g in gaps.values() for k, w in g if i.latest.get(k) is not None))
    shown = tuple(side for side in ("pending_in", "pending_out") if not absent[side])
    pending_in, pending_out = (int(i.pipeline[c].sum()) for c in ("pending_in", "pending_out"))
    if not shown:
        words = list(dict.fromkeys(absent["pending_in"] + absent["pending_out"]))
        text = f"Pending moves not shown: {_clause(words)}."
        return Slide("pipeline", text, charts.missing(charts.PIPELINE_TITLE, words, as_of, i.is_sample))
    if len(shown) == 2:
        pipe = briefing_figures.PendingMoves(population, pending_in, pending_out, i.facility.rated_capacity)
        text = briefing_figures.pipeline_sentence(pipe, small)
    else:  # pending out only: pending in needs the designations export too
        text = (
            f"Pending out: {briefing_figures.count_text(pending_out, small)}; "
            f"pending in not shown: {_clause(absent['pending_in'])}."
        )
    if behind:
        text = f"{text[:-1]} ({_clause(behind)})."
    return Slide("pipeline", text, charts.pipeline(i.pipeline, as_of, i.is_sample, small, shown))


def _reviews_slide(i: BriefingInputs) -> Slide | None:
    if not i.reviews.empty:
        return Slide(
            "reviews", briefing_figures.review_sentence(i.reviews), charts.review_trend(i.reviews, i.as_of, i.is_sample)
        )
    words = [w for _, w in source_words.figure_gaps("reviews", i.latest, i.as_of)]
    if not words:
        return None  # a log with no Program Review of this institution yet: nothing to draw
    return Slide(
        "reviews",
        f"Program Review findings not shown: {_clause(words)}.",
        charts.missing("Program Review findings by discipline", words, i.as_of, i.is_sample),
    )


def _crossing_line(
    name: str, c: briefing_figures.Crossing, population: int, band: str, as_of: date, backed: int | None
) -> str:
    """The crossing sentence, and after it the caveat /capacity prints too when the date is beyond the track record."""
    text = briefing_figures.crossing_sentence(name, c, population, band)
    caveat = tracks.crossing_caveat(c, population, as_of, backed)
    return f"{text} {caveat}" if caveat else text


def assemble(i: BriefingInputs) -> Briefing:
    """Sentences and figures from the aggregates."""
    fac, as_of, sample = i.facility, i.as_of, i.is_sample
    record = i.track_record
    backed = tracks.backed_days(record)
    # the crossing sentences quote the 80 % range at up to HORIZON_DAYS: measured only when backed that far
    band = tracks.band_label(backed, HORIZON_DAYS)
    head = briefing_figures.headline(i.series, fac, as_of, i.projection, HORIZON_DAYS, band=band)
    mix = briefing_figures.level_mix(i.level_counts, fac)
    shown = None
    if i.projection is not None:  # the chart shows the same horizon the sentence speaks of
        end = pd.Timestamp(as_of + timedelta(days=HORIZON_DAYS))
        shown = i.projection[pd.to_datetime(i.projection["date"]) <= end]
    slides = [
        Slide(
            "population",
            briefing_figures.population_sentence(head),
            charts.population_trend(
                i.series,
                shown,
                fac.rated_capacity,
                fac.operational_capacity,
                as_of,
                sample,
                TREND_DAYS,
                backed=backed,
            ),
        ),
        Slide(
            "levels",
            briefing_figures.level_mix_sentence(mix, i.small_group),
            charts.level_mix(mix, as_of, sample, i.small_group),
        ),
        _pipeline_slide(i, head.population),
    ]
    section = scenario_section(
        i.series,
        shown,
        i.scenarios,
        i.scenario_problems,
        fac.rated_capacity,
        fac.operational_capacity,
        head.population,
        as_of,
        sample,
        HORIZON_DAYS,
        TREND_DAYS,
        backed=backed,
    )
    if section is not None:
        # beside the population chart it varies: the same figure, with the scenarios drawn in
        slides.insert(1, Slide("scenarios", section.takeaway, section.figure, section.notes))
    reviews = _reviews_slide(i)
    if reviews is not None:
        slides.append(reviews)
    capacity_lines: tuple[str, ...] = ()
    if i.projection is not None and not i.projection.empty:
        p = i.projection[pd.to_datetime(i.projection["date"]) <= pd.Timestamp(as_of + timedelta(days=HORIZON_DAYS))]
        capacity_lines = tuple(
            _crossing_line(name, briefing_figures.crossing(p, cap), head.population, band, as_of, backed)
            for name, cap in (
                ("Rated capacity", fac.rated_capacity),
                ("Operational capacity", fac.operational_capacity),
            )
        )
        arrivals = [w for _, w in source_words.figure_gaps("projected_arrivals", i.latest, as_of)]
        if arrivals:
            capacity_lines += (f"Projected without the pending moves: {_clause(arrivals)}.",)
    note = tracks.band_note(backed, HORIZON_DAYS)
    if backed is None:
        track_line = note or briefing_figures.NO_TRACK_RECORD
    else:
        track_line = briefing_figures.track_record_sentence(record)
        track_line = f"{track_line} {note}" if note else track_line
    gaps = []
    for kind in ("designations", "redesignations", "findings"):
        why = source_words.source_gap(kind, i.latest.get(kind), as_of)
        if why is not None:
            gaps.append(why)
    return Briefing(
        facility_name=i.facility_name,
        facility_code=i.facility_code,
        as_of=as_of,
        is_sample=sample,
        slides=tuple(slides),
        capacity_lines=capacity_lines,
        track_line=track_line,
        track_figure=charts.track_record(record, as_of, sample) if backed is not None else None,
        sources=i.sources,
        gaps=tuple(gaps),
    )


def build_briefing(
    store: Store,
    as_of: date | None = None,
    projection: tuple[pd.DataFrame, pd.DataFrame] | None = None,
    scenarios: ScenarioRuns | None = None,
) -> Briefing:
    """The briefing of a store at an as-of date (latest population snapshot when None)."""
    return assemble(gather(store, as_of, projection, scenarios))
