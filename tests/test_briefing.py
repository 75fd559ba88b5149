"""The briefing's numbers and sentences (analytics/briefing.py): given numbers, exact sentences."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from analytics import briefing as briefing_figures

AS_OF = date(2026, 11, 22)
END = date(2027, 2, 20)  # AS_OF + 90 days


def cross(mean=None, early=None, late=None, capacity=1968):
    return briefing_figures.Crossing(capacity=capacity, mean=mean, early80=early, late80=late, horizon_end=END)


@pytest.mark.parametrize(
    ("population", "week_ago", "crossing", "expected"),
    [
        (
            1742,
            1730,
            cross(date(2027, 1, 14), date(2026, 12, 28), date(2027, 2, 2)),
            "Population 1,742, up 12 on last week; 89 % of rated capacity; the projection's mean (each move on its expected date) "
            "passes rated capacity around 14 Jan (80 %: 28 Dec – 2 Feb).",
        ),
        (
            1742,
            1750,
            cross(),
            "Population 1,742, down 8 on last week; 89 % of rated capacity; "
            "the projection's mean (each move on its expected date) stays under rated capacity for 90 days.",
        ),
        (
            1742,
            1742,
            cross(early=date(2027, 2, 3)),
            "Population 1,742, unchanged on last week; 89 % of rated capacity; the projection's mean (each move on its expected date) "
            "stays under rated capacity for 90 days (80 % upper bound passes it from 3 Feb).",
        ),
        (1742, None, None, "Population 1,742; 89 % of rated capacity."),
        (
            1900,
            1899,
            cross(date(2027, 1, 14), date(2027, 1, 2), None),
            "Population 1,900, up 1 on last week; 97 % of rated capacity; the projection's mean (each move on its expected date) "
            "passes rated capacity around 14 Jan (80 %: 2 Jan – after 20 Feb).",
        ),
        (
            2036,
            2000,
            cross(AS_OF, AS_OF, AS_OF),
            "Population 2,036, up 36 on last week; 103 % of rated capacity, 68 over it already.",
        ),
        (1968, 1970, cross(), "Population 1,968, down 2 on last week; at rated capacity exactly."),
        (1958, 1950, None, "Population 1,958, up 8 on last week; 99 % of rated capacity."),  # 99.49 -> 99
        (
            1959,
            1950,
            None,
            "Population 1,959, up 8 on last week; 100 % of rated capacity.".replace("up 8", "up 9"),
        ),  # 99.54 -> 100 while still under
    ],
)
def test_population_sentence(population, week_ago, crossing, expected):
    h = briefing_figures.Headline(
        as_of=AS_OF,
        population=population,
        week_ago=week_ago,
        rated_capacity=1968,
        operational_capacity=2100,
        crossing=crossing,
    )
    assert briefing_figures.population_sentence(h) == expected


def _series(values: dict[date, int]) -> pd.DataFrame:
    return pd.DataFrame({"as_of_date": pd.to_datetime(list(values)), "population": list(values.values())})


def test_headline_reads_week_ago_and_crossing(facility):
    series = _series({AS_OF - timedelta(days=7): 1700, AS_OF - timedelta(days=1): 1710, AS_OF: 1742})
    days = pd.date_range(AS_OF + timedelta(days=1), periods=120)
    step = pd.Series(range(120), dtype="float64") * 3
    proj = pd.DataFrame({"date": days, "mean": 1742 + step, "lo80": 1722 + step, "hi80": 1762 + step})
    h = briefing_figures.headline(series, facility, AS_OF, proj, horizon_days=90)
    assert (h.population, h.week_ago, h.change) == (1742, 1700, 42)
    # rated 1,856; day k+1 after the as-of date carries +3k:
    assert h.crossing.capacity == 1856
    assert h.crossing.mean == AS_OF + timedelta(days=39 + 1)  # 1742 + 3k > 1856 first at k = 39
    assert h.crossing.early80 == AS_OF + timedelta(days=32 + 1)  # 1762 + 3k > 1856 first at k = 32
    assert h.crossing.late80 == AS_OF + timedelta(days=45 + 1)  # 1722 + 3k > 1856 first at k = 45
    assert h.crossing.horizon_end == AS_OF + timedelta(days=90)
    # exactly at capacity is not past it
    flat = proj.assign(mean=1856.0, lo80=1856.0, hi80=1856.0)
    assert briefing_figures.headline(series, facility, AS_OF, flat).crossing.mean is None


def test_headline_without_count_on_as_of_date(facility):
    with pytest.raises(ValueError, match="no population count for 22 Nov 2026"):
        briefing_figures.headline(_series({AS_OF - timedelta(days=1): 1700}), facility, AS_OF)


def _roster(rows: list[tuple]) -> pd.DataFrame:
    """rows: (security_level, psf, sex, projected_release_date) as a loaded roster carries them."""
    levels, psf, sex, prd = zip(*rows)
    return pd.DataFrame(
        {
            "security_level": pd.Series(levels, dtype="str"),
            "psf": pd.Series(psf, dtype="str"),
            "sex": pd.Series(sex, dtype="str"),
            "projected_release_date": pd.to_datetime(pd.Series(prd, dtype="object")),
        }
    )


def test_required_level_counts_follow_psf_floors(rules):
    roster = _roster(
        [
            ("MINIMUM", None, "M", None),  # MINIMUM
            ("MINIMUM", None, None, None),  # MINIMUM (facility's sex)
            ("MINIMUM", "SEX OFFENDER", "M", None),  # LOW: any PSF rules out MINIMUM
            ("MINIMUM", "DEPORTABLE ALIEN", "M", None),  # LOW
            ("MINIMUM", "DSG", "M", None),  # HIGH (male floor)
            ("MINIMUM", "DSG", "F", None),  # LOW (female floor)
            ("LOW", "SLG", "M", "2048-01-01"),  # MEDIUM: more than 20 years to release
            ("LOW", None, "M", None),  # LOW
            ("MEDIUM", "SEX OFFENDER", "M", None),  # MEDIUM: a floor never lowers
            ("UNASSIGNED", "SEX OFFENDER", "M", None),  # not yet classified
            (None, None, "M", None),  # no scored level: not yet classified
        ]
    )
    counts = briefing_figures.required_level_counts(roster, rules, AS_OF, "M")
    assert counts.to_dict() == {"UNASSIGNED": 2, "MINIMUM": 2, "LOW": 4, "MEDIUM": 2, "HIGH": 1}
    assert counts.index.name == "required_level" and counts.dtype == "int64"
    # by the scored level the same roster reads 6 MINIMUM, 2 LOW, 1 MEDIUM
    assert roster["security_level"].value_counts()["MINIMUM"] == 6


def test_required_level_counts_leave_out_empty_levels(rules):
    counts = briefing_figures.required_level_counts(_roster([("MINIMUM", "SXO", "M", None)] * 3), rules, AS_OF, "M")
    assert counts.to_dict() == {"LOW": 3}
    assert briefing_figures.required_level_counts(_roster([("LOW", None, "M", None)]).iloc[:0], rules, AS_OF, "M").empty


def test_level_mix_of_required_levels(facility, rules):
    """Scored-MINIMUM inmates whose PSF sends them to LOW are counted against LOW beds, not camp beds."""
    roster = _roster(
        [("MINIMUM", "SEX OFFENDER", "M", None)] * 300
        + [("MINIMUM", None, "M", None)] * 200
        + [("LOW", None, "M", None)] * 300
        + [("UNASSIGNED", None, "M", None)] * 5
    )
    mix = briefing_figures.level_mix(briefing_figures.required_level_counts(roster, rules, AS_OF, "M"), facility)
    assert mix.set_index("level")["inmates"].to_dict() == {
        "MINIMUM": 200,
        "LOW": 600,
        "MEDIUM": 0,
        "UNASSIGNED": 5,
        "ADMINISTRATIVE": 0,
    }
    assert briefing_figures.level_mix_sentence(mix) == (
        "By required security level (points and PSF floors): Minimum 200 for 256 beds (78 %), "
        "Low 600 for 672 (89 %), Medium 0 for 864 (0 %); 5 not yet classified."
    )


def test_level_mix_and_sentence(facility):
    counts = pd.Series({"MEDIUM": 812, "LOW": 703, "MINIMUM": 225, "HIGH": 14, "UNASSIGNED": 12})
    mix = briefing_figures.level_mix(counts, facility)
    assert mix["level"].tolist() == ["MINIMUM", "LOW", "MEDIUM", "HIGH", "UNASSIGNED", "ADMINISTRATIVE"]
    assert mix["beds"].tolist() == [256, 672, 864, 0, 0, 64]
    assert briefing_figures.level_mix_sentence(mix) == (
        "By required security level (points and PSF floors): Minimum 225 for 256 beds (88 %), "
        "Low 703 for 672 (105 %), "
        "Medium 812 for 864 (94 %); 14 at High, a level no unit here is rated for; "
        "12 not yet classified."
    )


def test_level_mix_sentence_without_extras(facility):
    mix = briefing_figures.level_mix(pd.Series({"MEDIUM": 800, "LOW": 600, "MINIMUM": 200}), facility)
    assert briefing_figures.level_mix_sentence(mix) == (
        "By required security level (points and PSF floors): Minimum 200 for 256 beds (78 %), "
        "Low 600 for 672 (89 %), "
        "Medium 800 for 864 (93 %)."
    )


@pytest.mark.parametrize(
    ("pending_in", "pending_out", "expected"),
    [
        (48, 31, "Pending: 48 in, 31 out; 1,759 if every pending move were completed today, 89 % of rated capacity."),
        (0, 0, "Nothing pending in or out."),
        (0, 5, "Pending: 0 in, 5 out; 1,737 if every pending move were completed today, 88 % of rated capacity."),
        (
            1300,
            0,
            "Pending: 1,300 in, 0 out; 3,042 if every pending move were completed today, 155 % of rated capacity.",
        ),
    ],
)
def test_pipeline_sentence(pending_in, pending_out, expected):
    p = briefing_figures.PendingMoves(
        population=1742, pending_in=pending_in, pending_out=pending_out, rated_capacity=1968
    )
    assert briefing_figures.pipeline_sentence(p) == expected


def _findings():
    rows = [
        ("2025-03-04", "Health Services", False),
        ("2025-03-04", "Health Services", False),
        ("2025-03-04", "Correctional Programs", False),
        ("2026-03-03", "Health Services", True),
        ("2026-03-03", "Health Services", False),
        ("2026-03-03", "Psychology Services", False),
        ("2026-03-03", "Correctional Programs", True),
        ("2026-12-01", "Health Services", False),  # after the as-of date: not yet happened
    ]
    f = pd.DataFrame(rows, columns=["review_date", "discipline", "repeat"])
    return f.assign(review_date=pd.to_datetime(f["review_date"]), facility=pd.NA, review_type="PROGRAM REVIEW")


def test_review_trend_and_sentence():
    f = pd.concat(
        [
            _findings(),
            pd.DataFrame(
                {
                    "review_date": pd.to_datetime(["2026-05-01", "2026-03-03"]),
                    "discipline": ["Health Services"] * 2,
                    "repeat": [False, False],
                    "facility": [pd.NA, "FCI ELSEWHERE"],
                    "review_type": ["SELF AUDIT", "PROGRAM REVIEW"],
                }
            ),
        ],
        ignore_index=True,
    )
    trend = briefing_figures.review_trend(f, AS_OF)
    assert trend["findings"].sum() == 7 and trend["repeats"].sum() == 2
    assert trend["review_date"].nunique() == 2
    assert briefing_figures.review_sentence(trend) == (
        "Last Program Review (3 Mar 2026): 4 findings, 2 of them repeats, "
        "against 3 at the review before; most in Health Services (2)."
    )


def test_review_sentence_single_review_one_repeat():
    f = _findings()
    trend = briefing_figures.review_trend(
        f[f["review_date"] == "2026-03-03"].assign(repeat=[True, False, False, False]), AS_OF
    )
    assert briefing_figures.review_sentence(trend) == (
        "Last Program Review (3 Mar 2026): 4 findings, 1 of them a repeat; most in Health Services (2)."
    )
    assert briefing_figures.review_sentence(trend.assign(repeats=0)) == (
        "Last Program Review (3 Mar 2026): 4 findings, none a repeat; most in Health Services (2)."
    )
    assert briefing_figures.review_sentence(trend.iloc[0:0]) == "No Program Review findings on record."


@pytest.mark.parametrize(
    ("mape", "naive", "cov", "expected"),
    [
        (
            1.2,
            2.8,
            81.0,
            "Track record at 30 days: off by 1.2 % on average, better than 'same as last count' "
            "(2.8 %); the 80 % band held 81 % of outcomes.",
        ),
        (3.0, 2.8, None, "Track record at 30 days: off by 3.0 % on average, worse than 'same as last count' (2.8 %)."),
        (
            0.41,
            0.39,
            100.0,
            "Track record at 30 days: off by 0.4 % on average, level with 'same as last count' "
            "(0.4 %); the 80 % band held 100 % of outcomes.",
        ),
        (
            0.34,
            0.36,
            79.5,
            "Track record at 30 days: off by 0.3 % on average, better than 'same as last count' "
            "(0.4 %); the 80 % band held 80 % of outcomes.",
        ),
    ],
)
def test_track_record_sentence(mape, naive, cov, expected):
    rec = pd.DataFrame(
        {
            "horizon": [7, 30, 90],
            "mape": [1.0, mape, 5.0],
            "mape_naive": [1.0, naive, 5.0],
            "coverage_80": [80.0, cov, 80.0],
        }
    )
    assert briefing_figures.track_record_sentence(rec) == expected
    assert briefing_figures.track_record_sentence(rec[rec["horizon"] == 7]).startswith("No track record yet")
    assert briefing_figures.track_record_sentence(rec.assign(mape=float("nan"))).startswith("No track record yet")


@pytest.mark.parametrize(
    ("c", "population", "expected"),
    [
        (
            cross(date(2027, 1, 14), date(2026, 12, 28), date(2027, 2, 2)),
            1742,
            "Rated capacity (1,968): projected mean passes it around 14 Jan (80 %: 28 Dec – 2 Feb).",
        ),
        (cross(), 1742, "Rated capacity (1,968): projected mean stays under it to 20 Feb."),
        (
            cross(early=date(2027, 2, 1)),
            1742,
            "Rated capacity (1,968): projected mean stays under it to 20 Feb (80 % upper bound passes it from 1 Feb).",
        ),
        (
            cross(date(2027, 1, 14), date(2027, 1, 1)),
            1742,
            "Rated capacity (1,968): projected mean passes it around 14 Jan (80 %: 1 Jan – after 20 Feb).",
        ),
        (cross(AS_OF), 2000, "Rated capacity (1,968): already 32 over."),
    ],
)
def test_crossing_sentence(c, population, expected):
    assert briefing_figures.crossing_sentence("Rated capacity", c, population) == expected
