"""Scenarios: planned events applied to the institution projection and its capacity lines."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics.projection.crossing import capacities, crossing_dates
from analytics.projection.scenarios import (
    ScenarioError,
    apply_events,
    capacity_lines,
    run_scenario,
    weekly_designations,
)
from loaders.events import PlannedEvent

AS_OF = pd.Timestamp("2027-01-31")
H = 60
D = dt.date(2027, 2, 15)  # the event date: day 15 of the horizon
DAY = (pd.Timestamp(D) - AS_OF).days


def _baseline(facility, growth: float = 0.0) -> pd.DataFrame:
    """Every unit at 90 % of its rated beds, growing `growth` a day, bands +-10 / +-20 per unit."""
    h = np.arange(1, H + 1)
    dates = AS_OF + pd.to_timedelta(h, "D")
    rows, by_level, total = [], {}, np.zeros(H)
    for u in facility.units:
        cur = round(0.9 * u.rated_capacity)
        mean = cur + growth * h * u.rated_capacity / facility.rated_capacity
        lv = facility.unit_level(u.name)
        by_level[lv] = by_level.get(lv, (0, np.zeros(H)))
        by_level[lv] = (by_level[lv][0] + cur, by_level[lv][1] + mean)
        total = total + mean
        rows.append((("unit", u.name), cur, mean))
    rows += [(("security_level", lv), c, m) for lv, (c, m) in by_level.items()]
    rows.append((("facility", facility.facility.name), sum(c for _, c, _ in rows if _[0] == "unit"), total))
    frames = [
        pd.DataFrame(
            {
                "group": g,
                "key": k,
                "date": dates,
                "h": h,
                "current": cur,
                "known": 0.0,
                "mean": mean,
                "lo80": mean - 10,
                "hi80": mean + 10,
                "lo95": mean - 20,
                "hi95": mean + 20,
            }
        )
        for (g, k), cur, mean in rows
    ]
    return pd.concat(frames, ignore_index=True)


def _ev(kind: str, **kw) -> PlannedEvent:
    return PlannedEvent(
        name=kw.pop("name", kind), scenario=kw.pop("scenario", "plan"), kind=kind, date=kw.pop("date", D), **kw
    )


def _series(proj: pd.DataFrame, group: str, key: str, col: str = "mean") -> np.ndarray:
    return proj[(proj["group"] == group) & (proj["key"] == key)].sort_values("h")[col].to_numpy()


def _cap(caps: pd.DataFrame, group: str, key: str, definition: str = "rated") -> np.ndarray:
    sel = caps[(caps["group"] == group) & (caps["key"] == key) & (caps["definition"] == definition)]
    return sel.sort_values("date")["capacity"].to_numpy()


def test_closing_a_unit_lowers_the_rated_line_by_its_beds_from_its_date(facility):
    caps = capacity_lines(facility, [_ev("unit_close", unit="E2")], AS_OF, H)
    fac = _cap(caps, "facility", "FCC Example")
    assert (fac[: DAY - 1] == facility.rated_capacity).all()
    assert (fac[DAY - 1 :] == facility.rated_capacity - 168).all()
    assert (_cap(caps, "security_level", "LOW")[DAY - 1 :] == 3 * 168).all()
    assert (_cap(caps, "unit", "E2")[DAY - 1 :] == 0).all()
    assert (_cap(caps, "unit", "E2", "operational")[: DAY - 1] == 182).all()


def test_closing_a_unit_moves_the_facility_crossing_date(facility):
    # grows 5 a day from 90 % of rated beds: over the full rated line late, over the reduced line at once
    base = _baseline(facility, growth=5.0)
    fac = facility.facility.name
    before = crossing_dates(base, capacities(facility)).set_index(["group", "key", "definition"])
    scen = run_scenario("plan", base, facility, [_ev("unit_close", unit="E2")], AS_OF)
    after = scen.crossings.set_index(["group", "key", "definition"])
    mean = _series(base, "facility", fac)
    line = np.where(np.arange(1, H + 1) >= DAY, facility.rated_capacity - 168, facility.rated_capacity)
    expect_before = AS_OF + pd.Timedelta(days=int(np.argmax(mean > facility.rated_capacity)) + 1)
    expect_after = AS_OF + pd.Timedelta(days=int(np.argmax(mean > line)) + 1)
    assert before.loc[("facility", fac, "rated"), "mean_crosses"] == expect_before
    assert after.loc[("facility", fac, "rated"), "mean_crosses"] == expect_after
    assert expect_after == pd.Timestamp(D) < expect_before


def test_closing_a_unit_moves_its_people_to_the_other_units_of_its_level(facility):
    base = _baseline(facility)
    out = apply_events(base, facility, [_ev("unit_close", unit="E2")], AS_OF)
    fac = facility.facility.name
    np.testing.assert_allclose(_series(out, "facility", fac), _series(base, "facility", fac))
    np.testing.assert_allclose(_series(out, "security_level", "LOW"), _series(base, "security_level", "LOW"))
    e2 = _series(base, "unit", "E2")
    assert (_series(out, "unit", "E2")[DAY - 1 :] == 0).all()
    np.testing.assert_allclose(_series(out, "unit", "E2")[: DAY - 1], e2[: DAY - 1])
    np.testing.assert_allclose(
        _series(out, "unit", "D1")[DAY - 1 :], _series(base, "unit", "D1")[DAY - 1 :] + e2[DAY - 1 :] / 3
    )


@pytest.mark.parametrize(
    "unit, level_gain, unit_gain",
    [
        (None, 60.0, {"D1": 15.0, "E2": 15.0}),  # spread over the four LOW units by rated beds
        ("E1", 60.0, {"E1": 60.0, "D1": 0.0}),  # a named unit takes them all
    ],
)
def test_a_batch_of_60_arrivals_raises_the_mean_by_60_from_its_date(facility, unit, level_gain, unit_gain):
    base = _baseline(facility)
    ev = _ev("arrivals", count=60, security_level="LOW", **({"unit": unit} if unit else {}))
    out = apply_events(base, facility, [ev], AS_OF)
    fac = facility.facility.name
    for group, key, gain in [
        ("facility", fac, 60.0),
        ("security_level", "LOW", level_gain),
        ("security_level", "MEDIUM", 0.0),
        *(("unit", u, g) for u, g in unit_gain.items()),
    ]:
        diff = _series(out, group, key) - _series(base, group, key)
        np.testing.assert_allclose(diff[: DAY - 1], 0.0, atol=1e-9)
        np.testing.assert_allclose(diff[DAY - 1 :], gain, atol=1e-9)
        # a planned batch is certain: both bands move with the mean
        np.testing.assert_allclose(
            _series(out, group, key, "hi80") - _series(base, group, key, "hi80"), diff, atol=1e-9
        )


def test_a_batch_over_a_date_range_is_spread_evenly(facility):
    base = _baseline(facility)
    ev = _ev("departures", count=70, security_level="MEDIUM", end=D + dt.timedelta(days=6))
    out = apply_events(base, facility, [ev], AS_OF)
    diff = _series(out, "security_level", "MEDIUM") - _series(base, "security_level", "MEDIUM")
    np.testing.assert_allclose(diff[DAY - 2 : DAY + 8], [0, -10, -20, -30, -40, -50, -60, -70, -70, -70])


def test_a_scenario_switched_off_leaves_the_baseline_unchanged(facility):
    base = _baseline(facility, growth=3.0)
    events = [
        _ev("unit_close", unit="E2", enabled=False),
        _ev("arrivals", count=60, security_level="LOW", enabled=False),
    ]
    scen = run_scenario("plan", base, facility, events, AS_OF)
    pd.testing.assert_frame_equal(scen.projection, base)
    assert (
        capacity_lines(facility, [], AS_OF, H).pipe(lambda c: _cap(c, "facility", "FCC Example"))
        == facility.rated_capacity
    ).all()
    pd.testing.assert_frame_equal(scen.crossings, crossing_dates(base, capacity_lines(facility, [], AS_OF, H)))


def test_events_of_another_scenario_do_not_count(facility):
    base = _baseline(facility)
    scen = run_scenario(
        "plan", base, facility, [_ev("arrivals", count=60, security_level="LOW", scenario="other")], AS_OF
    )
    pd.testing.assert_frame_equal(scen.projection, base)


def test_a_level_change_moves_the_units_beds_and_people_between_levels(facility):
    base = _baseline(facility)
    ev = _ev("unit_level", unit="E2", security_level="MINIMUM")
    out = apply_events(base, facility, [ev], AS_OF)
    caps = capacity_lines(facility, [ev], AS_OF, H)
    e2 = _series(base, "unit", "E2")
    for level, sign in (("LOW", -1), ("MINIMUM", +1)):
        diff = _series(out, "security_level", level) - _series(base, "security_level", level)
        np.testing.assert_allclose(diff[: DAY - 1], 0.0)
        np.testing.assert_allclose(diff[DAY - 1 :], sign * e2[DAY - 1 :])
        cap_diff = _cap(caps, "security_level", level) - _cap(
            capacity_lines(facility, [], AS_OF, H), "security_level", level
        )
        assert (cap_diff[: DAY - 1] == 0).all() and (cap_diff[DAY - 1 :] == sign * 168).all()
    np.testing.assert_allclose(_series(out, "unit", "E2"), e2)


def test_a_designation_rate_change_scales_the_inflow_from_its_date_plus_the_lag(facility):
    base = _baseline(facility)
    rate = {"LOW": 14.0}  # 14 a week: +50 % is one more arrival a day
    out = apply_events(
        base, facility, [_ev("designation_rate", percent=50)], AS_OF, designation_rate=rate, arrival_lag=10
    )
    diff = _series(out, "security_level", "LOW") - _series(base, "security_level", "LOW")
    first = DAY + 10
    np.testing.assert_allclose(diff[: first - 1], 0.0)
    np.testing.assert_allclose(diff[first - 1 : first + 4], [1, 2, 3, 4, 5])


def test_a_percentage_without_designation_history_is_one_sentence(facility):
    with pytest.raises(ScenarioError, match="no designation in the last 13 weeks"):
        apply_events(_baseline(facility), facility, [_ev("designation_rate", percent=10)], AS_OF)


def test_opening_a_new_unit_adds_its_beds_and_an_empty_row(facility):
    ev = _ev("unit_open", unit="F1", rated_capacity=128, security_level="LOW")
    caps = capacity_lines(facility, [ev], AS_OF, H)
    assert (_cap(caps, "unit", "F1")[DAY - 1 :] == 128).all() and (_cap(caps, "unit", "F1")[: DAY - 1] == 0).all()
    out = apply_events(
        _baseline(facility),
        facility,
        [ev, _ev("arrivals", name="fill F1", unit="F1", count=40, security_level="LOW")],
        AS_OF,
    )
    assert _series(out, "unit", "F1")[-1] == 40 and _series(out, "unit", "F1")[0] == 0


def test_weekly_designations_counts_new_people_per_level():
    hist = pd.DataFrame(
        {
            "register_number": ["1", "1", "2", "3", "4"],
            "designation_date": pd.to_datetime(["2027-01-20", "2027-01-20", "2027-01-01", "2026-06-01", "2027-01-30"]),
            "security_level": ["LOW", "LOW", "MEDIUM", "LOW", "LOW"],
        }
    )
    assert weekly_designations(hist, AS_OF, weeks=13) == {"LOW": 2 / 13, "MEDIUM": 1 / 13}
