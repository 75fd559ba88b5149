"""`popdash flags` end to end through popdash.cli.main."""

from __future__ import annotations

import json

import pytest

from popdash.cli import main
from tests.conftest import SAMPLE_FACILITY

ROSTER = """\
Reg No,Name,Unit,Sec Lvl,Custody,Arrival Date,PSF,MGTV,MGTV Exp,Care Level,MH Level,Init Class Date,Last Review,PRD
12345-678,"DOE, JOHN",CAMP,LOW,OUT,2026-01-01,Sex Offender,,,3,1,2026-01-20,,2027-01-01
12345-679,"ROE, RICHARD",A1,MEDIUM,IN,2026-03-01,,,,1,1,2026-03-10,2026-10-01,2032-01-01
"""
BAD_ROW = '12345-680,"POE, EDGAR",NO SUCH UNIT,LOW,IN,2026-10-01,,,,1,1,,,2030-01-01\n'
DESIGNATIONS = """\
Reg No,Sec Lvl,Desig Date,PSF,MGTV
22222-001,HIGH,2026-11-01,,
22222-002,MEDIUM,2026-11-01,,
"""


@pytest.fixture
def roster(tmp_path):
    p = tmp_path / "roster_2026-11-22.csv"
    p.write_text(ROSTER)
    return p


def run(capsys, *argv):
    code = main(["flags", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_a_list_of_flags(capsys, roster):
    code, out, err = run(capsys, roster, "--facility", SAMPLE_FACILITY, "--format", "json")
    assert code == 0
    flags = json.loads(out)
    assert all(set(f) == {"register_number", "rule", "severity", "unit", "explanation"} for f in flags)
    assert [(f["register_number"], f["rule"], f["severity"]) for f in flags] == [
        ("12345-678", "SEC-ABOVE", "high"),
        ("12345-678", "CARE-LEVEL", "medium"),
        ("12345-678", "REVIEW-OVERDUE", "low"),
    ]
    assert flags[0]["explanation"] == "scored LOW; PSF SEX OFFENDER raises to LOW; unit CAMP is MINIMUM; no active MGTV"
    assert "DESIG-LEVEL" in err  # skipped rules go to stderr, stdout stays JSON
    assert "DOE" not in out + err


def test_csv_has_the_same_columns(capsys, roster):
    code, out, _ = run(capsys, roster, "--facility", SAMPLE_FACILITY, "--format", "csv")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "register_number,rule,severity,unit,explanation"
    assert len(lines) == 4 and lines[1].startswith("12345-678,SEC-ABOVE,high,CAMP,")


def test_text_has_table_then_skipped_rules(capsys, roster):
    code, out, _ = run(capsys, roster, "--facility", SAMPLE_FACILITY)
    assert code == 0
    assert out.startswith("Flags at 2026-11-22: 3 (high 1, medium 1, low 1)")
    assert "SEC-ABOVE" in out and "Skipped rules:" in out and "DESIG-LEVEL: no designations file was given" in out


def test_designations_give_desig_level(capsys, roster, tmp_path):
    d = tmp_path / "designations.csv"
    d.write_text(DESIGNATIONS)
    code, out, _ = run(capsys, roster, "--facility", SAMPLE_FACILITY, "--designations", d, "--format", "json")
    desig = [f for f in json.loads(out) if f["rule"] == "DESIG-LEVEL"]
    assert code == 0 and [(f["register_number"], f["unit"]) for f in desig] == [("22222-001", "(inbound)")]


def test_rejected_rows_are_counted_and_the_rest_flagged(capsys, roster):
    roster.write_text(ROSTER + BAD_ROW)
    code, out, err = run(capsys, roster, "--facility", SAMPLE_FACILITY, "--format", "json")
    assert code == 0 and len(json.loads(out)) == 3
    assert "1 of 3 roster rows were rejected" in err
    assert "12345-680" not in err and "POE" not in err


def test_as_of_for_a_file_without_one(capsys, tmp_path):
    p = tmp_path / "roster.csv"
    p.write_text(ROSTER)
    code, out, _ = run(capsys, p, "--facility", SAMPLE_FACILITY, "--as-of", "2026-02-01", "--format", "json")
    assert code == 0 and {f["rule"] for f in json.loads(out)} == {"SEC-ABOVE", "CARE-LEVEL"}


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["missing.csv", "--facility", SAMPLE_FACILITY], "missing.csv"),
        (["{roster}", "--facility", "nope.toml"], "not found"),
        (["{roster}", "--facility", SAMPLE_FACILITY, "--rules", "nope.toml"], "not found"),
        (["{roster}", "--facility", SAMPLE_FACILITY, "--designations", "nope.csv"], "nope.csv"),
    ],
)
def test_unusable_input_exits_2_with_one_line(capsys, roster, argv, fragment):
    code, out, err = run(capsys, *[str(a).replace("{roster}", str(roster)) for a in argv])
    assert code == 2 and out == ""
    assert fragment in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_no_as_of_date_exits_2(capsys, tmp_path):
    p = tmp_path / "roster.csv"
    p.write_text(ROSTER)
    code, _, err = run(capsys, p, "--facility", SAMPLE_FACILITY)
    assert code == 2 and "as-of" in err
