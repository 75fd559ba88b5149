"""Capacity crossing dates: first day over, already over, no crossing within the horizon."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.projection.crossing import ALREADY_OVER, capacities, crossing_dates

START = pd.Timestamp("2026-01-01")


def _proj(current, means, spread=5.0, key="X"):
    dates = START + pd.to_timedelta(range(1, len(means) + 1), "D")
    return pd.DataFrame(
        {
            "group": "facility",
            "key": key,
            "date": dates,
            "h": range(1, len(means) + 1),
            "current": current,
            "mean": means,
            "hi80": [m + spread for m in means],
        }
    )


@pytest.mark.parametrize(
    "current, means, capacity, mean_day, hi80_day",
    [
        (90, [95, 99, 100, 101, 103], 100, 4, 2),  # mean 100 is at capacity, not over; 101 is over
        (90, [91, 92, 93], 100, None, None),  # never over within the horizon
        (90, [91, 92, 96], 100, None, 3),  # only the upper band crosses
        (101, [99, 98, 97], 100, ALREADY_OVER, ALREADY_OVER),
        (100, [100, 100, 100], 100, None, 1),  # at capacity is not over
    ],
)
def test_crossing(current, means, capacity, mean_day, hi80_day):
    caps = pd.DataFrame({"group": ["facility"], "key": ["X"], "definition": ["rated"], "capacity": [capacity]})
    row = crossing_dates(_proj(current, means), caps).iloc[0]

    def expect(day):
        return day if day in (None, ALREADY_OVER) else START + pd.Timedelta(days=day)

    assert row["mean_crosses"] == expect(mean_day)
    assert row["hi80_crosses"] == expect(hi80_day)


def test_capacities_of_the_sample_facility(facility):
    caps = capacities(facility).set_index(["group", "key", "definition"])["capacity"]
    assert caps[("facility", "FCC Example", "rated")] == facility.rated_capacity
    assert caps[("facility", "FCC Example", "operational")] == facility.operational_capacity
    assert caps[("security_level", "MEDIUM", "rated")] == 6 * 144
    assert caps[("unit", "SHU", "operational")] == 64  # no operational figure: the rated one
    assert caps[("security_level", "LOW", "operational")] == 4 * 182


def test_each_definition_gets_its_own_row():
    caps = pd.DataFrame(
        {"group": "facility", "key": "X", "definition": ["rated", "operational"], "capacity": [100, 110]}
    )
    out = crossing_dates(_proj(95, [99, 104, 109, 111]), caps).set_index("definition")
    assert out.loc["rated", "mean_crosses"] == START + pd.Timedelta(days=2)
    assert out.loc["operational", "mean_crosses"] == START + pd.Timedelta(days=4)
