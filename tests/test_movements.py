"""Movements between two roster snapshots: classification, changes, flags, and the balance."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.movements import compare_snapshots, diff_flags

D0, D1 = "2026-11-21", "2026-11-22"


def _roster(rows, as_of=D1):
    """rows: (register_number, unit, security_level, custody, projected_release_date)."""
    frame = pd.DataFrame(
        rows, columns=["register_number", "unit", "security_level", "custody", "projected_release_date"]
    )
    for c in ("register_number", "unit", "security_level", "custody"):
        frame[c] = frame[c].astype("str")
    frame["projected_release_date"] = pd.to_datetime(frame["projected_release_date"])
    frame["arrival_date"] = pd.Timestamp("2025-01-01")
    frame["as_of_date"] = pd.Timestamp(as_of)
    frame.insert(0, "line", range(2, len(frame) + 2))
    return frame


def _redesig(rows):
    """rows: (register_number, direction, transfer_type, status)."""
    frame = pd.DataFrame(rows, columns=["register_number", "direction", "transfer_type", "status"])
    return frame.astype("str")


def _flags(rows):
    frame = pd.DataFrame(rows, columns=["register_number", "rule", "severity", "unit", "explanation"])
    return frame.astype("str")


@pytest.mark.parametrize(
    "prd, redesignation_status, reason",
    [
        (D0, None, "RELEASE"),  # release date passed yesterday
        (D1, None, "RELEASE"),  # release date on the later as-of date
        ("2026-11-23", None, "UNEXPLAINED"),  # release date still ahead
        (None, None, "UNEXPLAINED"),  # no release date
        (None, "PENDING", "TRANSFER"),
        (None, "APPROVED", "TRANSFER"),
        (None, "IN TRANSIT", "TRANSFER"),
        (None, "COMPLETED", "TRANSFER"),
        (None, "DENIED", "UNEXPLAINED"),  # a denied request explains nothing
        (None, "CANCELLED", "UNEXPLAINED"),
        ("2026-11-23", "IN TRANSIT", "TRANSFER"),
        (D1, "IN TRANSIT", "RELEASE"),  # the release date comes first
    ],
)
def test_departure_classification(prd, redesignation_status, reason):
    before = _roster([("12345-001", "A1", "LOW", "IN", prd), ("12345-002", "A1", "LOW", "IN", None)], D0)
    after = _roster([("12345-002", "A1", "LOW", "IN", None)], D1)
    redes = None
    if redesignation_status:
        redes = _redesig([("12345-001", "OUT", "NEARER RELEASE", redesignation_status)])
    m = compare_snapshots(before, after, redesignations=redes)
    assert m.departures["register_number"].tolist() == ["12345-001"]
    assert m.departures["reason"].tolist() == [reason]
    assert m.departures_by_reason()[reason] == 1


def test_redesignation_in_does_not_explain_a_departure():
    before = _roster([("12345-001", "A1", "LOW", "IN", None)], D0)
    after = _roster([], D1)
    m = compare_snapshots(
        before, after, redesignations=_redesig([("12345-001", "IN", "OTHER", "APPROVED")]), as_of_after=D1
    )
    assert m.departures["reason"].tolist() == ["UNEXPLAINED"]


def test_explanations_name_the_cause():
    before = _roster([("12345-001", "A1", "LOW", "IN", D0), ("12345-002", "B1", "LOW", "IN", None)], D0)
    after = _roster([], D1)
    redes = _redesig([("12345-002", "OUT", "NEARER RELEASE", "IN TRANSIT")])
    dep = compare_snapshots(before, after, redesignations=redes, as_of_after=D1).departures.set_index("register_number")
    assert dep.loc["12345-001", "explanation"] == f"projected release date {D0}"
    assert dep.loc["12345-002", "explanation"] == "redesignation out, in transit (nearer release)"


def test_arrivals_moves_level_and_custody_changes_and_balance():
    before = _roster(
        [
            ("10000-001", "A1", "LOW", "IN", None),
            ("10000-002", "A1", "LOW", "IN", None),
            ("10000-003", "B1", "MEDIUM", "IN", None),
            ("10000-004", "B1", "UNASSIGNED", "IN", None),
            ("10000-005", "CAMP", "MINIMUM", "OUT", D0),
        ],
        D0,
    )
    after = _roster(
        [
            ("10000-001", "A1", "LOW", "IN", None),
            ("10000-002", "A2", "LOW", "IN", None),  # unit move
            ("10000-003", "B1", "LOW", "OUT", None),  # level and custody change
            ("10000-004", "B1", "MEDIUM", "IN", None),  # classified
            ("10000-006", "SHU", "HIGH", "MAXIMUM", None),  # arrival
            ("10000-007", "A1", "LOW", "IN", None),  # arrival
        ],
        D1,
    )
    m = compare_snapshots(before, after)
    assert m.arrivals["register_number"].tolist() == ["10000-006", "10000-007"]
    assert m.departures["register_number"].tolist() == ["10000-005"]
    assert m.unit_moves.to_dict("records") == [
        {"register_number": "10000-002", "unit_before": "A1", "unit_after": "A2"}
    ]
    assert m.level_changes[["register_number", "security_level_before", "security_level_after"]].values.tolist() == [
        ["10000-003", "MEDIUM", "LOW"],
        ["10000-004", "UNASSIGNED", "MEDIUM"],
    ]
    assert m.custody_changes["register_number"].tolist() == ["10000-003"]
    assert (m.count_before, len(m.arrivals), len(m.departures), m.count_after) == (5, 2, 1, 6)
    assert m.count_before + len(m.arrivals) - len(m.departures) == m.count_after
    assert m.balanced and m.problems == [] and m.notes == [] and m.gap_days == 1


def test_outputs_carry_no_names():
    before = _roster([("10000-001", "A1", "LOW", "IN", None)], D0).assign(last_name="DOE", first_name="JOHN")
    after = _roster([("10000-002", "A1", "LOW", "IN", None)], D1).assign(last_name="ROE", first_name="RICH")
    m = compare_snapshots(before, after)
    for frame in (m.arrivals, m.departures, m.unit_moves, m.level_changes, m.custody_changes):
        assert not {"last_name", "first_name", "name"} & set(frame.columns)


@pytest.mark.parametrize("as_of_before, gap", [("2026-11-21", 1), ("2026-11-19", 3), ("2026-11-22", 0)])
def test_gap_between_snapshots_is_reported(as_of_before, gap):
    row = [("10000-001", "A1", "LOW", "IN", None)]
    m = compare_snapshots(_roster(row, as_of_before), _roster(row, D1))
    assert m.gap_days == gap
    assert (m.notes == []) == (gap == 1)
    if gap != 1:
        assert f"{gap} days apart" in m.notes[0]
    assert m.balanced  # a gap is not a break in the counts


def test_total_line_disagreement_and_duplicates_are_breaks():
    before = _roster([("10000-001", "A1", "LOW", "IN", None), ("10000-001", "A1", "LOW", "IN", None)], D0)
    after = _roster([("10000-001", "A1", "LOW", "IN", None)], D1)
    m = compare_snapshots(before, after, reported_total_before=2, reported_total_after=3)
    assert not m.balanced
    assert any("more than once" in p for p in m.problems)
    assert any("1 rows but its total line says 3" in p for p in m.problems)
    assert all("10000-001" not in p for p in m.problems)  # no register numbers in messages


def test_unknown_as_of_date_is_noted():
    m = compare_snapshots(_roster([], D0), _roster([], D1))
    assert m.gap_days is None
    assert m.notes == ["the later snapshot's as-of date is unknown: releases cannot be recognised"]


def test_explicit_as_of_dates_override_the_column():
    m = compare_snapshots(_roster([], D0), _roster([], D1), as_of_before="2026-11-01", as_of_after="2026-11-22")
    assert m.gap_days == 21


@pytest.mark.parametrize(
    "before_rules, after_rules, appeared, cleared",
    [
        ([], ["SEC-ABOVE"], ["SEC-ABOVE"], []),
        (["SEC-ABOVE"], [], [], ["SEC-ABOVE"]),
        (["SEC-ABOVE"], ["SEC-ABOVE"], [], []),
        (["SEC-ABOVE"], ["MGTV-EXPIRED", "SEC-ABOVE"], ["MGTV-EXPIRED"], []),
        (["SEC-BELOW"], ["SEC-ABOVE"], ["SEC-ABOVE"], ["SEC-BELOW"]),
    ],
)
def test_flag_diff_on_register_number_and_rule(before_rules, after_rules, appeared, cleared):
    fb = _flags([("10000-001", r, "high", "A1", "x") for r in before_rules])
    fa = _flags([("10000-001", r, "high", "A1", "y") for r in after_rules])
    got_appeared, got_cleared = diff_flags(fb, fa)
    assert sorted(got_appeared["rule"]) == appeared
    assert sorted(got_cleared["rule"]) == cleared


def test_flags_of_arrivals_and_departures_are_marked():
    before = _roster([("10000-001", "A1", "LOW", "IN", None)], D0)
    after = _roster([("10000-002", "A1", "LOW", "IN", None)], D1)
    fb = _flags([("10000-001", "SEC-BELOW", "low", "A1", "x")])
    fa = _flags([("10000-002", "SEC-ABOVE", "high", "A1", "y")])
    m = compare_snapshots(before, after, flags_before=fb, flags_after=fa)
    assert m.flags_appeared[["register_number", "rule", "arrived"]].values.tolist() == [
        ["10000-002", "SEC-ABOVE", True]
    ]
    assert m.flags_cleared[["register_number", "rule", "departed"]].values.tolist() == [
        ["10000-001", "SEC-BELOW", True]
    ]


def test_no_flags_given_gives_empty_frames():
    m = compare_snapshots(_roster([], D0), _roster([], D1))
    assert m.flags_appeared.empty and m.flags_cleared.empty
    assert {"register_number", "rule"} <= set(m.flags_appeared.columns)


@pytest.mark.parametrize(
    "before, after, changed",
    [("IN", "OUT", True), ("IN", "IN", False), (None, "IN", True), ("IN", None, True), (None, None, False)],
)
def test_custody_change_with_missing_values(before, after, changed):
    b = _roster([("10000-001", "A1", "LOW", "IN", None)], D0).assign(custody=pd.Series([before], dtype="str"))
    a = _roster([("10000-001", "A1", "LOW", "IN", None)], D1).assign(custody=pd.Series([after], dtype="str"))
    assert len(compare_snapshots(b, a).custody_changes) == int(changed)


@pytest.mark.parametrize(
    "before_rules, after_rules, appeared, cleared, changed",
    [
        # One inmate, one problem in a new state: changed, not cleared plus new.
        (["MGTV-EXPIRING"], ["MGTV-EXPIRED"], [], [], [("MGTV-EXPIRING", "MGTV-EXPIRED")]),
        (["SEC-BELOW"], ["SEC-ABOVE"], [], [], [("SEC-BELOW", "SEC-ABOVE")]),
        # Another family is another problem: one cleared, one new.
        (["MGTV-EXPIRING"], ["SEC-ABOVE"], ["SEC-ABOVE"], ["MGTV-EXPIRING"], []),
        (["CLASSIFICATION-OVERDUE"], ["REVIEW-OVERDUE"], ["REVIEW-OVERDUE"], ["CLASSIFICATION-OVERDUE"], []),
        # The same rule on both days is neither.
        (["MGTV-EXPIRED"], ["MGTV-EXPIRED"], [], [], []),
        (["MGTV-EXPIRING", "SEC-BELOW"], ["MGTV-EXPIRED", "SEC-BELOW"], [], [], [("MGTV-EXPIRING", "MGTV-EXPIRED")]),
        ([], ["MGTV-EXPIRED"], ["MGTV-EXPIRED"], [], []),
        (["MGTV-EXPIRING"], [], [], ["MGTV-EXPIRING"], []),
    ],
)
def test_a_flag_that_changed_rule_is_changed(before_rules, after_rules, appeared, cleared, changed):
    before = _roster([("10000-001", "A1", "LOW", "IN", None)], D0)
    after = _roster([("10000-001", "A1", "LOW", "IN", None)], D1)
    sev = {"MGTV-EXPIRED": "high", "MGTV-EXPIRING": "medium"}
    fb = _flags([("10000-001", r, sev.get(r, "high"), "A1", "was") for r in before_rules])
    fa = _flags([("10000-001", r, sev.get(r, "high"), "A1", "now") for r in after_rules])
    m = compare_snapshots(before, after, flags_before=fb, flags_after=fa)
    assert sorted(m.flags_appeared["rule"]) == appeared
    assert sorted(m.flags_cleared["rule"]) == cleared
    assert list(zip(m.flags_changed["rule_before"], m.flags_changed["rule"])) == changed
    if changed:
        row = m.flags_changed.iloc[0]
        assert (row["register_number"], row["explanation"]) == ("10000-001", "now")
        assert (row["severity_before"], row["severity"]) == (
            sev.get(changed[0][0], "high"),
            sev.get(changed[0][1], "high"),
        )


def test_changed_flags_pair_within_one_inmate_only():
    both = [("10000-001", "A1", "LOW", "IN", None), ("10000-002", "A1", "LOW", "IN", None)]
    fb = _flags([("10000-001", "MGTV-EXPIRING", "medium", "A1", "x")])
    fa = _flags([("10000-002", "MGTV-EXPIRED", "high", "A1", "y")])
    m = compare_snapshots(_roster(both, D0), _roster(both, D1), flags_before=fb, flags_after=fa)
    assert m.flags_changed.empty
    assert m.flags_appeared["register_number"].tolist() == ["10000-002"]
    assert m.flags_cleared["register_number"].tolist() == ["10000-001"]
