"""National view: name normalisation through the reference list, complexes, totals, league, unmatched names."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.national import national_view

REFERENCE = pd.DataFrame(
    {
        "code": ["ALI", "COX", "ATL", "MIA"],
        "name": ["Aliceville", "Coleman", "Atlanta", "Miami"],
        "type": ["FCI", "FCC", "USP", "FDC"],
        "security_level": ["LOW", None, "HIGH", "ADMINISTRATIVE"],
        "region": ["Southeast", "Southeast", "Southeast", "Southeast"],
    }
).astype("str")
CODES = {
    "FCI ALICEVILLE": "ALI",
    "ALICEVILLE FCI": "ALI",
    "ALICEVILLE": "ALI",
    "USP COLEMAN I": "COX",
    "FCI COLEMAN LOW": "COX",
    "FCI COLEMAN MEDIUM": "COX",
    "USP ATLANTA": "ATL",
    "FDC MIAMI": "MIA",
}


def _counts(rows, **extra):
    """rows: (facility as written, date, population, rated_capacity); codes resolved as the loader would."""
    frame = pd.DataFrame(rows, columns=["facility", "date", "population", "rated_capacity"])
    frame["facility"] = frame["facility"].astype("str")
    frame["date"] = pd.to_datetime(frame["date"])
    frame["population"] = frame["population"].astype("Int64")
    frame["rated_capacity"] = frame["rated_capacity"].astype("Int64")
    frame["facility_code"] = frame["facility"].str.upper().map(CODES).astype("str")
    for name, values in extra.items():
        frame[name] = pd.Series(values, dtype="str")
    frame.insert(0, "line", range(2, len(frame) + 2))
    return frame


@pytest.mark.parametrize("spelling", ["FCI ALICEVILLE", "ALICEVILLE FCI", "Aliceville"])
def test_spellings_are_one_facility(spelling):
    v = national_view(
        _counts([("FCI ALICEVILLE", "2026-11-21", 1200, 1000), (spelling, "2026-11-22", 1210, 1000)]), REFERENCE
    )
    assert v.trends["facility_key"].unique().tolist() == ["ALI"]
    assert v.trends["facility"].unique().tolist() == ["FCI Aliceville"]
    assert v.trends["change"].tolist()[1] == 10
    assert v.unmatched == []


def test_two_spellings_on_one_date_count_once_and_are_reported():
    v = national_view(
        _counts([("FCI ALICEVILLE", "2026-11-22", 1200, 1000), ("Aliceville", "2026-11-22", 1205, 1000)]), REFERENCE
    )
    assert v.trends["population"].tolist() == [1205]
    assert len(v.notes) == 1 and "last one is used" in v.notes[0]


def test_members_of_a_complex_stay_apart():
    v = national_view(
        _counts(
            [
                ("USP COLEMAN I", "2026-11-21", 1490, 1200),
                ("USP COLEMAN I", "2026-11-22", 1500, 1200),
                ("FCI COLEMAN LOW", "2026-11-21", 1790, 1500),
                ("FCI COLEMAN LOW", "2026-11-22", 1800, 1500),
                ("FCI COLEMAN MEDIUM", "2026-11-22", 1600, None),
            ]
        ),
        REFERENCE,
    )
    latest = v.trends[v.trends["date"] == "2026-11-22"].set_index("facility_key")
    assert latest[["facility", "population", "rated_capacity", "change"]].to_dict("index") == {
        "COX FCI LOW": {"facility": "FCI Coleman Low", "population": 1800, "rated_capacity": 1500, "change": 10},
        "COX FCI MEDIUM": {
            "facility": "FCI Coleman Medium",
            "population": 1600,
            "rated_capacity": None,
            "change": None,
        },
        "COX USP I": {"facility": "USP Coleman I", "population": 1500, "rated_capacity": 1200, "change": 10},
    }
    assert latest.loc["COX FCI LOW", "crowding_pct"] == 20  # 300 / 1500, its own capacity only
    assert v.league[["facility", "facility_code", "security_level"]].values.tolist() == [
        ["FCI Coleman Low", "COX", "LOW"],
        ["FCI Coleman Medium", "COX", "MEDIUM"],
        ["USP Coleman I", "COX", "HIGH"],
    ]
    assert v.notes == []  # three institutions on one date are not repeats of one another
    levels = v.by_level[v.by_level["date"] == "2026-11-22"].set_index("security_level")["population"].to_dict()
    assert levels == {"LOW": 1800, "MEDIUM": 1600, "HIGH": 1500}


@pytest.mark.parametrize(
    "a, b",
    [
        ("FCI COLEMAN LOW", "Coleman Low"),
        ("FCI COLEMAN MEDIUM", "FCI Coleman Med"),
        ("USP COLEMAN I", "USP Coleman 1"),
        ("FCC COLEMAN", "Coleman"),
    ],
)
def test_spellings_of_one_member_are_one(a, b):
    v = national_view(
        _counts([(a, "2026-11-21", 100, None), (b, "2026-11-22", 110, None)]).assign(facility_code="COX"), REFERENCE
    )
    assert v.trends["facility_key"].nunique() == 1 and v.trends["change"].tolist()[1] == 10


def test_unmatched_names_are_reported_not_dropped():
    v = national_view(
        _counts(
            [
                ("FCI ALICEVILLE", "2026-11-22", 1200, 1000),
                ("Nowhere Camp", "2026-11-22", 100, None),
                ("Atlantis", "2026-11-22", 50, None),
            ]
        ),
        REFERENCE,
    )
    assert v.unmatched == ["Atlantis", "Nowhere Camp"]
    assert v.by_region.set_index("region")["population"].to_dict() == {"Southeast": 1200, "UNKNOWN": 150}
    assert v.by_level.set_index("security_level")["population"].to_dict() == {
        "MINIMUM": 100,
        "LOW": 1200,
        "UNKNOWN": 50,
    }
    assert v.by_level["population"].sum() == 1350  # totals keep every row
    assert set(v.league["facility"]) == {"FCI Aliceville", "Nowhere Camp", "Atlantis"}


def test_level_and_region_from_the_file_win():
    v = national_view(
        _counts(
            [("FCI ALICEVILLE", "2026-11-22", 1200, 1000)], security_level=["MEDIUM"], region=["Mid-Atlantic Region"]
        ),
        REFERENCE,
    )
    assert v.by_level["security_level"].tolist() == ["MEDIUM"]
    assert v.by_region["region"].tolist() == ["Mid-Atlantic"]


@pytest.mark.parametrize(
    "written, level",
    [
        ("USP ATLANTA", "HIGH"),
        ("FDC MIAMI", "ADMINISTRATIVE"),
        ("FCI ALICEVILLE", "LOW"),
        ("Aliceville Camp", "MINIMUM"),
        ("FCI Nowhere Medium", "MEDIUM"),
        ("Atlantis", "UNKNOWN"),
    ],
)
def test_level_of_a_facility(written, level):
    v = national_view(_counts([(written, "2026-11-22", 10, None)]), REFERENCE)
    assert v.by_level["security_level"].tolist() == [level]


def test_league_table_at_the_latest_date():
    v = national_view(
        _counts(
            [
                ("FCI ALICEVILLE", "2026-11-21", 1190, 1000),
                ("FCI ALICEVILLE", "2026-11-22", 1200, 1000),
                ("USP ATLANTA", "2026-11-22", 2000, 1800),
                ("FDC MIAMI", "2026-11-20", 900, 1000),
            ]
        ),
        REFERENCE,
    )
    assert str(v.latest_date) == "2026-11-22"
    assert v.league[["rank", "facility_code", "population", "crowding_pct", "change"]].values.tolist() == [
        [1, "ATL", 2000, 11, pd.NA],
        [2, "ALI", 1200, 20, 10],
    ]
    assert any("no count on the latest date" in n for n in v.notes)
    # Totals per date across facilities
    assert v.by_region.loc[v.by_region["date"] == "2026-11-22", "population"].tolist() == [3200]


def test_empty_counts():
    v = national_view(_counts([]), REFERENCE)
    assert v.latest_date is None and v.league.empty and v.trends.empty and v.unmatched == []


def test_with_the_shipped_reference_list():
    from loaders.reference import facility_list, resolve_facilities

    frame = _counts([("FCI ALICEVILLE", "2026-11-22", 1200, 1000), ("Atlantis", "2026-11-22", 5, None)])
    frame["facility_code"] = resolve_facilities(frame["facility"])
    v = national_view(frame, facility_list())
    assert v.league.set_index("facility")["region"].to_dict() == {"FCI Aliceville": "Southeast", "Atlantis": "UNKNOWN"}
    assert v.unmatched == ["Atlantis"]


def _home_counts(**extra):
    frame = _counts([("FCC EXAMPLE", "2026-11-22", 1700, 1856), ("FCI ALICEVILLE", "2026-11-22", 1200, 1000)], **extra)
    frame["facility_code"] = pd.Series(["XMP", "ALI"], dtype="str")  # as the loader resolves them with the facility
    return frame


def test_home_facility_outside_the_reference_list_is_known(facility):
    v = national_view(_home_counts(), REFERENCE, facility.facility)
    assert v.unmatched == []
    row = v.league.set_index("facility_code").loc["XMP"]
    assert (row["facility"], row["security_level"], row["region"]) == ("FCC Example", "MEDIUM", "Southeast")
    assert v.by_level.set_index("security_level")["population"].to_dict() == {"LOW": 1200, "MEDIUM": 1700}
    assert v.by_region["population"].tolist() == [2900]


def test_home_facility_without_its_configuration_has_no_level():
    v = national_view(_home_counts(), REFERENCE)
    row = v.league.set_index("facility_code").loc["XMP"]
    assert (row["facility"], row["security_level"], row["region"]) == ("FCC EXAMPLE", "UNKNOWN", "UNKNOWN")


def test_file_columns_and_reference_win_over_the_home_configuration(facility):
    v = national_view(
        _home_counts(security_level=["HIGH", None], region=["Northeast", None]), REFERENCE, facility.facility
    )
    assert v.league.set_index("facility_code")[["security_level", "region"]].to_dict("index") == {
        "XMP": {"security_level": "HIGH", "region": "Northeast"},
        "ALI": {"security_level": "LOW", "region": "Southeast"},
    }
    # a home whose code the reference list knows keeps the list's name
    ali = facility.facility.model_copy(update={"code": "ALI", "name": "Somewhere else", "region": "West"})
    v = national_view(_home_counts(), REFERENCE, ali)
    assert v.league.set_index("facility_code").loc["ALI", ["facility", "region"]].tolist() == [
        "FCI Aliceville",
        "Southeast",
    ]


def test_members_of_the_home_complex_stay_apart(facility):
    frame = _counts(
        [
            ("FCI Example Low", "2026-11-22", 1000, None),
            ("USP EXAMPLE", "2026-11-22", 700, None),
            ("FCC Example", "2026-11-22", 1700, None),
        ]
    )
    frame["facility_code"] = "XMP"  # as the loader resolves them with the facility
    v = national_view(frame, REFERENCE, facility.facility)
    assert v.league[["facility", "population"]].values.tolist() == [
        ["FCC Example", 1700],
        ["FCI Example Low", 1000],
        ["USP Example", 700],
    ]
    assert v.notes == []
