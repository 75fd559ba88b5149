"""Values: header aliases, dates, register numbers, enumerations, numbers, duplicates, privacy."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders import load
from loaders._schema import SPECS, norm_header
from tests._loadhelp import POP_HEADER, POP_ROW, roster, write

HIDDEN = "(hidden: looks like a name or a birth date)"
HIDDEN_REGISTER = "(hidden: looks like a register number)"

REQUIRED_ROWS = {
    "population": ("register_number,unit,security_level,custody,arrival_date", "12345-678,A1,LOW,IN,2026-01-05"),
    "designations": ("register_number,security_level,designation_date", "12345-678,LOW,2026-01-05"),
    "redesignations": (
        "register_number,direction,transfer_type,request_date,status",
        "12345-678,OUT,LESSER SECURITY,2026-01-05,PENDING",
    ),
    "facility_counts": ("facility,date,population", "FCI Aliceville,2026-01-05,1200"),
    "findings": ("review_date,discipline,finding", "2026-01-05,Correctional Programs,Files incomplete"),
}
ALIASES = [(kind, col.name, alias) for kind, cols in SPECS.items() for col in cols for alias in col.aliases]


@pytest.mark.parametrize("kind, canonical, alias", ALIASES)
def test_every_alias_maps_to_its_column(tmp_path, kind, canonical, alias):
    header, row = REQUIRED_ROWS[kind]
    names = header.split(",")
    if canonical in names:
        names[names.index(canonical)] = alias.upper()
        text = ",".join(f'"{n}"' for n in names) + "\n" + row + "\n"
    else:
        text = header + "," + alias + "\n" + row + ",\n"
    r = load(write(tmp_path, "f_2026-11-22.csv", text), kind=kind)
    assert canonical in r.frame.columns or (canonical == "name" and "last_name" in r.frame.columns)
    assert r.report["unknown_columns"] == []


@pytest.mark.parametrize(
    "header, canonical",
    [
        ("Register_Number", "register_number"),
        ("REGISTER-NUMBER", "register_number"),
        ("register.number:", "register_number"),
        ("  Reg No.  ", "register_number"),
        ("Sec. Lvl:", "security_level"),
        ("Public Safety Factor(s)", "psf"),
        ("Date of Birth", "birth_date"),
        ("PRJ REL DT", "projected_release_date"),
    ],
)
def test_header_matching_ignores_case_and_punctuation(header, canonical):
    from loaders._schema import LOOKUPS

    assert LOOKUPS["population"][norm_header(header)] == canonical


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-03-04", "2026-03-04"),
        ("03/04/2026", "2026-03-04"),  # month first, never day first
        ("3/4/2026", "2026-03-04"),
        ("03-04-2026", "2026-03-04"),
        ("20260304", "2026-03-04"),
        ("2025-02-17 10:15:41 PST", "2025-02-17"),
        ("2025-02-17T10:15:41Z", "2025-02-17"),
        ("02/17/2025 10:15 AM EST", "2025-02-17"),
        (" 12/31/2026 ", "2026-12-31"),
        ("02/29/2024", "2024-02-29"),  # leap day
        ("01/01/1900", "1900-01-01"),
        ("13/04/2026", None),  # day first: month 13
        ("02/30/2026", None),  # no such day
        ("02/29/2025", None),  # not a leap year
        ("2026-00-10", None),
        ("2026-04-31", None),
        ("20261301", None),
        ("03/04/26", None),  # two-digit year
        ("March 4 2026", None),
        ("2026-03-04 bogus", None),
        ("12/31/1899", None),  # before any plausible date
    ],
)
def test_date_forms(tmp_path, text, expected):
    r = roster(tmp_path, f"12345-678,A1,LOW,IN,{text}")
    if expected is None:
        assert r.report["rows_rejected"] == 1
        err = r.report["errors"][0]
        # A word beside a date may be a name: hidden (loaders/_echo.py); a month name or a bad day is echoed.
        # Eight bare digits may be a register number in the wrong column: hidden too.
        shown = {"2026-03-04 bogus": HIDDEN, "20261301": HIDDEN_REGISTER}.get(text, text.strip())
        assert (err["line"], err["column"], err["value"]) == (2, "arrival_date", shown)
        assert err["reason"].startswith("not a date")
    else:
        assert r.frame["arrival_date"].tolist() == [pd.Timestamp(expected)]
        assert r.frame["arrival_date"].dtype == "datetime64[ns]"


def test_day_first_date_reason_says_month_first(tmp_path):
    r = roster(tmp_path, "12345-678,A1,LOW,IN,13/04/2026")
    assert "month first" in r.report["errors"][0]["reason"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("01234-567", "01234-567"),  # leading zero kept
        ("00000-001", "00000-001"),
        ("01234567", "01234-567"),  # eight bare digits normalised
        (" 12345-678 ", "12345-678"),
        ("1234-567", None),
        ("123456789", None),
        ("12345678 9", None),
        ("ABCDE-FGH", None),
        ("12345_678", None),
        ("１２３４５-６７８", None),  # full-width digits are not register numbers
        ("", None),
    ],
)
def test_register_numbers(tmp_path, text, expected):
    r = roster(tmp_path, f"{text},A1,LOW,IN,2026-01-05")
    if expected is None:
        assert r.report["rows_rejected"] == 1
        assert r.report["errors"][0]["column"] == "register_number"
    else:
        assert r.frame["register_number"].tolist() == [expected]


@pytest.mark.parametrize(
    "column, text, expected",
    [
        ("security_level", "min", "MINIMUM"),
        ("security_level", "Low", "LOW"),
        ("security_level", "MED", "MEDIUM"),
        ("security_level", "hi", "HIGH"),
        ("security_level", "UNAS", "UNASSIGNED"),
        ("security_level", "unclassified", "UNASSIGNED"),
        ("security_level", "", "UNASSIGNED"),
        ("security_level", "MAXIMUM", None),
        ("custody", "max", "MAXIMUM"),
        ("custody", "in", "IN"),
        ("custody", "Out", "OUT"),
        ("custody", "COMM", "COMMUNITY"),
        ("custody", "community", "COMMUNITY"),
        ("custody", "", None),
        ("custody", "MED", None),
    ],
)
def test_required_enumerations(tmp_path, column, text, expected):
    values = {"security_level": "LOW", "custody": "IN"}
    values[column] = text
    r = roster(tmp_path, f"12345-678,A1,{values['security_level']},{values['custody']},2026-01-05")
    if expected is None:
        assert [e["column"] for e in r.report["errors"]] == [column]
    else:
        assert r.frame[column].tolist() == [expected]


@pytest.mark.parametrize(
    "column, text, expected",
    [
        ("sex", "m", "M"),
        ("sex", "FEMALE", "F"),
        ("sex", "Male", "M"),
        ("sex", "X", "bad"),
        ("sex", "", None),
        ("medical_care_level", "2", 2),
        ("medical_care_level", "CL2", 2),
        ("medical_care_level", "care2", 2),
        ("medical_care_level", "CARE LEVEL 3", 3),
        ("medical_care_level", "1", 1),
        ("medical_care_level", "4", 4),
        ("medical_care_level", "5", "bad"),
        ("medical_care_level", "0", "bad"),
        ("medical_care_level", "", None),
        ("mental_health_care_level", "MH2", 2),
        ("mental_health_care_level", "mh 4", 4),
        ("mental_health_care_level", "MH5", "bad"),
        ("detainer", "Y", True),
        ("detainer", "no", False),
        ("detainer", "YES", True),
        ("detainer", "n", False),
        ("detainer", "", None),
        ("detainer", "maybe", "bad"),
        ("security_points", "0", 0),
        ("security_points", "17", 17),
        ("security_points", "1,535", 1535),
        ("security_points", "-1", "bad"),
        ("security_points", "1.5", "bad"),
        ("security_points", "1,53", "bad"),
        ("security_points", "12.0", 12),
        ("security_points", "", None),
        ("psf", "sex offender ;  deportable   alien", "SEX OFFENDER;DEPORTABLE ALIEN"),
        ("psf", ";", None),
        ("psf", "", None),
        ("mgtv", " greater security ", "GREATER SECURITY"),
        ("mgtv", "", None),
        ("msl", "med", "MEDIUM"),
        ("msl", "", None),
        ("msl", "UNAS", "bad"),
        ("quarters", " 101L ", "101L"),
        ("case_manager", "", None),
    ],
)
def test_optional_values(tmp_path, column, text, expected):
    r = roster(tmp_path, f'{POP_ROW},"{text}"', header=f"{POP_HEADER},{column}")
    if expected == "bad":
        assert [e["column"] for e in r.report["errors"]] == [column]
        assert r.report["rows_rejected"] == 1
    else:
        assert r.report["errors"] == []
        value = r.frame[column].iloc[0]
        assert pd.isna(value) if expected is None else value == expected


def test_canonical_dtypes(tmp_path):
    header = POP_HEADER + ",security_points,medical_care_level,detainer,sex,psf"
    r = roster(tmp_path, POP_ROW + ",3,2,Y,M,", header=header)
    dtypes = r.frame.dtypes.astype(str).to_dict()
    assert dtypes["line"] == "int64" and dtypes["register_number"] == "string"
    assert dtypes["security_points"] == dtypes["medical_care_level"] == "Int64"
    assert dtypes["detainer"] == "boolean" and dtypes["arrival_date"] == "datetime64[ns]"
    assert dtypes["as_of_date"] == "datetime64[ns]"
    assert r.frame["psf"].isna().all()


@pytest.mark.parametrize(
    "text, last, first",
    [
        ('"DOE, JOHN"', "DOE", "JOHN"),
        ('"DOE,JOHN A"', "DOE", "JOHN A"),
        ("DOE", "DOE", None),
        ("", None, None),
    ],
)
def test_name_splits_into_last_and_first(tmp_path, text, last, first):
    r = roster(tmp_path, f"{POP_ROW},{text}", header=f"{POP_HEADER},Name")
    row = r.frame.iloc[0]
    assert (row["last_name"] if last else None) == last or pd.isna(row["last_name"])
    assert pd.isna(row["first_name"]) if first is None else row["first_name"] == first


def test_units_match_case_insensitively_with_canonical_spelling(tmp_path, facility):
    r = roster(
        tmp_path,
        "12345-678,camp,MIN,OUT,2026-01-05",
        "23456-789,shu,LOW,IN,2026-01-05",
        "34567-890,Z9,LOW,IN,2026-01-05",
        facility=facility,
    )
    assert r.frame["unit"].tolist() == ["CAMP", "SHU"]
    assert r.report["errors"] == [
        {"line": 4, "column": "unit", "value": "Z9", "reason": "not a unit of the facility configuration"}
    ]


def test_units_unchecked_without_facility_says_so(tmp_path):
    r = roster(tmp_path, "12345-678,Z9,LOW,IN,2026-01-05")
    assert r.report["rows_accepted"] == 1
    assert "no facility configuration given: unit names were not checked" in r.report["warnings"]


def test_facility_may_be_a_toml_path(tmp_path):
    from tests.conftest import SAMPLE_FACILITY

    r = roster(tmp_path, "12345-678,Z9,LOW,IN,2026-01-05", facility=str(SAMPLE_FACILITY))
    assert r.report["rows_rejected"] == 1


def test_duplicate_register_number_names_the_first_line(tmp_path):
    r = roster(
        tmp_path,
        POP_ROW,
        "23456-789,A1,LOW,IN,2026-01-05",
        "12345678,B1,LOW,IN,2026-01-05",
        "12345-678,B2,LOW,IN,2026-01-05",
    )
    assert r.report["rows_rejected"] == 2
    assert [(e["line"], e["reason"]) for e in r.report["errors"]] == [
        (4, "register number repeats line 2"),
        (5, "register number repeats line 2"),
    ]
    assert r.frame["line"].tolist() == [2, 3]


def test_a_row_with_several_problems_counts_once(tmp_path):
    r = roster(tmp_path, "bad,A1,NOPE,IN,13/13/2026", POP_ROW)
    assert r.report["rows_read"] == 2 and r.report["rows_rejected"] == 1 and r.report["rows_accepted"] == 1
    assert [e["column"] for e in r.report["errors"]] == ["register_number", "security_level", "arrival_date"]
    assert {e["line"] for e in r.report["errors"]} == {2}


def test_personal_values_are_masked_in_errors(tmp_path):
    r = roster(tmp_path, POP_ROW + ",SECRETNAME,31/31/1980", header=POP_HEADER + ",last_name,dob")
    assert r.report["errors"] == [
        {"line": 2, "column": "birth_date", "value": "(personal data)", "reason": r.report["errors"][0]["reason"]}
    ]
    assert "SECRETNAME" not in str(r.report) and "31/31/1980" not in str(r.report)


def test_required_blank_value_is_a_row_error(tmp_path):
    r = roster(tmp_path, "12345-678,,LOW,IN,")
    assert [(e["column"], e["reason"]) for e in r.report["errors"]] == [
        ("unit", "unit is empty"),
        ("arrival_date", "arrival_date is empty"),
    ]


def test_blank_register_numbers_are_not_duplicates_of_each_other(tmp_path):
    r = roster(tmp_path, ",A1,LOW,IN,2026-01-05", ",A1,LOW,IN,2026-01-05")
    assert [e["reason"] for e in r.report["errors"]] == ["register_number is empty"] * 2


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_no_spelling_names_two_columns(kind):
    seen: dict[str, str] = {}
    for col in SPECS[kind]:
        for spelling in (col.name, *col.aliases):
            assert seen.setdefault(norm_header(spelling), col.name) == col.name, spelling


def test_date_forms_mixed_in_one_column(tmp_path):
    forms = [
        "2026-03-04",
        "03/04/2026",
        "3/4/2026",
        "03-04-2026",
        "20260304",
        "2026-03-04 10:15:41 PST",
        "13/04/2026",
        "03/04/2026",
    ]
    r = roster(tmp_path, *(f"{i:05d}-001,A1,LOW,IN,{f}" for i, f in enumerate(forms)))
    assert r.frame["arrival_date"].eq(pd.Timestamp("2026-03-04")).all() and len(r.frame) == 7
    assert [(e["line"], e["value"]) for e in r.report["errors"]] == [(8, "13/04/2026")]


@pytest.mark.parametrize(
    "text, date, life",
    [
        ("LIFE", None, True),
        ("life", None, True),
        ("Life", None, True),
        (" LIFE ", None, True),
        ("LIFE SENTENCE", None, True),
        ("life  sentence", None, True),
        ("Life Sentence", None, True),
        ("DEATH", None, True),
        ("death", None, True),
        ("2031-04-01", "2031-04-01", False),
        ("04/01/2031", "2031-04-01", False),
        ("", None, False),
    ],
)
def test_life_in_the_release_date_column(tmp_path, text, date, life):
    r = roster(tmp_path, f'{POP_ROW},"{text}"', header=f"{POP_HEADER},Proj Rel Date")
    assert r.report["errors"] == [] and r.report["rows_accepted"] == 1
    got = r.frame["projected_release_date"].iloc[0]
    assert pd.isna(got) if date is None else got == pd.Timestamp(date)
    assert r.frame["life_sentence"].dtype == "boolean" and r.frame["life_sentence"].tolist() == [life]


@pytest.mark.parametrize("text", ["LIFER", "LIFE 2040", "NATURAL LIFE?", "DEATHS"])
def test_other_words_in_the_release_date_column_are_bad_dates(tmp_path, text):
    r = roster(tmp_path, f"{POP_ROW},{text}", header=f"{POP_HEADER},projected_release_date")
    assert [(e["column"], e["reason"]) for e in r.report["errors"]] == [
        ("projected_release_date", "not a date (YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD)")
    ]


def test_life_sentence_column(tmp_path):
    rows = [f"12345-{i:03d},A1,LOW,IN,2026-01-05,{prd}" for i, prd in enumerate(["LIFE", "2030-01-01", "", "Death"])]
    r = roster(tmp_path, *rows, header=f"{POP_HEADER},projected_release_date")
    assert r.frame["life_sentence"].tolist() == [True, False, False, True]
    assert list(r.frame.columns).index("life_sentence") == list(r.frame.columns).index("projected_release_date") + 1
    # without a release date column there is no life_sentence column either
    assert "life_sentence" not in roster(tmp_path, POP_ROW).frame.columns
    # designations carry the release date too
    d = load(
        write(
            tmp_path, "d.csv", "register_number,security_level,designation_date,prd\n12345-678,HIGH,2026-11-01,life\n"
        ),
        kind="designations",
        as_of="2026-11-22",
    )
    assert d.frame["life_sentence"].tolist() == [True] and d.frame["projected_release_date"].isna().all()


def test_life_sentence_is_never_read_from_a_file(tmp_path):
    r = roster(tmp_path, POP_ROW + ",Y", header=f"{POP_HEADER},life_sentence")
    assert "life_sentence" not in r.frame.columns and r.report["unknown_columns"] == ["life_sentence"]
