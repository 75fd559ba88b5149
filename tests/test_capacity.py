"""Capacity: the agency's crowding arithmetic, occupancy thresholds, unit / level / facility views."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.capacity import SHEET_COLUMNS, capacity_sheet, capacity_view, crowding_pct
from loaders.config import Facility


@pytest.mark.parametrize(
    "population, rated, expected",
    [
        (205, 200, 3),  # +2.5 % rounds half up to 3
        (195, 200, -2),  # -2.5 % rounds half up to -2, not -3
        (199, 200, 0),  # -0.5 % rounds to 0
        (201, 200, 1),  # +0.5 % rounds to 1
        (225, 200, 13),  # 12.5 %: exact arithmetic, no binary float mis-rounding
        (175, 200, -12),  # -12.5 % -> -12
        (1535, 1000, 54),  # 53.5 % -> 54
        (1129, 1000, 13),  # 12.9 % -> 13
        (1124, 1000, 12),  # 12.4 % -> 12
        (0, 200, 0),  # a population of 0 shows 0 % (a unit not in use)
        (200, 200, 0),
        (400, 200, 100),
        (1, 3, -67),  # -66.67 % -> -67
        (2, 3, -33),  # -33.33 % -> -33
        (100, 0, None),  # rated 0: unknown
        (100, None, None),  # rated missing: unknown
        (0, None, None),  # no rated capacity, even when empty
        (None, 200, None),  # population missing: unknown
    ],
)
def test_crowding_pct_rounds_half_up_exactly(population, rated, expected):
    got = crowding_pct(pd.Series([population], dtype="Int64"), pd.Series([rated], dtype="Int64"))
    assert (None if pd.isna(got.iloc[0]) else int(got.iloc[0])) == expected


def test_crowding_pct_matches_exact_fraction_on_a_grid():
    import math
    from fractions import Fraction

    pops, rateds = zip(*[(p, r) for r in range(1, 60) for p in range(1, 130)])
    got = crowding_pct(pd.Series(pops), pd.Series(rateds)).tolist()
    want = [math.floor(Fraction(100 * (p - r), r) + Fraction(1, 2)) for p, r in zip(pops, rateds)]
    assert got == want


def _counts(rows, columns=("facility", "date", "population", "rated_capacity", "pending_in", "pending_out")):
    frame = pd.DataFrame(rows, columns=list(columns))
    frame["date"] = pd.to_datetime(frame["date"])
    for c in columns:
        if c not in ("facility", "date"):
            frame[c] = frame[c].astype("Int64")
    frame["facility"] = frame["facility"].astype("str")
    frame.insert(0, "line", range(2, len(frame) + 2))
    return frame


def test_capacity_sheet_latest_date_exact_columns_and_arithmetic():
    counts = _counts(
        [
            ("FCI ALICEVILLE", "2026-11-20", 1000, 900, 1, 1),
            ("FCI ALICEVILLE", "2026-11-21", 1535, 1000, 40, 15),
            ("USP ATLANTA", "2026-11-21", 195, 200, None, 5),
            ("FPC CLOSED", "2026-11-21", 0, 128, 0, 0),
            ("NO RATED", "2026-11-21", 90, None, 3, None),
        ]
    )
    sheet = capacity_sheet(counts)
    assert list(sheet.columns) == SHEET_COLUMNS
    rows = {r["facility"]: r for r in sheet.astype(object).where(sheet.notna(), None).to_dict("records")}
    assert list(rows) == ["FCI ALICEVILLE", "USP ATLANTA", "FPC CLOSED", "NO RATED"]
    assert rows["FCI ALICEVILLE"] == {
        "facility": "FCI ALICEVILLE",
        "population": 1535,
        "rated_capacity": 1000,
        "crowding_pct": 54,
        "pending_in": 40,
        "pending_out": 15,
        "projected": 1560,
        "projected_crowding_pct": 56,
    }
    # A missing pending count is unknown, and so is the projection built on it (never 0 pending).
    assert rows["USP ATLANTA"]["pending_in"] is None
    assert rows["USP ATLANTA"]["projected"] is None
    assert rows["USP ATLANTA"]["crowding_pct"] == -2
    assert rows["USP ATLANTA"]["projected_crowding_pct"] is None
    assert rows["FPC CLOSED"]["crowding_pct"] == 0
    assert rows["FPC CLOSED"]["projected_crowding_pct"] == 0
    assert rows["NO RATED"]["crowding_pct"] is None
    assert rows["NO RATED"]["projected"] is None


def test_capacity_sheet_without_optional_columns():
    counts = _counts([("FCI X", "2026-11-21", 10)], columns=("facility", "date", "population"))
    sheet = capacity_sheet(counts)
    assert list(sheet.columns) == SHEET_COLUMNS
    # no pending counts is not zero pending: projected is unknown, never the population
    assert sheet[["rated_capacity", "crowding_pct", "pending_in", "projected"]].isna().all(axis=None)


def _facility(units, warning=0.95, critical=1.00):
    return Facility.model_validate(
        {
            "facility": {"code": "TST", "name": "FCI Test", "type": "FCC", "security_level": "MEDIUM"},
            "units": units,
            "thresholds": {"occupancy_warning": warning, "occupancy_critical": critical},
        }
    )


def _roster(counts: dict[str, int]) -> pd.DataFrame:
    units = [u for u, n in counts.items() for _ in range(n)]
    return pd.DataFrame({"unit": pd.Series(units, dtype="str")})


@pytest.mark.parametrize(
    "population, rated, status",
    [
        (94, 100, "ok"),
        (95, 100, "warning"),  # exactly 95 % is a warning
        (99, 100, "warning"),
        (100, 100, "critical"),  # exactly 100 % is critical
        (101, 100, "critical"),
        (19, 20, "warning"),  # 95 % on a small unit
        (18, 20, "ok"),
        (0, 100, "ok"),
        (0, 0, "ok"),  # a closed unit with no one in it
        (1, 0, "critical"),  # anyone in a unit without beds
    ],
)
def test_status_at_thresholds(population, rated, status):
    fac = _facility([{"name": "A", "rated_capacity": rated}])
    view = capacity_view(_roster({"A": population}), fac)
    assert view.units.loc[0, "status_rated"] == status
    assert view.units.loc[0, "status_operational"] == status  # no operational: the rated is used


def test_operational_capacity_and_levels_and_facility():
    fac = _facility(
        [
            {"name": "A1", "security_level": "MEDIUM", "rated_capacity": 100, "operational_capacity": 110},
            {"name": "A2", "rated_capacity": 100},  # MEDIUM by default, no operational capacity
            {"name": "CAMP", "security_level": "MINIMUM", "rated_capacity": 50, "operational_capacity": 60},
            {"name": "SHU", "security_level": "ADMINISTRATIVE", "rated_capacity": 10},
        ]
    )
    view = capacity_view(_roster({"A1": 105, "A2": 96, "CAMP": 55, "SHU": 0}), fac)
    u = view.units.set_index("unit")
    assert u.loc["A1", "operational_capacity"] == 110
    assert u.loc["A2", "operational_capacity"] == 100
    assert (u.loc["A1", "status_rated"], u.loc["A1", "status_operational"]) == ("critical", "warning")
    assert u.loc["A1", "crowding_pct_rated"] == 5
    assert u.loc["A1", "crowding_pct_operational"] == -5  # -4.55 % -> -5
    assert u.loc["SHU", "crowding_pct_rated"] == 0
    lv = view.levels.set_index("security_level")
    assert list(lv.index) == ["MINIMUM", "MEDIUM", "ADMINISTRATIVE"]
    assert lv.loc["MEDIUM", ["population", "rated_capacity", "operational_capacity"]].tolist() == [201, 200, 210]
    assert lv.loc["MEDIUM", "crowding_pct_rated"] == 1  # 0.5 % -> 1
    assert lv.loc["MINIMUM", "status_rated"] == "critical"
    f = view.facility.iloc[0]
    assert (f["population"], f["rated_capacity"], f["operational_capacity"]) == (256, 260, 280)
    assert f["crowding_pct_rated"] == -2  # -1.54 %
    assert view.unknown_units == []


def test_unknown_units_are_reported_and_counted_in_the_facility_total():
    fac = _facility([{"name": "A", "rated_capacity": 10}])
    view = capacity_view(_roster({"A": 5, "ZZ": 2}), fac)
    assert view.unknown_units == ["ZZ"]
    assert view.units["population"].tolist() == [5]
    assert view.facility.loc[0, "population"] == 7


def test_unit_names_match_case_insensitively():
    fac = _facility([{"name": "Camp", "rated_capacity": 10}])
    view = capacity_view(_roster({"CAMP ": 3, "camp": 2}), fac)
    assert view.units["population"].tolist() == [5]
    assert view.unknown_units == []
