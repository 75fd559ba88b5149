"""The scenarios of a store: its planned events applied to the baseline projection (docs/scenarios.md).

/capacity, the briefing and `popdash project --scenario` all go through here, so a scenario gives
the same lines and crossing dates wherever it is shown. `scenario_context` is the only step that
reads the store (the designation rate and arrival lag the events need); the rest is pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics.briefing import Crossing
from analytics.projection.crossing import capacities, crossing_dates, first_over
from analytics.projection.flows import FlowParams, arrival_lag_days
from analytics.projection.scenarios import Scenario, ScenarioError, run_scenario, weekly_designations
from loaders.config import Facility
from loaders.errors import PopdashError
from loaders.events import EventError, PlannedEvent, list_events
from loaders.store import Store

DEFINITIONS = ("rated", "operational")


class ScenarioUnavailable(PopdashError):
    """Scenarios cannot be computed for this store (no facility file, no roster); one sentence."""


@dataclass(frozen=True)
class ScenarioContext:
    """What a scenario needs beyond the baseline: the facility, the day, the designation evidence."""

    facility: Facility
    as_of: pd.Timestamp
    designation_rate: dict[str, float] = field(default_factory=dict)
    arrival_lag: float | None = None
    lag_default: float = 30.0


@dataclass(frozen=True)
class ScenarioRuns:
    """Every scenario with an event switched on, in name order, and those that could not be applied."""

    scenarios: tuple[Scenario, ...]
    problems: tuple[tuple[str, str], ...] = ()  # (scenario name, one sentence)

    def named(self, name: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.name == name), None)


def scenario_context(store: Store, as_of: date | None = None) -> ScenarioContext:
    """The facility, the as-of day, the weekly designation rate and the designation-to-arrival lag."""
    try:
        facility = store.facility()
    except (PopdashError, OSError):
        raise ScenarioUnavailable(
            "scenarios need the store's facility file; import a roster with --facility first."
        ) from None
    day = as_of or store.latest_as_of("population")
    if day is None:
        raise ScenarioUnavailable("scenarios need a roster in the store; import one first.")
    desig = store.history("designations", end=day) if store.latest_as_of("designations") else None
    lag = None
    if desig is not None and not desig.empty:
        lag = arrival_lag_days(desig, store.history("population", columns=["register_number"], end=day))
    return ScenarioContext(
        facility=facility,
        as_of=pd.Timestamp(day).normalize(),
        designation_rate=weekly_designations(desig, day),
        arrival_lag=lag,
        lag_default=FlowParams.from_rules(store.rules()).arrival_lag_days,
    )


def run_scenarios(
    baseline: pd.DataFrame, ctx: ScenarioContext, events: Sequence[PlannedEvent], names: Sequence[str] | None = None
) -> ScenarioRuns:
    """Apply each scenario (those named, else every one with an event switched on) to the baseline.

    A scenario that cannot be applied (a unit the facility no longer lists, the last open unit
    closed) is reported with its sentence and left out; the others still run.
    """
    events = list(events)
    if names is None:
        names = sorted({e.scenario for e in events if e.enabled})
    done, problems = [], []
    for name in names:
        try:
            done.append(
                run_scenario(
                    name,
                    baseline,
                    ctx.facility,
                    events,
                    ctx.as_of,
                    ctx.designation_rate,
                    ctx.arrival_lag,
                    ctx.lag_default,
                )
            )
        except (ScenarioError, EventError) as exc:
            problems.append((name, str(exc).rstrip(".") + "."))
    return ScenarioRuns(tuple(done), tuple(problems))


def store_scenarios(store: Store, baseline: pd.DataFrame, as_of: date | None = None) -> ScenarioRuns:
    """Every scenario of the store with an event switched on, applied to `baseline` (projected at `as_of`)."""
    events = list_events(store)
    if not any(e.enabled for e in events):
        return ScenarioRuns(())
    return run_scenarios(baseline, scenario_context(store, as_of), events)


def compare(baseline: pd.DataFrame, scen: Scenario, facility: Facility) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(projection rows side by side, crossing dates side by side): columns suffixed _baseline / _scenario."""
    keys = ["group", "key", "date"]
    bands = ["mean", "lo80", "hi80", "lo95", "hi95"]
    side = baseline[keys + bands].merge(
        scen.projection[keys + bands], on=keys, how="outer", suffixes=("_baseline", "_scenario")
    )
    cross = crossing_dates(baseline, capacities(facility)).merge(
        scen.crossings, on=["group", "key", "definition"], how="outer", suffixes=("_baseline", "_scenario")
    )
    return side, cross


def rows_of(frame: pd.DataFrame, group: str, key: str) -> pd.DataFrame:
    """The rows of one facility, level or unit (keys compared as text)."""
    return frame[(frame["group"] == group) & (frame["key"].astype("str") == key)]


def capacity_line(scen: Scenario, group: str, key: str, definition: str) -> pd.DataFrame:
    """date, capacity of one part under one definition, as the scenario's bed events move it."""
    caps = rows_of(scen.capacities, group, key)
    return caps[caps["definition"] == definition][["date", "capacity"]].reset_index(drop=True)


def moving_crossing(projection: pd.DataFrame, line: pd.DataFrame, end: pd.Timestamp | None = None) -> Crossing:
    """When a projection (date, mean, lo80, hi80) passes a capacity line that may move (date, capacity).

    The capacity reported is the one on the first projected day; `end` cuts the horizon.
    """
    p = projection.assign(date=pd.to_datetime(projection["date"]))
    merged = p.merge(line.assign(date=pd.to_datetime(line["date"])), on="date", how="inner").sort_values("date")
    if end is not None:
        merged = merged[merged["date"] <= end]
    merged = merged.reset_index(drop=True)
    if merged.empty:
        raise ScenarioUnavailable("the scenario has no projected day to compare with its capacity.")
    cap = merged["capacity"]

    def day(column: str) -> date | None:
        when = first_over(merged, column, cap)
        return None if when is None else when.date()

    return Crossing(
        capacity=int(round(float(cap.iat[0]))),
        mean=day("mean"),
        early80=day("hi80"),
        late80=day("lo80"),
        horizon_end=pd.Timestamp(merged["date"].max()).date(),
    )


def line_changes(line: pd.DataFrame) -> list[tuple[date, int]]:
    """(day, new capacity) for each day a capacity line moves, in date order."""
    caps = line["capacity"].round().astype("int64").to_numpy()
    dates = pd.to_datetime(line["date"])
    return [(dates.iat[i].date(), int(caps[i])) for i in range(1, len(caps)) if caps[i] != caps[i - 1]]
