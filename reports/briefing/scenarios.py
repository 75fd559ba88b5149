"""The briefing's scenario section: the baseline and each scenario of planned events, side by side.

Shown on a shared screen and circulated as a file, so no text a person typed reaches it: a
scenario is "Scenario A", and each event is described from its fields (kind, unit, level,
date, count) by `PlannedEvent.describe()`, never by the name it was given.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from analytics.briefing import Crossing, crossing_sentence, short_date
from reports.projection_chart import ScenarioBand, projection_figure, recent_history
from reports.scenarios import ScenarioRuns, capacity_line, line_changes, moving_crossing, rows_of
from reports.track_record import band_label

DEFINITIONS = (("rated", "Rated capacity"), ("operational", "Operational capacity"))


@dataclass(frozen=True)
class BriefScenario:
    """One scenario as the briefing keeps it: the facility's lines and its events in plain words."""

    label: str  # "Scenario A"
    projection: pd.DataFrame  # date, mean, lo80, hi80, lo95, hi95 (the facility)
    rated: pd.DataFrame  # date, capacity
    operational: pd.DataFrame  # date, capacity
    events: tuple[str, ...]  # the events switched on, described from their fields


@dataclass(frozen=True)
class ScenarioSection:
    """The scenario slide: a sentence, the figure, and lines under the chart."""

    takeaway: str
    figure: go.Figure
    notes: tuple[str, ...]


def label(i: int) -> str:
    """'Scenario A', 'Scenario B', ... 'Scenario Z', 'Scenario 27', ..."""
    return f"Scenario {string.ascii_uppercase[i]}" if i < 26 else f"Scenario {i + 1}"


def brief_scenarios(runs: ScenarioRuns, facility_name: str) -> tuple[tuple[BriefScenario, ...], tuple[str, ...]]:
    """The facility rows of each scenario, labelled by letter, and a line for each that could not run."""
    out = []
    for i, s in enumerate(runs.scenarios):
        proj = rows_of(s.projection, "facility", facility_name)
        out.append(
            BriefScenario(
                label=label(i),
                projection=proj[["date", "mean", "lo80", "hi80", "lo95", "hi95"]].reset_index(drop=True),
                rated=capacity_line(s, "facility", facility_name, "rated"),
                operational=capacity_line(s, "facility", facility_name, "operational"),
                events=tuple(e.describe() for e in s.events if e.enabled),
            )
        )
    skipped = tuple(
        f"{label(len(out) + j)} could not be applied: one of its events no longer fits the facility file."
        for j in range(len(runs.problems))
    )
    return tuple(out), skipped


def _constant(projection: pd.DataFrame, capacity: int) -> pd.DataFrame:
    return pd.DataFrame({"date": pd.to_datetime(projection["date"]), "capacity": float(capacity)})


def _part(name: str, c: Crossing, population: int, band: str) -> str:
    """'rated capacity (1,968): passed around 14 Jan (80 %: ...)' without the closing full stop."""
    text = crossing_sentence(name, c, population, band).rstrip(".")
    return text[0].lower() + text[1:]


def _crossing_line(
    who: str, projection: pd.DataFrame, lines: dict[str, pd.DataFrame], population: int, end: pd.Timestamp, band: str
) -> str:
    parts = []
    for definition, name in DEFINITIONS:
        line = lines.get(definition)
        if line is None or line.empty:
            continue
        text = _part(name, moving_crossing(projection, line, end), population, band)
        moves = [(d, v) for d, v in line_changes(line) if pd.Timestamp(d) <= end]
        if moves:
            text += "; beds: " + ", ".join(f"{v:,} from {short_date(d)}" for d, v in moves)
        parts.append(text)
    return f"{who}, " + "; ".join(parts) + "."


def _when(c: Crossing, population: int) -> str:
    if population > c.capacity:
        return "is over it already"
    return f"passes it around {short_date(c.mean)}" if c.mean else f"does not pass it by {short_date(c.horizon_end)}"


def scenario_section(
    history: pd.DataFrame,
    baseline: pd.DataFrame | None,
    scenarios: tuple[BriefScenario, ...],
    skipped: tuple[str, ...],
    rated: int,
    operational: int,
    population: int,
    as_of: date,
    sample: bool,
    horizon_days: int,
    history_days: int,
    assumed_bands: bool = False,
    backed: int | None = -1,
) -> ScenarioSection | None:
    """The slide comparing the baseline with each scenario over `horizon_days`; None without scenarios.

    `backed`: the longest horizon the track record scored (reports.track_record.backed_days), so
    the bands beyond it are drawn as assumed, as on the population chart; -1 draws them all measured.
    """
    if baseline is None or baseline.empty or not (scenarios or skipped):
        return None
    end = pd.Timestamp(as_of + timedelta(days=horizon_days))

    def cut(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[pd.to_datetime(frame["date"]) <= end]

    h = recent_history(history, as_of, history_days)
    base = cut(baseline)
    bands = [ScenarioBand(s.label, cut(s.projection), cut(s.rated), cut(s.operational)) for s in scenarios]
    figure = projection_figure(
        h,
        as_of,
        baseline=base,
        scenarios=bands,
        rated=rated,
        operational=operational,
        title="Planned events: baseline and scenarios",
        sample=sample,
        large=True,
        assumed_bands=assumed_bands,
        backed=backed,
    )
    base_lines = {"rated": _constant(base, rated), "operational": _constant(base, operational)}
    # the 80 % range is named as the population chart's sentence names it: assumed beyond the track record
    band = "80 %" if backed == -1 and not assumed_bands else band_label(None if assumed_bands else backed, horizon_days)
    notes = [_crossing_line("Baseline", base, base_lines, population, end, band)]
    for s in scenarios:
        lines = {"rated": s.rated, "operational": s.operational}
        notes.append(_crossing_line(s.label, s.projection, lines, population, end, band))
        events = "; ".join(s.events) if s.events else "no event switched on"
        notes.append(f"{s.label}, planned events: {events}.")
    notes += list(skipped)
    # The sentence: when each passes rated capacity, the baseline first.
    passes = [f"the baseline {_when(moving_crossing(base, base_lines['rated'], end), population)}"]
    passes += [f"{s.label} {_when(moving_crossing(s.projection, s.rated, end), population)}" for s in scenarios]
    takeaway = f"Planned events against rated capacity ({rated:,}): {'; '.join(passes)}."
    return ScenarioSection(takeaway, figure, tuple(notes))
