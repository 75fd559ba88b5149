"""Work queues: tasks, due dates and buckets at their boundaries (as-of 2026-11-22)."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.workqueue import BUCKETS, ITEM_COLUMNS, SUMMARY_COLUMNS, work_queue

AS_OF = pd.Timestamp("2026-11-22")
# Nothing due: classified, reviewed recently, no MGTV, no CIM.
QUIET = {
    "register_number": "10000-001",
    "unit": "D1",
    "arrival_date": "2025-01-01",
    "initial_classification_date": "2025-01-20",
    "last_program_review_date": "2026-10-01",
    "projected_release_date": "2031-01-01",
    "mgtv": None,
    "mgtv_expires": None,
    "cim": None,
    "case_manager": "CM ONE",
}
DATES = (
    "arrival_date",
    "initial_classification_date",
    "last_program_review_date",
    "projected_release_date",
    "mgtv_expires",
)


def ago(days: int) -> str:
    return (AS_OF - pd.Timedelta(days=days)).strftime("%Y-%m-%d")


def ahead(days: int) -> str:
    return (AS_OF + pd.Timedelta(days=days)).strftime("%Y-%m-%d")


def frame(*rows: dict, drop: tuple[str, ...] = ()) -> pd.DataFrame:
    df = pd.DataFrame([{**QUIET, "register_number": f"10000-{i + 1:03d}", **r} for i, r in enumerate(rows)])
    for c in ("register_number", "unit", "mgtv", "cim", "case_manager"):
        df[c] = df[c].astype("str")
    for c in DATES:
        df[c] = pd.to_datetime(df[c]).astype("datetime64[us]")
    return df.drop(columns=list(drop))


def one(rules, row: dict) -> list[tuple]:
    items = work_queue(frame(row), rules, AS_OF).items
    return list(zip(items["task"], items["days_left"], items["bucket"]))


def test_quiet_inmate_has_nothing_due(rules):
    wq = work_queue(frame({}), rules, AS_OF)
    assert wq.items.empty and list(wq.items.columns) == ITEM_COLUMNS
    assert wq.summary.empty and list(wq.summary.columns) == SUMMARY_COLUMNS
    assert wq.skipped == []


@pytest.mark.parametrize(
    "arrived, expected",
    [
        (29, [("INITIAL CLASSIFICATION", -1, "Overdue")]),
        (28, [("INITIAL CLASSIFICATION", 0, "Due this week")]),
        (22, [("INITIAL CLASSIFICATION", 6, "Due this week")]),
        (21, [("INITIAL CLASSIFICATION", 7, "Coming up")]),
        (14, [("INITIAL CLASSIFICATION", 14, "Coming up")]),
        (13, []),  # due in 15 days: beyond the 14-day window
    ],
)
def test_initial_classification(rules, arrived, expected):
    row = {"arrival_date": ago(arrived), "initial_classification_date": None, "last_program_review_date": None}
    assert one(rules, row) == expected


@pytest.mark.parametrize(
    "review, prd, expected",
    [
        (ago(181), ahead(2000), [("PROGRAM REVIEW", -1, "Overdue")]),
        (ago(180), ahead(2000), [("PROGRAM REVIEW", 0, "Due this week")]),
        (ago(166), ahead(2000), [("PROGRAM REVIEW", 14, "Coming up")]),
        (ago(165), ahead(2000), []),
        (ago(91), ahead(365), [("PROGRAM REVIEW", -1, "Overdue")]),  # near release: every 90 days
        (ago(91), ahead(366), []),
        (ago(84), ahead(100), [("PROGRAM REVIEW", 6, "Due this week")]),
    ],
)
def test_program_review(rules, review, prd, expected):
    assert one(rules, {"last_program_review_date": review, "projected_release_date": prd}) == expected


def test_program_review_falls_back_on_initial_classification(rules):
    row = {"last_program_review_date": None, "initial_classification_date": ago(200)}
    items = work_queue(frame(row), rules, AS_OF).items
    assert list(items["task"]) == ["PROGRAM REVIEW"] and items["detail"][0].startswith("initial classification")


@pytest.mark.parametrize(
    "expires, expected",
    [
        (ago(1), []),  # expired: a flag, not a task
        (ahead(0), [("MGTV EXPIRY", 0, "Due this week")]),
        (ahead(6), [("MGTV EXPIRY", 6, "Due this week")]),
        (ahead(7), [("MGTV EXPIRY", 7, "Coming up")]),
        (ahead(30), [("MGTV EXPIRY", 30, "Coming up")]),
        (ahead(31), []),
        (None, []),
    ],
)
def test_mgtv_expiry(rules, expires, expected):
    assert one(rules, {"mgtv": "WORK CADRE", "mgtv_expires": expires}) == expected


@pytest.mark.parametrize(
    "cim, arrived, expected",
    [
        ("SEPARATION", 60, [("CIM REVIEW", 0, "Due this week")]),
        ("SEPARATION", 46, [("CIM REVIEW", 14, "Coming up")]),
        ("SEPARATION", 45, []),
        ("SEPARATION", 61, []),  # past due: no export records the review, so it is not listed
        (None, 60, []),
    ],
)
def test_cim_review(rules, cim, arrived, expected):
    row = {"cim": cim, "arrival_date": ago(arrived), "initial_classification_date": ago(arrived - 5)}
    assert one(rules, row) == expected


def test_summary_per_unit_and_case_manager(rules):
    rows = [
        {"unit": "A1", "case_manager": "CM ONE", "last_program_review_date": ago(200)},
        {"unit": "A1", "case_manager": "CM TWO", "last_program_review_date": ago(178)},
        {"unit": "B1", "case_manager": "CM TWO", "mgtv": "WORK CADRE", "mgtv_expires": ahead(20)},
        {
            "unit": "B1",
            "case_manager": None,
            "arrival_date": ago(40),
            "initial_classification_date": None,
            "last_program_review_date": None,
        },
    ]
    wq = work_queue(frame(*rows), rules, AS_OF)
    assert list(wq.items["bucket"]) == ["Overdue", "Overdue", "Due this week", "Coming up"]
    s = wq.summary.set_index(["by", "group", "task"])
    assert s.loc[("unit", "A1", "PROGRAM REVIEW"), list(BUCKETS) + ["total"]].tolist() == [1, 1, 0, 2]
    assert s.loc[("case_manager", "CM TWO", "MGTV EXPIRY"), "Coming up"] == 1
    assert s.loc[("case_manager", "(none recorded)", "INITIAL CLASSIFICATION"), "Overdue"] == 1
    assert wq.summary["total"].sum() == 2 * len(wq.items)


@pytest.mark.parametrize(
    "drop, skipped",
    [
        (("cim",), ["CIM REVIEW"]),
        (("mgtv_expires",), ["MGTV EXPIRY"]),
        (("last_program_review_date",), ["PROGRAM REVIEW"]),
        (("initial_classification_date",), ["INITIAL CLASSIFICATION"]),
    ],
)
def test_missing_columns_skip_the_task(rules, drop, skipped):
    wq = work_queue(frame({}, drop=drop), rules, AS_OF)
    assert [task for task, _ in wq.skipped] == skipped


def test_without_case_manager_column(rules):
    wq = work_queue(frame({"last_program_review_date": ago(200)}, drop=("case_manager",)), rules, AS_OF)
    assert list(wq.items["case_manager"]) == ["(none recorded)"]


def test_windows_come_from_the_rules_file(rules):
    wider = rules.model_copy(update={"days": rules.days.model_copy(update={"due_soon": 20})})
    row = {"last_program_review_date": ago(161)}
    assert one(rules, row) == []
    assert work_queue(frame(row), wider, AS_OF).items["days_left"].tolist() == [19]
