"""What needs action on /morning: sources to import and rows rejected in the day's imports."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from dashboard.components.actions import rejected_rows
from reports.sources import stale_sources

TODAY = date(2026, 11, 30)
ROSTER = TODAY
ALL_FRESH = {"designations": ROSTER, "redesignations": ROSTER, "facility_counts": ROSTER, "findings": date(2026, 1, 5)}


@pytest.mark.parametrize(
    "change, roster, expected",
    [
        ({}, ROSTER, []),
        ({}, TODAY - timedelta(days=1), []),  # yesterday's roster is the newest a 07:30 check has
        ({}, TODAY - timedelta(days=2), ["the newest roster is 2 days old"]),
        ({"designations": None}, ROSTER, ["no designations export in the store"]),
        ({"designations": ROSTER - timedelta(days=1)}, ROSTER, ["designations are 1 day older than the roster"]),
        ({"redesignations": ROSTER - timedelta(days=12)}, ROSTER, ["redesignations are 12 days older than the roster"]),
        ({"designations": ROSTER + timedelta(days=1)}, ROSTER, []),  # newer than the roster is not stale
        ({"facility_counts": ROSTER - timedelta(days=7)}, ROSTER, []),  # weekly at best: 7 days allowed
        ({"facility_counts": ROSTER - timedelta(days=8)}, ROSTER, ["national counts are 8 days older than the roster"]),
        ({"findings": None}, ROSTER, ["no findings log export in the store"]),
        ({"findings": date(2019, 1, 1)}, ROSTER, []),  # a log changes per review: never stale by age
    ],
)
def test_stale_sources(change, roster, expected):
    latest = {**ALL_FRESH, **change}
    assert stale_sources(latest, roster, TODAY)["why"].tolist() == expected


def test_rejected_rows_of_the_as_of_date_only():
    snaps = pd.DataFrame(
        {
            "kind": ["population", "population", "designations"],
            "as_of": [ROSTER - timedelta(days=1), ROSTER, ROSTER],
            "rows_read": [10, 12, 5],
            "rows_rejected": [4, 2, 0],
        }
    )
    report = {
        "errors": [
            {"line": 3, "column": "unit", "value": "Z9", "reason": "unknown unit"},
            {"line": 7, "column": "last_name", "value": "(personal data)", "reason": "blank"},
        ]
    }
    per_file, per_row = rejected_rows(snaps, {("population", ROSTER): report}, ROSTER)
    assert per_file[["source", "rows_read", "rows_rejected"]].values.tolist() == [["Roster", 12, 2]]
    assert per_row.values.tolist() == [["Roster", 3, "unit", "unknown unit"], ["Roster", 7, "last_name", "blank"]]
