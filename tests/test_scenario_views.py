"""Scenarios as people see them: the form's one-sentence errors, moving crossings, the shared band
figure, and the briefing's scenario section (described from fields, never from what was typed)."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from analytics.projection.scenarios import run_scenario
from loaders.events import EventError, PlannedEvent, event_from_fields
from reports.briefing.scenarios import brief_scenarios, label, scenario_section
from reports.projection_chart import ScenarioBand, projection_figure
from reports.scenarios import ScenarioRuns, capacity_line, line_changes, moving_crossing

AS_OF = pd.Timestamp("2027-01-31")
H = 60
DAY = dt.date(2027, 2, 15)  # day 15 of the horizon
HOSTILE = "Smith, John 12345-678 <b>x</b>"


def _baseline(facility) -> pd.DataFrame:
    """Every unit flat at 90 % of its rated beds, bands +-10 / +-20."""
    h = np.arange(1, H + 1)
    dates = AS_OF + pd.to_timedelta(h, "D")
    parts = [("unit", u.name.strip().upper(), round(0.9 * u.rated_capacity)) for u in facility.units]
    levels: dict[str, int] = {}
    for u in facility.units:
        levels[facility.unit_level(u.name)] = levels.get(facility.unit_level(u.name), 0) + round(0.9 * u.rated_capacity)
    parts += [("security_level", lv, n) for lv, n in levels.items()]
    parts.append(("facility", facility.facility.name, sum(n for g, _, n in parts if g == "unit")))
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "group": g,
                    "key": k,
                    "date": dates,
                    "h": h,
                    "current": n,
                    "known": 0.0,
                    "mean": float(n),
                    "lo80": n - 10.0,
                    "hi80": n + 10.0,
                    "lo95": n - 20.0,
                    "hi95": n + 20.0,
                }
            )
            for g, k, n in parts
        ],
        ignore_index=True,
    )


def _event(**kw) -> PlannedEvent:
    return PlannedEvent(scenario=HOSTILE, name=HOSTILE, date=DAY, **kw)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"kind": "arrivals", "count": 0, "security_level": "LOW"}, "Count: input should be greater than 0."),
        ({"kind": "arrivals", "count": 1}, "This kind of event (a batch of arrivals) needs security level."),
        (
            {"kind": "arrivals", "count": 5, "security_level": "LOW", "end": DAY - dt.timedelta(days=1)},
            "End is before date.",
        ),
        (
            {"kind": "unit_beds", "unit": "E2"},
            "This kind of event (a unit's beds change) needs rated capacity or operational capacity.",
        ),
        (
            {"kind": "unit_open", "unit": "F1", "rated_capacity": -1},
            "Rated capacity: input should be greater than or equal to 0.",
        ),
        (
            {"kind": "designation_rate", "percent": 5, "per_week": 2},
            "This kind of event (designations change pace) needs exactly one of percent or per week.",
        ),
        ({"kind": "designation_rate", "percent": -100}, "Percent: input should be greater than -100."),
        ({"kind": "unit_close", "unit": "E2", "name": "  "}, "Name: field required."),
    ],
)
def test_a_form_problem_is_one_sentence_that_repeats_nothing_typed(fields, message):
    given = {"scenario": HOSTILE, "name": HOSTILE, "date": DAY, **fields}
    with pytest.raises(EventError) as err:
        event_from_fields(given)
    assert str(err.value) == message
    assert "Smith" not in str(err.value)


def test_a_form_with_blank_optional_fields_gives_the_event():
    e = event_from_fields(
        {
            "scenario": "s",
            "name": "n",
            "kind": "arrivals",
            "date": DAY,
            "count": 6,
            "security_level": "low",
            "end": None,
            "unit": "",
        }
    )
    assert (e.count, e.security_level, e.unit, e.end) == (6, "LOW", None, None)


@pytest.mark.parametrize(
    "steps, mean, expected_mean, expected_hi80",
    [
        ([(1, 100)], 95.0, None, None),  # the band top touches the line: equal is not over
        ([(1, 100), (10, 90)], 95.0, 10, 10),  # the line falls under the mean on day 10
        ([(1, 100), (10, 96)], 95.0, None, 10),  # under the band top only
        ([(1, 100)], 100.0, None, 1),  # equal is not over
        ([(1, 100)], 100.5, 1, 1),
    ],
)
def test_a_crossing_follows_a_moving_capacity_line(steps, mean, expected_mean, expected_hi80):
    days = pd.date_range("2027-02-01", periods=20)
    proj = pd.DataFrame({"date": days, "mean": mean, "lo80": mean - 5, "hi80": mean + 5})
    cap = pd.Series(np.nan, index=range(20))
    for start, value in steps:
        cap.iloc[start - 1 :] = value
    c = moving_crossing(proj, pd.DataFrame({"date": days, "capacity": cap}))
    want = {None: None} | {d: days[d - 1].date() for d in range(1, 21)}
    assert c.mean == want[expected_mean]
    assert c.early80 == want[expected_hi80]
    assert c.capacity == 100
    assert line_changes(pd.DataFrame({"date": days, "capacity": cap})) == [
        (days[s - 1].date(), v) for s, v in steps[1:]
    ]


def test_a_closure_draws_a_moved_capacity_line_and_the_baseline_does_not_move(facility):
    base = _baseline(facility)
    s = run_scenario(HOSTILE, base, facility, [_event(kind="unit_close", unit="E2")], AS_OF)
    fac = facility.facility.name
    rated = capacity_line(s, "facility", fac, "rated")
    e2 = next(u.rated_capacity for u in facility.units if u.name.strip().upper() == "E2")
    assert line_changes(rated) == [(DAY, facility.rated_capacity - e2)]
    history = pd.DataFrame({"as_of_date": pd.date_range(end=AS_OF, periods=30), "population": 1700})
    band = ScenarioBand("Scenario A", s.projection[s.projection["group"] == "facility"], rated=rated)
    fig = projection_figure(
        history,
        AS_OF.date(),
        baseline=base[base["group"] == "facility"],
        scenarios=[band],
        rated=facility.rated_capacity,
    )
    names = [t.name for t in fig.data]
    assert names.count("Rated capacity, Scenario A") == 1
    step = next(t for t in fig.data if t.name == "Rated capacity, Scenario A")
    assert step.line.shape == "hv" and min(step.y) == facility.rated_capacity - e2
    # Beside a scenario only 80 % bands: two 95 % bands would hide each other.
    assert not any("95 %" in n for n in names)
    alone = projection_figure(
        history, AS_OF.date(), baseline=base[base["group"] == "facility"], rated=facility.rated_capacity
    )
    assert [t.name for t in alone.data if "%" in (t.name or "")] == ["95 % range", "80 % range"]


def test_assumed_bands_are_outlined_and_say_so(facility):
    base = _baseline(facility)
    history = pd.DataFrame({"as_of_date": pd.date_range(end=AS_OF, periods=5), "population": 1700})
    fig = projection_figure(history, AS_OF.date(), baseline=base[base["group"] == "facility"], assumed_bands=True)
    bands = [t for t in fig.data if "range" in (t.name or "")]
    assert [t.name for t in bands] == ["95 % assumed range", "80 % assumed range"]
    assert all(t.fill is None and t.line.dash in ("dash", "dot") for t in bands)  # outlined, never filled


def test_a_scenario_label_is_drawn_as_text(facility):
    base = _baseline(facility)
    history = pd.DataFrame({"as_of_date": pd.date_range(end=AS_OF, periods=5), "population": 1700})
    band = ScenarioBand("<b>plan</b>", base[base["group"] == "facility"])
    fig = projection_figure(history, AS_OF.date(), baseline=base[base["group"] == "facility"], scenarios=[band])
    spec = json.dumps(fig.to_plotly_json(), default=str)
    assert "<b>plan" not in spec and "&lt;b&gt;plan" in spec


@pytest.mark.parametrize("i, expected", [(0, "Scenario A"), (25, "Scenario Z"), (26, "Scenario 27")])
def test_scenario_labels(i, expected):
    assert label(i) == expected


def test_the_briefing_section_describes_events_from_their_fields(facility):
    base = _baseline(facility)
    fac = facility.facility.name
    today = int(base[(base["group"] == "facility") & (base["h"] == 1)]["current"].iat[0])
    over = facility.rated_capacity - today + 1  # one more than the free beds
    batch = _event(kind="arrivals", count=over, security_level="LOW")
    off = PlannedEvent(scenario=HOSTILE, name="off", kind="unit_close", unit="E2", date=DAY, enabled=False)
    runs = ScenarioRuns((run_scenario(HOSTILE, base, facility, [batch, off], AS_OF),))
    briefed, skipped = brief_scenarios(runs, fac)
    assert skipped == () and [b.label for b in briefed] == ["Scenario A"]
    assert briefed[0].events == (f"{over} Low arrivals on {DAY.isoformat()}",)  # the switched-off one is not listed
    history = pd.DataFrame({"as_of_date": pd.date_range(end=AS_OF, periods=30), "population": today})
    fac_base = base[base["group"] == "facility"][["date", "mean", "lo80", "hi80", "lo95", "hi95"]]
    section = scenario_section(
        history,
        fac_base,
        briefed,
        skipped,
        facility.rated_capacity,
        facility.operational_capacity,
        today,
        AS_OF.date(),
        True,
        90,
        365,
    )
    assert section is not None
    last = (AS_OF + pd.Timedelta(days=H)).date()  # the baseline ends before the 90 days shown
    assert section.takeaway == (
        f"Planned events against rated capacity ({facility.rated_capacity:,}): the baseline does not pass it by "
        f"{last.day} {last:%b}; Scenario A passes it around 15 Feb."
    )
    assert f"Scenario A, planned events: {over} Low arrivals on 2027-02-15." in section.notes
    everything = json.dumps(section.figure.to_plotly_json(), default=str) + " ".join([section.takeaway, *section.notes])
    assert "Smith" not in everything and "12345" not in everything


def test_no_scenario_no_section_and_a_failed_one_is_named_by_letter(facility):
    base = _baseline(facility)
    history = pd.DataFrame({"as_of_date": pd.date_range(end=AS_OF, periods=5), "population": 1700})
    fac_base = base[base["group"] == "facility"]
    args = (facility.rated_capacity, facility.operational_capacity, 1700, AS_OF.date(), False, 90, 365)
    assert scenario_section(history, fac_base, (), (), *args) is None
    briefed, skipped = brief_scenarios(ScenarioRuns((), ((HOSTILE, "event 'Smith' names unit Q."),)), "FCC Example")
    assert briefed == () and skipped == (
        "Scenario A could not be applied: one of its events no longer fits the facility file.",
    )
    section = scenario_section(history, fac_base, briefed, skipped, *args)
    assert section is not None and "Smith" not in " ".join(section.notes)
