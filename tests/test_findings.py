"""Repeat findings and corrective-action status (domain.md section 6), pinned on hand-made logs."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics import findings as analytics_findings

AS_OF = date(2026, 6, 30)


def log(*rows: dict) -> pd.DataFrame:
    """A findings frame shaped like loaders.load(kind="findings").frame."""
    base = {
        "line": 0,
        "facility": pd.NA,
        "review_date": None,
        "discipline": "Correctional Programs",
        "finding": "x",
        "policy_reference": "P5322.13 Sec. 7",
        "review_type": "PROGRAM REVIEW",
        "rating": pd.NA,
        "corrective_action_due": None,
        "corrective_action_closed": None,
    }
    frame = pd.DataFrame([{**base, "line": k + 2, **r} for k, r in enumerate(rows)])
    for c in ("review_date", "corrective_action_due", "corrective_action_closed"):
        frame[c] = pd.to_datetime(frame[c])
    for c in ("facility", "discipline", "finding", "policy_reference", "review_type", "rating"):
        frame[c] = frame[c].astype("str")
    return frame


# Two findings: is the second a repeat of the first?
@pytest.mark.parametrize(
    ("first", "second", "repeat"),
    [
        ({"review_date": "2024-01-10"}, {"review_date": "2025-01-10"}, True),
        ({"review_date": "2025-01-10"}, {"review_date": "2025-01-10"}, False),  # same day: not a repeat
        ({"review_date": "2025-01-09"}, {"review_date": "2025-01-10"}, True),  # one day earlier is earlier
        ({"review_date": "2024-01-10"}, {"review_date": "2025-01-10", "policy_reference": "p5322.13  SEC.   7"}, True),
        ({"review_date": "2024-01-10"}, {"review_date": "2025-01-10", "policy_reference": " P5322.13\tSec. 7 "}, True),
        ({"review_date": "2024-01-10"}, {"review_date": "2025-01-10", "policy_reference": "P5322.13 Sec.7"}, False),
        ({"review_date": "2024-01-10"}, {"review_date": "2025-01-10", "policy_reference": "P5322.13 Sec. 5"}, False),
        ({"review_date": "2024-01-10"}, {"review_date": "2025-01-10", "discipline": "Health Services"}, False),
        ({"review_date": "2024-01-10"}, {"review_date": "2025-01-10", "discipline": "CORRECTIONAL  PROGRAMS"}, True),
        ({"review_date": "2024-01-10"}, {"review_date": "2025-01-10", "facility": "FCI Other"}, False),
        (
            {"review_date": "2024-01-10", "facility": "FCI Other"},
            {"review_date": "2025-01-10", "facility": "fci other"},
            True,
        ),
        ({"review_date": "2024-01-10", "facility": ""}, {"review_date": "2025-01-10"}, True),  # blank = home
        (
            {"review_date": "2024-01-10", "policy_reference": pd.NA},
            {"review_date": "2025-01-10", "policy_reference": pd.NA},
            False,
        ),  # no reference: never a repeat
        (
            {"review_date": "2024-01-10", "policy_reference": ""},
            {"review_date": "2025-01-10", "policy_reference": ""},
            False,
        ),
        ({"review_date": "2025-01-10"}, {"review_date": "2024-01-10"}, False),  # the later one is the repeat
    ],
)
def test_repeat_rule(first, second, repeat):
    out = analytics_findings.annotate(log(first, second), AS_OF)
    assert bool(out["repeat"].iat[1]) is repeat
    of = out["repeat_of"].iat[1]
    assert of == pd.Timestamp(first["review_date"]) if repeat else pd.isna(of)


def test_repeat_of_is_the_earliest_earlier_review_and_same_day_twins_share_it():
    out = analytics_findings.annotate(
        log(
            {"review_date": "2020-03-01"},
            {"review_date": "2022-05-01"},
            {"review_date": "2024-07-01"},
            {"review_date": "2024-07-01"},
        ),
        AS_OF,
    )
    assert out["repeat"].tolist() == [False, True, True, True]
    assert out["repeat_of"].tolist()[1:] == [pd.Timestamp("2020-03-01")] * 3


def test_same_day_twins_alone_are_not_repeats():
    out = analytics_findings.annotate(log({"review_date": "2024-07-01"}, {"review_date": "2024-07-01"}), AS_OF)
    assert not out["repeat"].any() and out["repeat_of"].isna().all()


# (due, closed) -> status at AS_OF = 2026-06-30
@pytest.mark.parametrize(
    ("due", "closed", "status"),
    [
        ("2026-06-01", "2026-05-31", "CLOSED"),
        ("2026-06-01", "2026-06-01", "CLOSED"),  # closed on the due date
        ("2026-06-01", "2026-06-02", "CLOSED LATE"),
        (None, "2026-03-01", "CLOSED"),  # closed, no due date
        (None, None, "OPEN"),
        ("2026-06-29", None, "OVERDUE"),  # due the day before the as-of date
        ("2026-06-30", None, "OPEN"),  # due on the as-of date: not overdue yet
        ("2026-07-15", None, "OPEN"),
        ("2026-06-01", "2026-06-30", "CLOSED LATE"),  # closed on the as-of date counts
        ("2026-06-01", "2026-07-01", "OVERDUE"),  # closed after the as-of date: not closed yet
        ("2026-07-15", "2026-07-01", "OPEN"),  # closed after the as-of date, not yet due
        (None, "2026-07-01", "OPEN"),
    ],
)
def test_action_status(due, closed, status):
    out = analytics_findings.annotate(
        log({"review_date": "2026-01-05", "corrective_action_due": due, "corrective_action_closed": closed}), AS_OF
    )
    assert out["action_status"].iat[0] == status


def test_missing_optional_columns_give_open_actions_and_home_facility():
    frame = log({"review_date": "2024-01-10"}, {"review_date": "2025-01-10"}).drop(
        columns=["facility", "corrective_action_due", "corrective_action_closed"]
    )
    out = analytics_findings.annotate(frame, AS_OF)
    assert out["action_status"].tolist() == ["OPEN", "OPEN"]
    assert out["facility"].isna().all() and out["repeat"].tolist() == [False, True]


def test_no_policy_reference_column_means_no_repeats():
    out = analytics_findings.annotate(
        log({"review_date": "2024-01-10"}, {"review_date": "2025-01-10"}).drop(columns="policy_reference"), AS_OF
    )
    assert not out["repeat"].any()


def _meeting_log() -> pd.DataFrame:
    cp, hs = "Correctional Programs", "Health Services"
    return analytics_findings.annotate(
        log(
            {
                "review_date": "2022-03-01",
                "discipline": cp,
                "rating": "GOOD",
                "corrective_action_due": "2022-06-01",
                "corrective_action_closed": "2022-05-01",
            },
            {
                "review_date": "2022-03-01",
                "discipline": hs,
                "policy_reference": "P6031.04 Ch. 2",
                "rating": "ACCEPTABLE",
                "corrective_action_due": "2022-06-01",
                "corrective_action_closed": "2022-07-01",
            },
            {"review_date": "2022-03-01", "discipline": hs, "policy_reference": "P6090.04", "rating": "DEFICIENT"},
            {
                "review_date": "2024-09-01",
                "discipline": cp,
                "policy_reference": "p5322.13 sec. 7",
                "rating": "DEFICIENT",
                "corrective_action_due": "2026-05-01",
            },
            {
                "review_date": "2024-09-01",
                "discipline": cp,
                "policy_reference": "P5100.08",
                "rating": "DEFICIENT",
                "corrective_action_due": "2026-07-10",
            },
            {
                "review_date": "2024-09-01",
                "discipline": hs,
                "policy_reference": "P6031.04 CH. 2",
                "rating": "GOOD",
                "corrective_action_due": "2026-08-15",
            },
            {
                "review_date": "2025-05-01",
                "discipline": cp,
                "review_type": "SELF AUDIT",
                "corrective_action_due": "2026-06-29",
            },
            {
                "review_date": "2024-09-01",
                "facility": "FCI Other",
                "discipline": cp,
                "rating": "GOOD",
                "corrective_action_due": "2026-01-01",
            },
        ),
        AS_OF,
    )


def test_trend_matrix_and_ratings():
    home = analytics_findings.home(_meeting_log())
    found, repeated = analytics_findings.repeat_matrix(home)
    assert found.loc["Correctional Programs"].tolist() == [1, 2, 1]
    assert repeated.loc["Correctional Programs"].tolist() == [0, 1, 1]
    assert repeated.loc["Health Services"].tolist() == [0, 1, 0]
    r = analytics_findings.ratings(home)
    hs = r[r["discipline"] == "Health Services"]
    assert hs["rating"].tolist() == ["DEFICIENT", "GOOD"]  # the worst rating of a review counts


def test_action_queue_puts_overdue_first_then_due_within_the_window():
    q = analytics_findings.action_queue(analytics_findings.home(_meeting_log()), AS_OF, within_days=30)
    assert q["action_status"].tolist() == ["OVERDUE", "OVERDUE", "OPEN"]
    assert q["corrective_action_due"].dt.strftime("%Y-%m-%d").tolist() == ["2026-05-01", "2026-06-29", "2026-07-10"]
    assert q["days_to_due"].tolist() == [-60, -1, 10]


@pytest.mark.parametrize(
    ("due", "wording"),
    [
        ("2026-06-28", "2 days overdue"),
        ("2026-06-29", "1 day overdue"),
        ("2026-06-30", "due today"),
        ("2026-07-01", "due tomorrow"),
        ("2026-07-02", "due in 2 days"),
    ],
)
def test_agenda_wording_of_action_dates(due, wording):
    text = analytics_findings.agenda(
        analytics_findings.annotate(log({"review_date": "2026-01-05", "corrective_action_due": due}), AS_OF), AS_OF
    )
    assert f", {wording}" in text


@pytest.mark.parametrize(
    ("due", "within", "queued"),
    [
        ("2026-07-30", 30, True),
        ("2026-07-31", 30, False),
        ("2026-06-30", 0, True),
        ("2026-07-01", 0, False),
    ],
)
def test_action_queue_window_boundary(due, within, queued):
    q = analytics_findings.action_queue(
        analytics_findings.annotate(log({"review_date": "2026-01-05", "corrective_action_due": due}), AS_OF),
        AS_OF,
        within_days=within,
    )
    assert (len(q) == 1) is queued


def test_trending_worse_compares_the_last_two_program_reviews():
    worse = analytics_findings.trending_worse(analytics_findings.home(_meeting_log()))
    assert worse["discipline"].tolist() == ["Correctional Programs"]
    row = worse.iloc[0]
    assert (row.previous_findings, row.latest_findings, row.previous_rating, row.latest_rating) == (
        1,
        2,
        "GOOD",
        "DEFICIENT",
    )
    assert row.why == "more findings and a lower rating"


def test_top_repeats_and_agenda_text():
    annotated = _meeting_log()
    top = analytics_findings.top_repeats(analytics_findings.home(annotated))
    assert top["policy_reference"].tolist()[:2] == ["P5322.13 SEC. 7", "P6031.04 CH. 2"]
    assert top["reviews"].tolist()[:2] == [3, 2]
    text = analytics_findings.agenda(annotated, AS_OF)
    assert "as of 30 Jun 2026" in text
    assert "Correctional Programs, P5322.13 SEC. 7: found at 3 reviews" in text
    assert "2. Overdue corrective actions (2)" in text and "60 days overdue" in text
    assert "3. Corrective actions due within 30 days (1)" in text and "due in 10 days" in text
    assert "Correctional Programs: 2 findings against 1; rated DEFICIENT, was GOOD" in text
    assert "FCI Other" not in text
    # The page hands over the queue and the disciplines trending worse it computed: the same text.
    log = analytics_findings.home(annotated)
    given = analytics_findings.agenda(
        annotated,
        AS_OF,
        queue=analytics_findings.action_queue(log, AS_OF, 30),
        worse=analytics_findings.trending_worse(log),
    )
    assert given == text


def _two_reviews(prev_n, prev_rating, last_n, last_rating, review_type="PROGRAM REVIEW"):
    rows = [{"review_date": "2023-01-10", "rating": prev_rating, "review_type": review_type}] * prev_n
    rows += [{"review_date": "2025-01-10", "rating": last_rating, "review_type": review_type}] * last_n
    rows += [
        {"review_date": d, "discipline": "Safety", "policy_reference": "P1600.11"}  # steady: never worse
        for d in ("2023-01-10", "2025-01-10")
    ]
    return analytics_findings.annotate(log(*rows), AS_OF)


@pytest.mark.parametrize(
    ("prev_n", "prev_rating", "last_n", "last_rating", "why"),
    [
        (1, "GOOD", 2, "GOOD", "more findings"),
        (1, "GOOD", 1, "ACCEPTABLE", "lower rating"),
        (1, "GOOD", 2, "DEFICIENT", "more findings and a lower rating"),
        (2, "GOOD", 2, "GOOD", None),
        (2, "DEFICIENT", 1, "GOOD", None),  # better on both counts
        (2, "GOOD", 1, "ACCEPTABLE", "lower rating"),  # fewer findings but rated lower
        (1, pd.NA, 1, "AT RISK", None),  # no earlier rating to compare with
        (0, pd.NA, 1, pd.NA, "more findings"),  # none at the earlier review
    ],
)
def test_trending_worse_table(prev_n, prev_rating, last_n, last_rating, why):
    worse = analytics_findings.trending_worse(_two_reviews(prev_n, prev_rating, last_n, last_rating))
    assert "Safety" not in worse["discipline"].tolist()
    cp = worse[worse["discipline"] == "Correctional Programs"]
    assert (cp["why"].tolist() or [None]) == [why]


def test_trending_worse_ignores_other_review_types_and_needs_two_reviews():
    a = _two_reviews(1, "GOOD", 3, "AT RISK")
    extra = analytics_findings.annotate(
        pd.concat([a, log({"review_date": "2026-01-10", "review_type": "SELF AUDIT"})], ignore_index=True), AS_OF
    )
    assert analytics_findings.trending_worse(extra)["latest_review"].iat[0] == pd.Timestamp("2025-01-10")
    one = analytics_findings.annotate(log({"review_date": "2025-01-10"}), AS_OF)
    assert analytics_findings.trending_worse(one).empty


def test_home_selects_one_facility_by_folded_name():
    a = analytics_findings.annotate(
        log({"review_date": "2024-01-10"}, {"review_date": "2024-01-10", "facility": "FCI  Other"}), AS_OF
    )
    assert analytics_findings.home(a)["line"].tolist() == [2]
    assert analytics_findings.home(a, "fci other")["line"].tolist() == [3]
