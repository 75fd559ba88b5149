"""As-of precedence, kind guessing, each kind's malformed and messy files, the reference list, the API."""

from __future__ import annotations

import datetime as dt
import types

import pandas as pd
import pytest

import loaders
from loaders import LoadError, load
from loaders.reference import facility_list, resolve_facilities, resolve_facility
from tests._loadhelp import POP_HEADER, POP_ROW, error_lines, roster, write


def test_all_is_explicit_and_sorted():
    assert loaders.__all__ == sorted(loaders.__all__)
    public = {n for n, v in vars(loaders).items() if not n.startswith("_") and not isinstance(v, types.ModuleType)}
    assert set(loaders.__all__) == public
    assert {"load", "LoadResult", "LoadError", "load_facility", "load_rules", "ConfigError"} <= set(loaders.__all__)
    assert all(hasattr(loaders, name) for name in loaders.__all__)


# --- as-of date -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, column, caller, expected, warns",
    [
        ("roster_2026-11-22.csv", "2026-11-20", "2026-11-21", "2026-11-20", True),  # column first
        ("roster_2026-11-22.csv", "2026-11-20", None, "2026-11-20", False),
        ("roster_2026-11-22.csv", None, "2026-11-21", "2026-11-22", True),  # then the file name
        ("roster_20261122.csv", None, None, "2026-11-22", False),
        ("roster.csv", None, "2026-11-21", "2026-11-21", False),  # then the caller
        ("roster.csv", None, dt.date(2026, 1, 2), "2026-01-02", False),
        ("roster.csv", None, "01/02/2026", "2026-01-02", False),
        ("roster_2026-02-30.csv", None, "2026-11-21", "2026-11-21", False),  # not a real date in the name
        ("roster.csv", "11/22/2026", None, "2026-11-22", False),
    ],
)
def test_as_of_precedence(tmp_path, name, column, caller, expected, warns):
    header, row = (POP_HEADER + ",as_of_date", POP_ROW + f",{column}") if column else (POP_HEADER, POP_ROW)
    r = roster(tmp_path, row, header=header, name=name, as_of=caller)
    assert r.report["as_of"] == expected
    assert r.frame["as_of_date"].tolist() == [pd.Timestamp(expected)]
    assert warns == any("not the" in w for w in r.report["warnings"])


def test_no_as_of_date_is_a_load_error(tmp_path):
    with pytest.raises(LoadError, match="no as-of date for roster.csv"):
        roster(tmp_path, POP_ROW, name="roster.csv")


def test_bad_caller_as_of_is_a_load_error(tmp_path):
    with pytest.raises(LoadError, match="is not a date"):
        roster(tmp_path, POP_ROW, as_of="yesterday")


def test_as_of_column_disagreement_rejects_the_minority_rows(tmp_path):
    header = POP_HEADER + ",report date"
    r = roster(
        tmp_path,
        POP_ROW + ",2026-11-22",
        "23456-789,A1,LOW,IN,2026-01-05,2026-11-22",
        "34567-890,A1,LOW,IN,2026-01-05,2026-11-21",
        "45678-901,A1,LOW,IN,2026-01-05,",
        header=header,
        name="r.csv",
    )
    assert r.report["as_of"] == "2026-11-22"
    assert [(e["line"], e["column"]) for e in r.report["errors"]] == [(4, "as_of_date")]
    assert r.frame["as_of_date"].eq(pd.Timestamp("2026-11-22")).all() and len(r.frame) == 3


def test_facility_counts_as_of_is_the_latest_date(tmp_path):
    text = (
        'title,population,datetime_of_data\nFCI Aliceville,"1,214",2025-02-17 10:15:41 PST\n'
        'USP Atwater,"1,100",2025-02-18 09:00:00 PST\n'
    )
    r = load(write(tmp_path, "counts_2024-01-01.csv", text), as_of="2020-01-01")
    assert r.report["as_of"] == "2025-02-18"
    assert r.frame["population"].tolist() == [1214, 1100]
    assert r.frame["date"].tolist() == [pd.Timestamp("2025-02-17"), pd.Timestamp("2025-02-18")]


@pytest.mark.parametrize(
    "name, caller, expected",
    [
        ("findings_2026-01-31.csv", "2026-02-15", "2026-02-15"),  # a log: the caller's date first
        ("findings_2026-01-31.csv", None, "2026-01-31"),
        ("findings.csv", None, "2025-06-01"),  # else its latest review date
    ],
)
def test_findings_as_of(tmp_path, name, caller, expected):
    text = "review_date,discipline,finding\n03/04/2025,Health Services,Late\n06/01/2025,Psychology Services,Gap\n"
    assert load(write(tmp_path, name, text), as_of=caller).report["as_of"] == expected


# --- kind guessing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, kind",
    [
        ("Reg No,Direction,Transfer Type,Request Date,Status", "redesignations"),
        ("register_number,security_level,designation_date", "designations"),
        ("Title,Population,datetime_of_data", "facility_counts"),
        ("Review Date,Discipline,Finding", "findings"),
        ("Reg No,Unit,Custody,Sec Lvl,Arr Date", "population"),
        ("register_number,housing unit,security,cust,arrived", "population"),
    ],
)
def test_kind_is_guessed_from_the_header(tmp_path, header, kind):
    text = header + "\n" + ",".join("x" for _ in header.split(",")) + "\n"
    assert load(write(tmp_path, "f_2026-11-22.csv", text)).report["kind"] == kind


def test_unguessable_kind_is_a_load_error(tmp_path):
    with pytest.raises(LoadError, match="cannot tell the kind"):
        load(write(tmp_path, "f.csv", "register_number,security_level\n12345-678,LOW\n"))


# --- whole files ------------------------------------------------------------------------------

MESSY = (
    "FCC EXAMPLE - INMATE ROSTER\r\n"
    "Page 1\r\n"
    "\r\n"
    "Reg No;Housing Unit;Sec Lvl;Cust;Arr Date;Name;DOB;Sec Pts;PSF;Care Level;MH Level;Detainers;Prj Rel Dt\r\n"
    "01234567;a1;MED;in;03/04/2026;ÁLVAREZ, JOSÉ;1/2/1980;1,535;Sex Offender;CL2;MH1;y;12/31/2030\r\n"
    "00123-456;camp;min;OUT;20260105;O'NEIL, ZOË;19800102;5;;2;2;N;2027-01-01\r\n"
    "\r\n"
    "FCC EXAMPLE - INMATE ROSTER\r\n"
    "Page 2\r\n"
    "Reg No;Housing Unit;Sec Lvl;Cust;Arr Date;Name;DOB;Sec Pts;PSF;Care Level;MH Level;Detainers;Prj Rel Dt\r\n"
    "99999-999;SHU;;comm;1-5-2026;RENÉE, ÉMILE;01-02-1980;0;;;;;\r\n"
    "TOTAL: 3\r\n"
)


def test_messy_but_valid_roster_loads_whole(tmp_path, facility):
    path = write(tmp_path, "ROSTER 20261122.csv", MESSY, encoding="cp1252")
    r = load(path, facility=facility)
    rep = r.report
    assert (rep["kind"], rep["as_of"], rep["rows_read"], rep["rows_accepted"]) == ("population", "2026-11-22", 3, 3)
    assert rep["errors"] == [] and rep["unknown_columns"] == []
    assert r.frame["line"].tolist() == [5, 6, 11]
    assert r.frame["register_number"].tolist() == ["01234-567", "00123-456", "99999-999"]
    assert r.frame["unit"].tolist() == ["A1", "CAMP", "SHU"]
    assert r.frame["security_level"].tolist() == ["MEDIUM", "MINIMUM", "UNASSIGNED"]
    assert r.frame["last_name"].tolist() == ["ÁLVAREZ", "O'NEIL", "RENÉE"]
    assert r.frame["security_points"].tolist() == [1535, 5, 0]
    assert rep["warnings"] == [
        "title or page header lines skipped: line 1, 2, 8, 9",
        "blank lines skipped: line 3, 7",
        "repeated header rows skipped: line 10",
        "total lines skipped: line 12",
        "file read as Windows-1252 text",
    ]


MALFORMED = {
    "population": (
        "register_number,unit,security_level,custody,arrival_date\n"
        "12345-678,A1,LOW,IN,2026-01-05\n"
        "1234-567,A1,LOW,IN,2026-01-05\n"
        "23456-789,A1,LOW,IN\n"
        "\n"
        "34567-890,A1,EXTREME,IN,2026-01-05\n"
        "12345-678,A2,LOW,IN,2026-01-05\n",
        [
            (3, "register_number", "not a register number (NNNNN-NNN)"),
            (4, None, "row has 4 fields; the header has 5"),
            (6, "security_level", "not a known security level (MINIMUM, LOW, MEDIUM, HIGH, UNASSIGNED)"),
            (7, "register_number", "register number repeats line 2"),
        ],
    ),
    "designations": (
        "register_number,security_level,designation_date,status\n"
        "12345-678,LOW,11/01/2026,IN TRANSIT\n"
        "23456-789,LOW,11/31/2026,IN TRANSIT\n"
        "34567-890,LOW,11/02/2026,LOST\n",
        [
            (3, "designation_date", "not a date: no such day in the calendar"),
            (4, "status", "not a known status (AWAITING TRANSPORT, IN TRANSIT, VOLUNTARY SURRENDER, HOLDOVER)"),
        ],
    ),
    "redesignations": (
        "register_number|direction|transfer_type|request_date|status\n"
        "12345-678|OUT|NEARER RELEASE|2026-10-01|APPROVED\n"
        "12345-678|SIDEWAYS|NEARER RELEASE|2026-10-01|APPROVED\n"
        "23456-789|IN|VACATION|2026-10-01|PENDING\n",
        [
            (3, "direction", "not a known direction (IN, OUT)"),
            (
                4,
                "transfer_type",
                "not a known transfer type (LESSER SECURITY, GREATER SECURITY, NEARER RELEASE, "
                "MEDICAL, PROGRAM, DISCIPLINARY, ADMINISTRATIVE, OTHER)",
            ),
        ],
    ),
    "facility_counts": (
        "facility,date,population,rated_capacity\n"
        'FCI Aliceville,2026-11-01,"1,214","1,500"\n'
        "USP Atwater,2026-11-01,many,\n"
        ",2026-11-01,10,\n",
        [(3, "population", "not a whole number >= 0"), (4, "facility", "facility is empty")],
    ),
    "findings": (
        "review_date\tdiscipline\tfinding\trating\n"
        "2026-01-05\tHealth Services\tLate\tGOOD\n"
        "2026-01-05\t\tNo discipline\tGOOD\n"
        "2026-01-05\tHealth Services\tBad rating\tEXCELLENT\n",
        [
            (3, "discipline", "discipline is empty"),
            (4, "rating", "not a known rating (SUPERIOR, GOOD, ACCEPTABLE, DEFICIENT, AT RISK)"),
        ],
    ),
}


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_file_of_each_kind_gets_exact_outcome(tmp_path, kind):
    text, expected = MALFORMED[kind]
    bad_lines = [line for line, _, _ in expected]
    r = load(write(tmp_path, f"{kind}_2026-11-22.csv", text), kind=kind, as_of="2026-11-22")
    assert [(e["line"], e["column"], e["reason"]) for e in r.report["errors"]] == expected
    assert error_lines(r) == bad_lines
    assert r.report["rows_rejected"] == len(bad_lines)
    assert r.report["rows_accepted"] + r.report["rows_rejected"] == r.report["rows_read"]
    assert not set(r.frame["line"]) & set(bad_lines)


def test_findings_blank_facility_is_home(tmp_path):
    text = "review_date,discipline,finding,facility\n2026-01-05,Health Services,Late,\n"
    r = load(write(tmp_path, "f.csv", text), as_of="2026-02-01")
    assert r.frame["facility"].isna().all()


# --- reference list ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, code",
    [
        ("FCI ALICEVILLE", "ALI"),
        ("ALICEVILLE FCI", "ALI"),
        ("Aliceville", "ALI"),
        ("Aliceville FCI", "ALI"),
        ("Federal Correctional Institution, Aliceville", "ALI"),
        ("ali", "ALI"),
        ("USP Atwater", "ATW"),
        ("FCI Miami", "MIA"),
        ("FDC Miami", "MIM"),
        ("Miami", None),
        ("USP Beaumont", "BMX"),
        ("FPC Alderson", "ALD"),
        ("Nowhere", None),
        ("", None),
        (None, None),
    ],
)
def test_resolve_facility(name, code):
    assert resolve_facility(name) == code


def test_facility_list_and_vectorised_resolution():
    fl = facility_list()
    assert {"code", "name", "security_level", "region", "state", "sex", "type", "has_camp"} <= set(fl.columns)
    ali = fl.set_index("code").loc["ALI"]
    assert (ali["name"], ali["security_level"], ali["sex"], ali["type"], bool(ali["has_camp"])) == (
        "Aliceville",
        "LOW",
        "F",
        "FCI",
        True,
    )
    out = resolve_facilities(pd.Series(["FCI Aliceville", "Nowhere", None, "Aliceville"]))
    assert out.tolist()[0] == "ALI" and out.tolist()[3] == "ALI" and out.isna().tolist()[1:3] == [True, True]


def test_facility_counts_unmatched_names_are_kept_and_listed(tmp_path):
    text = (
        "Name,As of,Population,Facility Code\nFCI Aliceville,2026-11-01,10,\nCamp Nowhere,2026-11-01,5,\n"
        "Odd Place,2026-11-01,7,XYZ\n"
    )
    r = load(write(tmp_path, "c.csv", text), kind="facility_counts")
    assert r.frame["facility_code"].tolist()[0] == "ALI" and pd.isna(r.frame["facility_code"].iloc[1])
    assert r.frame["facility_code"].iloc[2] == "XYZ"
    assert r.report["rows_accepted"] == 3
    assert any("Camp Nowhere" in w and "Odd Place" not in w for w in r.report["warnings"])


# --- the home facility in national counts -----------------------------------------------------


@pytest.mark.parametrize(
    "name, code",
    [
        ("FCC EXAMPLE", "XMP"),
        ("Example FCC", "XMP"),
        ("fcc example", "XMP"),
        ("XMP", "XMP"),
        ("xmp", "XMP"),
        ("Example", "XMP"),
        ("FCI Example Low", "XMP"),  # a member institution of the home complex
        ("Federal Correctional Complex, Example", "XMP"),
        ("FCI ALICEVILLE", "ALI"),
        ("Nowhere", None),
    ],
)
def test_facility_counts_resolve_the_home_facility(tmp_path, facility, name, code):
    text = f'facility,date,population\n"{name}",2026-11-22,1700\n'
    r = load(write(tmp_path, "c.csv", text), kind="facility_counts", facility=facility)
    got = r.frame["facility_code"].iloc[0]
    assert (None if pd.isna(got) else got) == code
    unmatched = [w for w in r.report["warnings"] if "not in the reference list" in w]
    assert unmatched == ([] if code else ["facility names not in the reference list (kept as written): Nowhere"])


def test_facility_counts_home_needs_the_facility(tmp_path):
    text = "facility,date,population\nFCC EXAMPLE,2026-11-22,1700\n"
    r = load(write(tmp_path, "c.csv", text), kind="facility_counts")
    assert pd.isna(r.frame["facility_code"].iloc[0])
    assert any("FCC EXAMPLE" in w for w in r.report["warnings"])


@pytest.mark.parametrize(
    "home_type, name, expected",
    [
        ("FCI", "FCI Example", True),
        ("FCI", "Example", True),
        ("FCI", "USP Example", False),
        ("FCC", "USP Example", True),
        ("FCI", "Example Camp", True),
        ("FCI", "Elsewhere", False),
        ("FCI", "", False),
        ("FCI", None, False),
        ("FCI", "XMP ", True),
    ],
)
def test_is_home(facility, home_type, name, expected):
    from loaders.reference import is_home

    home = facility.facility.model_copy(update={"type": home_type, "name": f"{home_type} Example"})
    assert is_home(name, home) is expected


def test_store_import_resolves_the_home_facility(tmp_path):
    from loaders.store import Store
    from tests.conftest import SAMPLE_FACILITY

    store = Store(tmp_path / "store")
    path = write(
        tmp_path,
        "counts.csv",
        "title,datetime_of_data,population\n"
        'FCC EXAMPLE,2026-11-22 08:00:00 EST,"1,700"\n'
        "FCI ALICEVILLE,2026-11-22 08:00:00 EST,1200\n",
    )
    outcome = store.import_file(path, "facility_counts", SAMPLE_FACILITY)
    assert outcome.status == "imported"
    assert not any("reference list" in w for w in outcome.report.get("warnings", []))
    assert store.frame("facility_counts")["facility_code"].tolist() == ["XMP", "ALI"]
