"""The pure parts of the pages: spreadsheet-safe downloads, /explore conditions, morning summaries."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.components.downloads import neutralise_cell, neutralise_formulas, to_csv_bytes
from dashboard.components.explore_logic import (
    Condition,
    ConditionError,
    apply_condition,
    choice_values,
    derive_columns,
    group_counts,
    hide_personal,
    in_values,
    parse_condition,
    text_widths,
)
from dashboard.components.summary import arrivals_within, comparisons, count_on_or_before
from reports.sources import freshness


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("SMITH", "SMITH"),
        ("12345-678", "12345-678"),
        ("a=b", "a=b"),
        ("", ""),
        (42, 42),
        (None, None),
    ],
)
def test_neutralise_cell(cell, expected):
    assert neutralise_cell(cell) == expected


def test_neutralise_formulas_frame_keeps_numbers_and_missing():
    df = pd.DataFrame(
        {"name": pd.array(["=HYPERLINK(x)", "DOE", None], dtype="str"), "n": [-1, 2, 3], "=evil": ["ok", "@x", "+y"]}
    )
    out = neutralise_formulas(df)
    assert list(out["name"].fillna("<NA>")) == ["'=HYPERLINK(x)", "DOE", "<NA>"]
    assert list(out["n"]) == [-1, 2, 3]
    assert list(out.columns) == ["name", "n", "'=evil"]
    assert list(out["'=evil"]) == ["ok", "'@x", "'+y"]
    assert df.loc[0, "name"] == "=HYPERLINK(x)"  # the original is untouched


def test_csv_bytes_are_inert_and_dated():
    df = pd.DataFrame({"d": pd.to_datetime(["2026-11-22"]), "t": ["=1+1"]})
    text = to_csv_bytes(df).decode("utf-8-sig")
    assert text.splitlines() == ["d,t", "2026-11-22,'=1+1"]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("", "number", None),
        ("   ", "text", None),
        (">= 12", "number", Condition(">=", 12.0)),
        ("<365", "number", Condition("<", 365.0)),
        ("> 1,000", "number", Condition(">", 1000.0)),
        ("12..15", "number", Condition("..", 12.0, 15.0)),
        ("..15", "number", Condition("..", None, 15.0)),
        ("12..", "number", Condition("..", 12.0, None)),
        ("7", "number", Condition("=", 7.0)),
        ("!= 3", "number", Condition("!=", 3.0)),
        ("2026-01-01..2026-06-30", "date", Condition("..", pd.Timestamp("2026-01-01"), pd.Timestamp("2026-06-30"))),
        ("< 2026-11-22", "date", Condition("<", pd.Timestamp("2026-11-22"))),
        ("= low", "text", Condition("=", "LOW")),
        ("smith", "text", Condition("contains", "SMITH")),
    ],
)
def test_parse_condition(text, kind, expected):
    assert parse_condition(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        (">= twelve", "number", "not a number"),
        ("03/04/2026..", "date", "YYYY-MM-DD"),
        ("2026-02-30", "date", "not a real calendar date"),
        ("a..b", "text", "range"),
        ("..", "number", "at least one end"),
        (">=", "number", "needs a value"),
        ("> A", "text", "number or date"),
    ],
)
def test_parse_condition_refuses_with_one_sentence(text, kind, message):
    with pytest.raises(ConditionError, match=message):
        parse_condition(text, kind)


@pytest.fixture()
def roster() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "register_number": pd.array(["00001-001", "00002-002", "00003-003", "00004-004"], dtype="str"),
            "unit": pd.array(["A1", "D1", "D1", "CAMP"], dtype="str"),
            "security_level": pd.array(["LOW", "LOW", "MEDIUM", None], dtype="str"),
            "security_points": pd.array([14, 12, None, 3], dtype="Int64"),
            "projected_release_date": pd.to_datetime(["2027-06-01", "2026-11-22", None, "2030-01-01"]),
            "arrival_date": pd.to_datetime(["2026-10-25", "2026-10-24", "2020-01-01", "2026-11-22"]),
            "last_name": pd.array(["DOE", "ROE", "POE", "LOE"], dtype="str"),
            "first_name": pd.array(["J", "R", "P", "L"], dtype="str"),
        }
    )


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("security_points", ">= 12", ["00001-001", "00002-002"]),
        ("security_points", "12..13", ["00002-002"]),
        ("security_points", "< 12", ["00004-004"]),  # missing points never match
        ("security_level", "= low", ["00001-001", "00002-002"]),
        ("security_level", "!= LOW", ["00003-003"]),
        ("register_number", "0003", ["00003-003"]),
        ("projected_release_date", "..2026-11-22", ["00002-002"]),
        ("projected_release_date", "2026-11-23..", ["00001-001", "00004-004"]),
    ],
)
def test_apply_condition(roster, column, text, expected):
    from dashboard.components.explore_logic import column_kind

    cond = parse_condition(text, column_kind(roster[column]))
    assert list(roster[apply_condition(roster[column], cond)]["register_number"]) == expected


@pytest.mark.parametrize(
    ("column", "values", "expected"),
    [
        ("psf", [None, None, None], 72),  # all missing: the floor
        ("unit", ["A1", "B2", None], 72),  # short values: the floor
        ("psf", [None, "SERIOUS ESCAPE", "SERIOUS ESCAPE"], 143),  # 14 characters, missing values ignored
        ("policy_reference", ["A", "B", "C"], 136),  # a heading longer than the values
        ("finding", ["X" * 100] * 3, 280),  # very long values: the ceiling
        ("psf", ["SEX OFFENDER"] * 9 + ["X" * 100], 126),  # one outlier does not widen the column
    ],
)
def test_text_widths(column, values, expected):
    frame = pd.DataFrame({column: pd.Series(values, dtype="str")})
    assert text_widths(frame) == {column: expected}


def test_text_widths_leave_numbers_dates_and_flags_alone():
    frame = pd.DataFrame(
        {
            "security_points": [12, 15],
            "arrival_date": pd.to_datetime(["2026-01-01", "2026-02-01"]),
            "in_transit": [True, False],
            "unit": ["A1", "B2"],
        }
    )
    assert list(text_widths(frame)) == ["unit"]


def test_value_lists_and_blank(roster):
    assert choice_values(roster["security_level"]) == ["(blank)", "LOW", "MEDIUM"]
    assert list(in_values(roster["security_level"], ["(blank)"])) == [False, False, False, True]


def test_group_counts_largest_first_with_blank(roster):
    out = group_counts(roster, ["security_level"])
    assert out.to_dict("records") == [
        {"security_level": "LOW", "rows": 2},
        {"security_level": "(blank)", "rows": 1},
        {"security_level": "MEDIUM", "rows": 1},
    ]
    two = group_counts(roster, ["unit", "security_level"])
    assert two["rows"].sum() == 4 and len(two) == 4


@pytest.mark.parametrize(
    ("reg", "unit_level", "days_to_release", "days_since_arrival"),
    [
        ("00001-001", "MEDIUM", 191, 28),
        ("00002-002", "LOW", 0, 29),
        ("00003-003", "LOW", None, 2517),
        ("00004-004", "MINIMUM", 1136, 0),
    ],
)
def test_derived_columns(roster, facility, reg, unit_level, days_to_release, days_since_arrival):
    out = derive_columns("population", roster, facility.unit_levels, pd.Timestamp("2026-11-22")).set_index(
        "register_number"
    )
    row = out.loc[reg]
    assert row["unit_level"] == unit_level
    assert (None if pd.isna(row["days_to_release"]) else row["days_to_release"]) == days_to_release
    assert row["days_since_arrival"] == days_since_arrival


def test_hide_personal_removes_the_columns(roster):
    assert not {"last_name", "first_name"} & set(hide_personal(roster).columns)


# --- morning summaries ---------------------------------------------------------------
TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("kind", "as_of", "days_old", "stale"),
    [
        ("population", date(2026, 11, 22), 0, False),
        ("population", date(2026, 11, 21), 1, False),
        ("population", date(2026, 11, 20), 2, True),
        ("designations", date(2026, 11, 20), 2, True),
        ("facility_counts", date(2026, 11, 15), 7, False),
        ("facility_counts", date(2026, 11, 14), 8, True),
        ("findings", date(2025, 1, 1), 690, False),
        ("redesignations", None, None, True),
    ],
)
def test_freshness(kind, as_of, days_old, stale):
    row = freshness({kind: as_of}, TODAY).set_index("kind").loc[kind]
    assert (None if pd.isna(row["days_old"]) else row["days_old"]) == days_old
    assert bool(row["stale"]) is stale


@pytest.fixture()
def daily() -> pd.DataFrame:
    days = pd.to_datetime(
        ["2023-02-28", "2024-02-28", "2024-02-29", "2024-03-01", "2025-02-21", "2025-02-27", "2025-02-28"]
    )
    return pd.DataFrame({"as_of_date": days, "population": [900, 1000, 1001, 1002, 1100, 1110, 1111]})


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (date(2025, 2, 28), (date(2025, 2, 28), 1111)),
        (date(2025, 2, 26), (date(2025, 2, 21), 1100)),  # the nearest earlier day held
        (date(2023, 2, 27), None),
    ],
)
def test_count_on_or_before(daily, target, expected):
    assert count_on_or_before(daily, target) == expected


def test_comparisons_from_29_february(daily):
    then = comparisons(daily, date(2024, 2, 29))
    assert then["yesterday"] == (date(2024, 2, 28), 1000)
    assert then["last year"] == (date(2023, 2, 28), 900)  # 29 Feb 2023 does not exist


@pytest.mark.parametrize(
    ("offset", "listed"),
    [(-1, False), (0, True), (1, True), (7, True), (8, False)],
)
def test_arrivals_within_seven_days(offset, listed):
    as_of = date(2026, 11, 22)
    frame = pd.DataFrame(
        {"register_number": ["12345-678"], "expected_arrival_date": [pd.Timestamp(as_of) + pd.Timedelta(days=offset)]}
    )
    assert (len(arrivals_within(frame, as_of, 7)) == 1) is listed


def test_arrivals_without_expected_dates_is_empty():
    assert arrivals_within(pd.DataFrame({"register_number": ["12345-678"]}), TODAY).empty


def test_every_view_file_is_in_the_navigation():
    """The one list of pages names every view script there is, each once, and nothing else."""
    from pathlib import Path

    from dashboard.navigation import DEFAULT_PAGE, PAGES, VIEW_FILES

    dashboard = Path(__file__).resolve().parent.parent / "dashboard"
    scripts = {f"views/{p.name}" for p in (dashboard / "views").glob("*.py") if p.name != "__init__.py"}
    assert sorted(VIEW_FILES.values()) == sorted(scripts)
    assert len({p.url for p in PAGES}) == len(PAGES) and DEFAULT_PAGE in VIEW_FILES


@pytest.mark.parametrize(
    "page, sentence",
    [
        ("designations", "No designations export in the store."),  # reports.sources' words
        ("capacity", "The store holds no roster yet"),
        ("national", "No national counts export in the store."),
    ],
)
def test_a_page_without_its_snapshot_says_so(tmp_path, monkeypatch, page_sample_files, page, sentence):
    """A store that has only a findings log: each page says in one sentence what is missing."""
    from pages_helpers import run_page

    from loaders.store import Store

    store = Store(tmp_path / "thin")
    store.set_facility(page_sample_files / "facility.toml")
    store.import_file(page_sample_files / "findings.csv", kind="findings", as_of="2026-11-21")
    monkeypatch.setenv("POPDASH_STORE", str(store.path))
    at = run_page(page)
    assert not at.exception
    assert any(str(i.value).startswith(sentence) for i in at.info)
