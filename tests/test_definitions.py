"""Figures with more than one definition: each computed once, labelled, and keyed one way.

The cross-surface check is tests/test_consistency.py; these are the rules underneath it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import loaders
from analytics.capacity import capacity_sheet
from analytics.findings import annotate, scope_counts, scope_sentence
from analytics.level_counts import level_counts
from analytics.workqueue import work_queue
from reports.definitions import LEVEL_LABELS, other_levels, other_pending
from reports.national import sheet
from reports.sources import source_gap

HEADER = "title,datetime_of_data,population,rated_capacity,pending_in,pending_out"


def _sheet(tmp_path, rows: list[str]) -> pd.DataFrame:
    path = tmp_path / "counts.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    frame = loaders.load(path, kind="facility_counts").frame
    return sheet(frame)


@pytest.mark.parametrize(
    ("rows", "facilities", "population"),
    [
        # Two spellings of one institution on the latest date: one row, first spelling, last figures.
        (
            ["FCI ALICEVILLE,2026-03-01,1200,1320,10,5", "Aliceville FCI,2026-03-01,1214,1320,17,10"],
            ["FCI ALICEVILLE"],
            [1214],
        ),
        # Members of a complex stay apart.
        (
            ["FCI Coleman Low,2026-03-01,1800,1700,1,1", "FCI Coleman Medium,2026-03-01,1500,1400,2,2"],
            ["FCI Coleman Low", "FCI Coleman Medium"],
            [1800, 1500],
        ),
        # Only the latest date is the sheet.
        (
            ["FCI ALICEVILLE,2026-02-01,1100,1320,1,1", "Aliceville FCI,2026-03-01,1214,1320,17,10"],
            ["Aliceville FCI"],
            [1214],
        ),
    ],
)
def test_capacity_sheet_keys_institutions(tmp_path, rows, facilities, population):
    sheet = _sheet(tmp_path, rows)
    assert sheet["facility"].tolist() == facilities
    assert sheet["population"].astype(int).tolist() == population


def test_capacity_sheet_without_reference_keeps_rows_as_written(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text(HEADER + "\nFCI ALICEVILLE,2026-03-01,1200,1320,10,5\nAliceville FCI,2026-03-01,1214,1320,17,10\n")
    frame = loaders.load(path, kind="facility_counts").frame
    assert len(capacity_sheet(frame)) == 2


@pytest.mark.parametrize(
    ("kind", "latest", "roster", "words"),
    [
        ("designations", None, date(2026, 3, 10), "no designations export in the store"),
        ("designations", date(2026, 3, 10), date(2026, 3, 10), None),
        ("designations", date(2026, 3, 9), date(2026, 3, 10), "designations are 1 day older than the roster"),
        ("redesignations", date(2026, 2, 26), date(2026, 3, 10), "redesignations are 12 days older than the roster"),
        ("facility_counts", date(2026, 3, 3), date(2026, 3, 10), None),  # a week behind is allowed
        ("facility_counts", date(2026, 3, 2), date(2026, 3, 10), "national counts are 8 days older than the roster"),
        ("facility_counts", None, date(2026, 3, 10), "no national counts export in the store"),
        ("findings", date(2025, 1, 1), date(2026, 3, 10), None),  # a log is never behind
        ("findings", None, date(2026, 3, 10), "no findings log export in the store"),
    ],
)
def test_source_gap_words(kind, latest, roster, words):
    assert source_gap(kind, latest, roster) == words


def test_level_counts_three_definitions(facility, rules):
    roster = pd.DataFrame(
        {
            "register_number": ["00001-001", "00002-002", "00003-003"],
            "unit": [facility.units[0].name] * 3,
            "security_level": ["MINIMUM", "MINIMUM", "UNASSIGNED"],
            "custody": ["OUT"] * 3,
            "arrival_date": pd.to_datetime(["2026-01-01"] * 3),
            "security_points": pd.array([5, 5, pd.NA], dtype="Int64"),
            "psf": pd.array(["SEX OFFENDER", pd.NA, pd.NA], dtype="str"),
        }
    )
    counts = level_counts(roster, facility, rules, date(2026, 3, 10)).set_index("level")
    housing_level = facility.unit_level(facility.units[0].name)
    assert int(counts.loc[housing_level, "housing"]) == 3
    assert int(counts.loc["MINIMUM", "scored"]) == 2
    assert int(counts.loc["MINIMUM", "required"]) == 1  # the PSF raises one to LOW
    assert int(counts.loc["LOW", "required"]) == 1
    assert int(counts.loc["UNASSIGNED", "required"]) == int(counts.loc["UNASSIGNED", "scored"]) == 1
    assert pd.isna(counts.loc["ADMINISTRATIVE", "scored"])  # no one is scored ADMINISTRATIVE: not 0


def test_labels_point_to_the_other_definitions():
    for shown in LEVEL_LABELS:
        text = other_levels(shown)
        assert all(LEVEL_LABELS[d].lower() in text.lower() for d in LEVEL_LABELS)
    assert "facility_counts sheet" in other_pending("exports") and "designations exports" in other_pending("sheet")


@pytest.mark.parametrize(("facility_rows", "own", "other"), [((None, None, "FCI X"), 2, 1), ((None,), 1, 0)])
def test_findings_scope(facility_rows, own, other):
    log = pd.DataFrame(
        {
            "facility": pd.array(list(facility_rows), dtype="str"),
            "review_date": pd.to_datetime(["2026-01-01"] * len(facility_rows)),
            "discipline": ["Health Services"] * len(facility_rows),
        }
    )
    annotated = annotate(log, date(2026, 3, 1))
    assert scope_counts(annotated) == (own, other)
    assert ("other facilities" in scope_sentence(annotated)) == bool(other)


def test_work_queue_mgtv_expiry_is_the_flag(rules):
    roster = pd.DataFrame(
        {
            "register_number": ["00001-001", "00002-002"],
            "unit": ["A", "B"],
            "mgtv": ["GREATER SECURITY", "GREATER SECURITY"],
            "mgtv_expires": pd.to_datetime(["2026-03-20", "2026-03-21"]),
        }
    )
    flags = pd.DataFrame({"register_number": ["00002-002"], "rule": ["MGTV-EXPIRING"]})
    as_of = date(2026, 3, 10)
    assert len(work_queue(roster, rules, as_of).items) == 2
    items = work_queue(roster, rules, as_of, flags=flags).items
    assert items["register_number"].tolist() == ["00002-002"]
