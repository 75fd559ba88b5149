"""No register number, name or birth date from a file in any message of `check` or `import`.

Crafted files of every kind (repeated and malformed register numbers, names, birth dates and
register numbers in the wrong columns) go through `popdash check` and `popdash import`; nothing
that identifies a person may reach stdout, stderr, the report kept with the snapshot or the
audit log, and every error still names its line, its column and its reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from loaders.audit import audit_path
from loaders.store import DB_NAME
from popdash.cli import main
from tests.test_store import FACILITY

# What identifies a person in the files below; none of it may be printed or kept outside the rows.
REGISTERS = [
    "12345-678",
    "12345-679",
    "12345-680",
    "1234-5678",
    "A2345-678",
    "12345-67",
    "23456789",
    "34567-890",
    "12345678",
]
NAMES = ["ADAMS", "RAYMOND", "Raymond", "Adams", "O'NEIL", "MÜLLER"]
BIRTH_DATES = ["04/12/1961", "1961-04-12", "19610412"]
IDENTITY = REGISTERS + NAMES + BIRTH_DATES

POP = "register_number,unit,security_level,custody,arrival_date,last_name,birth_date"
POP_OK = "12345-678,A1,MEDIUM,IN,2026-01-05,SMITH,01/02/1980"
DES = "register_number,last_name,security_level,designation_date"
DES_OK = "12345-678,SMITH,LOW,10/01/2026"
RED = "register_number,direction,transfer_type,request_date,status"
RED_OK = "12345-678,IN,LESSER SECURITY,2026-08-16,APPROVED"
COUNTS = "facility,date,population"
COUNTS_OK = "FCI ASHLAND,2026-11-22,1187"
FIND = "finding_id,review_type,review_date,discipline,rating,severity,finding"
FIND_OK = "F-001,PROGRAM REVIEW,09/09/2026,Correctional Programs,DEFICIENT,OBSERVATION,Files not reviewed."

# case -> (kind, file name, lines, [(line, column, reason start)]): column None for a ragged row.
CASES: dict[str, tuple[str, str, list[str], list[tuple[int, str | None, str]]]] = {
    "population: repeated register number": (
        "population",
        "roster_2026-11-22.csv",
        [POP, POP_OK, "12345-679,A1,LOW,IN,2026-01-05,ADAMS,04/12/1961", "12345-678,A2,LOW,IN,2026-01-05,O'NEIL,"],
        [(4, "register_number", "register number repeats line 2")],
    ),
    "population: eight digits repeat a register number": (
        "population",
        "roster_2026-11-22.csv",
        [POP, POP_OK, "12345678,A1,LOW,IN,2026-01-05,ADAMS,04/12/1961"],
        [(3, "register_number", "register number repeats line 2")],
    ),
    "population: malformed register numbers": (
        "population",
        "roster_2026-11-22.csv",
        [
            POP,
            POP_OK,
            "1234-5678,A1,LOW,IN,2026-01-05,ADAMS,",
            "A2345-678,A1,LOW,IN,2026-01-05,,",
            "12345-67,A1,LOW,IN,2026-01-05,RAYMOND,",
        ],
        [
            (3, "register_number", "not a register number"),
            (4, "register_number", "not a register number"),
            (5, "register_number", "not a register number"),
        ],
    ),
    "population: names and birth dates in the wrong columns": (
        "population",
        "roster_2026-11-22.csv",
        [
            POP,
            POP_OK,
            '"ADAMS, RAYMOND",A1,LOW,IN,2026-01-05,,',
            "04/12/1961,A1,LOW,IN,2026-01-05,,",
            "12345-679,Raymond Adams,LOW,IN,2026-01-05,,",
            "12345-680,A1,O'NEIL,IN,2026-01-05,,",
            "34567-890,A1,LOW,19610412,2026-01-05,,",
        ],
        [
            (3, "register_number", "not a register number"),
            (4, "register_number", "not a register number"),
            (5, "unit", "not a unit"),
            (6, "security_level", "not a known security level"),
            (7, "custody", "not a known custody"),
        ],
    ),
    "population: register numbers in the wrong columns": (
        "population",
        "roster_2026-11-22.csv",
        [
            POP,
            POP_OK,
            "12345-679,12345-680,LOW,IN,2026-01-05,,",
            "12345-680,A1,LOW,IN,23456789,,",
            "34567-890,A1,LOW,IN,2026-01-05,ADAMS,12345-679",
        ],
        [(3, "unit", "not a unit"), (4, "arrival_date", "not a date"), (5, "birth_date", "not a date")],
    ),
    "population: a row with too many fields": (
        "population",
        "roster_2026-11-22.csv",
        [POP, POP_OK, "12345-679,A1,LOW,IN,2026-01-05,ADAMS,04/12/1961,RAYMOND"],
        [(3, None, "row has 8 fields; the header has 7")],
    ),
    "designations: repeated and malformed register numbers": (
        "designations",
        "designations_2026-11-22.csv",
        [
            DES,
            DES_OK,
            "12345-678,ADAMS,LOW,10/02/2026",
            "1234-5678,MÜLLER,LOW,10/02/2026",
            "12345-679,ADAMS,Adams,04/12/1961",
        ],
        [
            (3, "register_number", "register number repeats line 2"),
            (4, "register_number", "not a register number"),
            (5, "security_level", "not a known security level"),
        ],
    ),
    "designations: name and register number in the date column": (
        "designations",
        "designations_2026-11-22.csv",
        [DES, DES_OK, '12345-679,,LOW,"ADAMS, RAYMOND"', "12345-680,,LOW,23456789"],
        [(3, "designation_date", "not a date"), (4, "designation_date", "not a date")],
    ),
    "redesignations: malformed register numbers and names in coded columns": (
        "redesignations",
        "redesignations_2026-11-22.csv",
        [
            RED,
            RED_OK,
            "A2345-678,IN,LESSER SECURITY,2026-08-16,APPROVED",
            "12345-679,ADAMS,LESSER SECURITY,2026-08-16,APPROVED",
            "12345-680,IN,LESSER SECURITY,04/12/1961x,APPROVED",
            "34567-890,IN,LESSER SECURITY,2026-08-16,Raymond Adams",
        ],
        [
            (3, "register_number", "not a register number"),
            (4, "direction", "not a known"),
            (5, "request_date", "not a date"),
            (6, "status", "not a known"),
        ],
    ),
    "facility_counts: a register number, a name and a birth date in the wrong columns": (
        "facility_counts",
        "facility_counts.csv",
        [
            COUNTS,
            COUNTS_OK,
            "FCI ASHLAND,2026-11-21,12345-678",
            "FCI ASHLAND,ADAMS,1187",
            "FCI ASHLAND,2026-11-20,04/12/1961",
        ],
        [(3, "population", "not"), (4, "date", "not a date"), (5, "population", "not")],
    ),
    "findings: a register number, a name and a birth date in the wrong columns": (
        "findings",
        "findings.csv",
        [
            FIND,
            FIND_OK,
            "F-002,PROGRAM REVIEW,12345-678,Correctional Programs,DEFICIENT,OBSERVATION,Late.",
            "F-003,PROGRAM REVIEW,09/09/2026,Correctional Programs,ADAMS,OBSERVATION,Late.",
            "F-004,PROGRAM REVIEW,09/09/2026,Correctional Programs,DEFICIENT,04/12/1961,Late.",
        ],
        [(3, "review_date", "not a date"), (4, "rating", "not a known"), (5, "severity", "not a known")],
    ),
}


@pytest.fixture
def crafted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> tuple[str, Path]:
    monkeypatch.chdir(tmp_path)
    kind, name, lines, _ = CASES[request.param]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return kind, path


def _no_identity(text: str, where: str) -> None:
    found = [value for value in IDENTITY if value in text]
    assert not found, f"{where} holds {found}"


def _expected_in(text: str, case: str) -> None:
    """Each error's line, column and reason is in the printed report (point at the line, not the person)."""
    for line, column, reason in CASES[case][3]:
        where = f"line {line}" + (f", {column}" if column else "")
        assert any(row.strip().startswith(where) and reason in row for row in text.splitlines()), (where, text)


@pytest.mark.parametrize("crafted", list(CASES), indirect=True)
def test_check_names_the_line_never_the_person(crafted, capsys, request):
    case = request.node.callspec.params["crafted"]
    kind, path = crafted
    assert main(["check", path.name, "--kind", kind, "--facility", str(FACILITY)]) == 1
    text = capsys.readouterr()
    _no_identity(text.out + text.err, "check's output")
    _expected_in(text.out, case)
    assert main(["check", path.name, "--kind", kind, "--facility", str(FACILITY), "--format", "json"]) == 1
    text = capsys.readouterr()
    _no_identity(text.out + text.err, "check's JSON")
    errors = json.loads(text.out)["errors"]
    assert sorted({(e["line"], e["column"]) for e in errors}) == sorted({(ln, c) for ln, c, _ in CASES[case][3]})


@pytest.mark.parametrize("crafted", list(CASES), indirect=True)
def test_import_keeps_no_identity_outside_the_rows(crafted, capsys, tmp_path, request):
    kind, path = crafted
    store = tmp_path / "store"
    options = ["--store", str(store), "--kind", kind, "--facility", str(FACILITY)]
    assert main(["import", str(path), *options]) == 1  # refused: the rejects are named by count
    text = capsys.readouterr()
    _no_identity(text.out + text.err, "the refusal")
    assert "rejected" in text.out
    assert main(["import", str(path), *options, "--allow-rejects"]) == 0
    text = capsys.readouterr()
    _no_identity(text.out + text.err, "the import")
    with duckdb.connect(str(store / DB_NAME), read_only=True) as con:
        kept = con.execute("SELECT source_name, columns, report FROM snapshots").fetchall()
    assert len(kept) == 1
    _no_identity(json.dumps(kept), "the report kept with the snapshot")
    report = json.loads(kept[0][2])
    assert sorted({(e["line"], e["column"]) for e in report["errors"]}) == sorted(
        {(ln, c) for ln, c, _ in CASES[request.node.callspec.params["crafted"]][3]}
    )
    _no_identity(audit_path(store).read_text(encoding="utf-8"), "the audit log")
