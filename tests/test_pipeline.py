"""Designation pipeline: age buckets at every boundary, pending statuses, DESIG-LEVEL, projection."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.pipeline import (
    AGE_BUCKETS,
    PENDING_REDESIGNATION,
    designation_ages,
    designation_pipeline,
    project_population,
    redesignation_summary,
)
from loaders.config import Facility

AS_OF = pd.Timestamp("2026-11-22")


def _text(values):
    return pd.Series(values, dtype="str")


def _roster(rows):
    """rows: (register_number, unit, security_level)."""
    regs, units, levels = zip(*rows) if rows else ((), (), ())
    return pd.DataFrame(
        {
            "register_number": _text(list(regs)),
            "unit": _text(list(units)),
            "security_level": _text(list(levels)),
            "custody": _text(["IN"] * len(rows)),
            "arrival_date": pd.to_datetime(["2026-01-01"] * len(rows)),
        }
    )


def _designations(rows):
    """rows: (register_number, security_level, days_ago, status)."""
    regs, levels, ages, statuses = zip(*rows) if rows else ((), (), (), ())
    return pd.DataFrame(
        {
            "register_number": _text(list(regs)),
            "security_level": _text(list(levels)),
            "designation_date": pd.to_datetime([AS_OF - pd.Timedelta(days=a) for a in ages]),
            "status": _text(list(statuses)),
            "psf": _text([None] * len(rows)),
            "mgtv": _text([None] * len(rows)),
        }
    )


def _redesignations(rows):
    """rows: (register_number, direction, transfer_type, status, security_level)."""
    return pd.DataFrame(
        rows, columns=["register_number", "direction", "transfer_type", "status", "security_level"]
    ).astype("str")


@pytest.fixture
def fac():
    return Facility.model_validate(
        {
            "facility": {"code": "TST", "name": "FCI Test", "type": "FCC", "security_level": "MEDIUM"},
            "units": [
                {"name": "A1", "security_level": "MEDIUM", "rated_capacity": 10},
                {"name": "D1", "security_level": "LOW", "rated_capacity": 8},
                {"name": "CAMP", "security_level": "MINIMUM", "rated_capacity": 4},
                {"name": "SHU", "security_level": "ADMINISTRATIVE", "rated_capacity": 2},
            ],
        }
    )


@pytest.mark.parametrize(
    "days, bucket",
    [
        (0, "0-7"),
        (7, "0-7"),
        (8, "8-30"),
        (30, "8-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "over 60"),
        (400, "over 60"),
        (-1, None),  # dated after the as-of date: no bucket
    ],
)
def test_age_bucket_boundaries(days, bucket):
    ages = designation_ages(_designations([("20000-001", "LOW", days, "IN TRANSIT")]), AS_OF)
    assert ages.loc[0, "age_days"] == days
    got = ages.loc[0, "age_bucket"]
    assert (None if pd.isna(got) else got) == bucket


@pytest.mark.parametrize(
    "status, pending",
    [
        ("PENDING", True),
        ("APPROVED", True),
        ("IN TRANSIT", True),
        ("DENIED", False),
        ("COMPLETED", False),
        ("CANCELLED", False),
    ],
)
def test_which_redesignation_statuses_are_pending(status, pending, fac):
    assert (status in PENDING_REDESIGNATION) == pending
    roster = _roster([("10000-001", "A1", "MEDIUM")])
    redes = _redesignations(
        [
            ("10000-001", "OUT", "NEARER RELEASE", status, "MEDIUM"),
            ("30000-001", "IN", "LESSER SECURITY", status, "LOW"),
        ]
    )
    proj = project_population(roster, _designations([]), redes, fac).set_index("security_level")
    assert proj.loc["MEDIUM", "pending_out"] == int(pending)
    assert proj.loc["LOW", "pending_in"] == int(pending)
    assert redesignation_summary(redes)["pending"].tolist() == [pending, pending]


def test_every_designation_row_is_pending_whatever_its_status(fac):
    desig = _designations(
        [("20000-001", "LOW", 1, s) for s in ("AWAITING TRANSPORT", "IN TRANSIT", "VOLUNTARY SURRENDER", "HOLDOVER")]
    )
    desig["register_number"] = _text([f"20000-00{i}" for i in range(1, 5)])
    proj = project_population(_roster([]), desig, None, fac).set_index("security_level")
    assert proj.loc["LOW", "pending_in"] == 4


def test_tables_by_status_and_level(fac):
    desig = _designations(
        [
            ("20000-001", "LOW", 3, "IN TRANSIT"),
            ("20000-002", "LOW", 8, "IN TRANSIT"),
            ("20000-003", "MEDIUM", 45, "HOLDOVER"),
            ("20000-004", "MEDIUM", 90, None),
        ]
    )
    p = designation_pipeline(_roster([]), desig, None, fac, _rules(), AS_OF)
    st = p.by_status_age.set_index("status")
    assert st.loc["IN TRANSIT", list(AGE_BUCKETS)].tolist() == [1, 1, 0, 0]
    assert st.loc["NOT GIVEN", "over 60"] == 1
    lv = p.by_level_age.set_index("security_level")
    assert list(lv.index) == ["MINIMUM", "LOW", "MEDIUM", "HIGH", "UNASSIGNED"]
    assert lv.loc["MEDIUM", ["31-60", "over 60", "total"]].tolist() == [1, 1, 2]
    assert lv["total"].sum() == 4


def _rules():
    from loaders.config import load_rules

    return load_rules()


def test_desig_level_flags_come_from_the_flag_engine(fac):
    desig = _designations([("20000-001", "HIGH", 3, "IN TRANSIT"), ("20000-002", "MEDIUM", 3, "IN TRANSIT")])
    p = designation_pipeline(_roster([("10000-001", "A1", "MEDIUM")]), desig, None, fac, _rules(), AS_OF)
    assert p.desig_flags["register_number"].tolist() == ["20000-001"]
    assert p.desig_flags["rule"].tolist() == ["DESIG-LEVEL"]


def test_desig_level_skip_is_reported(fac):
    desig = _designations([("20000-001", "HIGH", 3, "IN TRANSIT")]).drop(columns=["psf"])
    p = designation_pipeline(_roster([]), desig, None, fac, _rules(), AS_OF)
    assert p.desig_flags.empty
    assert any(n.startswith("DESIG-LEVEL not checked") for n in p.notes)


def test_projection_by_level_and_facility(fac):
    roster = _roster(
        [
            ("10000-001", "A1", "MEDIUM"),
            ("10000-002", "A1", "MEDIUM"),
            ("10000-003", "D1", "LOW"),
            ("10000-004", "CAMP", "MINIMUM"),
            ("10000-005", "SHU", "UNASSIGNED"),
        ]
    )
    desig = _designations(
        [
            ("20000-001", "LOW", 2, "IN TRANSIT"),
            ("20000-002", "MEDIUM", 2, "HOLDOVER"),
            ("10000-001", "MEDIUM", 2, "HOLDOVER"),
        ]
    )  # already here: not counted again
    redes = _redesignations(
        [
            ("10000-002", "OUT", "LESSER SECURITY", "APPROVED", "MEDIUM"),
            ("10000-003", "OUT", "NEARER RELEASE", "IN TRANSIT", "LOW"),
            ("99999-999", "OUT", "NEARER RELEASE", "PENDING", "LOW"),  # not on the roster: not subtracted
            ("20000-001", "IN", "OTHER", "PENDING", "LOW"),  # also designated: counted once
            ("30000-001", "IN", "GREATER SECURITY", "PENDING", "HIGH"),
            ("30000-002", "IN", "PROGRAM", "DENIED", "LOW"),  # not pending
        ]
    )
    notes: list[str] = []
    proj = project_population(roster, desig, redes, fac, notes).set_index("security_level")
    cols = ["current", "pending_in", "pending_out", "projected", "rated_capacity"]
    assert proj.loc["MEDIUM", cols].tolist() == [2, 1, 1, 2, 10]
    assert proj.loc["LOW", cols].tolist() == [1, 1, 1, 1, 8]
    assert proj.loc["HIGH", cols[:4]].tolist() == [0, 1, 0, 1]
    assert pd.isna(proj.loc["HIGH", "rated_capacity"])
    assert proj.loc["FACILITY", cols].tolist() == [5, 3, 2, 6, 24]
    assert proj.loc["FACILITY", "crowding_pct"] == -79  # (5 - 24) / 24 = -79.2 %
    assert proj.loc["FACILITY", "projected_crowding_pct"] == -75  # (6 - 24) / 24 = -75 %
    assert proj.loc["FACILITY", "projected"] == (
        proj.loc["FACILITY", "current"] + proj.loc["FACILITY", "pending_in"] - proj.loc["FACILITY", "pending_out"]
    )
    assert any("already on the roster" in n for n in notes)
    assert any("not on the roster" in n for n in notes)
    assert not any("99999-999" in n for n in notes)


def test_works_without_a_roster_snapshot(fac):
    """The designations page may have designations before any roster: only counts are needed."""
    roster = pd.DataFrame({"register_number": _text([]), "security_level": _text([])})
    p = designation_pipeline(
        roster, _designations([("20000-001", "HIGH", 3, "IN TRANSIT")]), None, fac, _rules(), AS_OF
    )
    assert p.desig_flags["register_number"].tolist() == ["20000-001"]
    assert p.projection.set_index("security_level").loc[
        "FACILITY", ["current", "pending_in", "projected"]
    ].tolist() == [0, 1, 1]
