"""Malformed exports through `popdash check` and `popdash import`: exact exit code, lines and sentence.

One row per case of issue 14 ("imports that keep their promises"); the store is checked too.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from loaders.store import Store
from popdash.cli import main
from tests.test_store import FACILITY

HEAD = "register_number,unit,security_level,custody,arrival_date,last_name"
ROW = "12345-678,A1,MEDIUM,IN,2026-01-05,SMITH"
NAME = "roster_2026-11-22.csv"


def _bytes(*lines: str | bytes) -> bytes:
    return b"".join((x if isinstance(x, bytes) else x.encode()) + b"\n" for x in lines)


CASES = {
    "empty": b"",
    "blank lines only": b"\n \n",
    "header only": _bytes(HEAD),
    "mixed encodings": _bytes(
        HEAD, "12345-678,A1,MEDIUM,IN,2026-01-05,\u00c4DAMS", b"12345-679,A1,MEDIUM,IN,2026-01-05,M\xdcLLER"
    ),
    "repeated column": _bytes(HEAD + ",Housing Unit", ROW + ",A2"),
    "open quote": _bytes(
        HEAD,
        ROW,
        '12345-679,"A1,MEDIUM,IN,2026-01-05,JONES',
        "12345-670,A1,MEDIUM,IN,2026-01-05,BROWN",
        "12345-671,A1,MEDIUM,IN,2026-01-05,GREEN",
    ),
    "name in the unit column": _bytes(
        HEAD, ROW, '12345-679,"ADAMS, RAYMOND",MEDIUM,IN,2026-01-05,', "12345-670,Raymond Adams,MEDIUM,IN,2026-01-05,"
    ),
    "birth date in the unit column": _bytes(HEAD, ROW, "12345-679,04/12/1961,MEDIUM,IN,2026-01-05,ADAMS"),
    # A surname alone: hidden, only its shape described; popdash's own words and codes are shown.
    "surname in the unit column": _bytes(HEAD, ROW, "12345-679,ADAMS,MEDIUM,IN,2026-01-05,"),
    "surnames in coded columns": _bytes(
        HEAD,
        ROW,
        "12345-679,A1,ADAMS,IN,2026-01-05,",
        "12345-670,A1,MEDIUM,O'NEIL,2026-01-05,",
        "12345-671,Adams2,LOW,IN,2026-01-05,",
    ),
    "level in the custody column": _bytes(HEAD, ROW, "12345-679,Z9,MEDIUM,LOW,2026-01-05,ADAMS"),
    "birth date in the as-of column": _bytes(
        HEAD + ",as_of_date", ROW + ",2026-11-22", "12345-679,A1,MEDIUM,IN,2026-01-05,ADAMS,1961-04-12"
    ),
}
HIDDEN = "(hidden: looks like a name or a birth date)"
WORD5 = "(hidden: a 5-letter word; may be a name)"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _file(folder: Path, case: str) -> Path:
    path = folder / NAME
    path.write_bytes(CASES[case])
    return path


@pytest.mark.parametrize(
    ("case", "code", "out", "err"),
    [
        ("empty", 2, [], [f"popdash check: {NAME} is empty."]),
        ("blank lines only", 2, [], [f"popdash check: {NAME} is empty."]),
        (
            "header only",
            0,
            [
                f"{NAME}: population as of 2026-11-22",
                "  rows read 0, accepted 0, rejected 0",
                "  warning: the file has a header and no rows",
            ],
            [],
        ),
        (
            "mixed encodings",
            0,
            [
                f"{NAME}: population as of 2026-11-22",
                "  rows read 2, accepted 2, rejected 0",
                "  warning: file mixes UTF-8 and Windows-1252: line 3 read as Windows-1252, the other lines as UTF-8",
            ],
            [],
        ),
        (
            "repeated column",
            2,
            [],
            [f"popdash check: columns 2 ('unit') and 7 ('Housing Unit') of {NAME} are both unit; keep one of them."],
        ),
        (
            "open quote",
            2,
            [],
            [
                "popdash check: the quote that opens a field on line 3 is never closed, so lines 3 to 5 "
                "(the end of the file) would be one value; close the quote."
            ],
        ),
        (
            "name in the unit column",
            1,
            [
                f"{NAME}: population as of 2026-11-22",
                "  rows read 3, accepted 1, rejected 2",
                "  errors:",
                f"    line 3, unit = '{HIDDEN}': not a unit of the facility configuration",
                f"    line 4, unit = '{HIDDEN}': not a unit of the facility configuration",
            ],
            [],
        ),
        (
            "birth date in the unit column",
            1,
            [
                f"{NAME}: population as of 2026-11-22",
                "  rows read 2, accepted 1, rejected 1",
                "  errors:",
                f"    line 3, unit = '{HIDDEN}': not a unit of the facility configuration",
            ],
            [],
        ),
        (
            "surname in the unit column",
            1,
            [
                f"{NAME}: population as of 2026-11-22",
                "  rows read 2, accepted 1, rejected 1",
                "  errors:",
                f"    line 3, unit = '{WORD5}': not a unit of the facility configuration",
            ],
            [],
        ),
        (
            "surnames in coded columns",
            1,
            [
                f"{NAME}: population as of 2026-11-22",
                "  rows read 4, accepted 1, rejected 3",
                "  errors:",
                f"    line 3, security_level = '{WORD5}': not a known security level "
                "(MINIMUM, LOW, MEDIUM, HIGH, UNASSIGNED)",
                f"    line 4, custody = '{WORD5}': not a known custody (MAXIMUM, IN, OUT, COMMUNITY)",
                "    line 5, unit = '(hidden: 6 characters with letters; may be a name)': "
                "not a unit of the facility configuration",
            ],
            [],
        ),
        (
            "level in the custody column",
            1,
            [
                f"{NAME}: population as of 2026-11-22",
                "  rows read 2, accepted 1, rejected 1",
                "  errors:",
                "    line 3, unit = 'Z9': not a unit of the facility configuration",
                "    line 3, custody = 'LOW': not a known custody (MAXIMUM, IN, OUT, COMMUNITY)",
            ],
            [],
        ),
        (
            "birth date in the as-of column",
            1,
            [
                f"{NAME}: population as of 2026-11-22",
                "  rows read 2, accepted 1, rejected 1",
                "  errors:",
                f"    line 3, as_of_date = '{HIDDEN}': differs from the file's as-of date 2026-11-22",
            ],
            [],
        ),
    ],
)
def test_check(folder, capsys, case, code, out, err):
    _file(folder, case)
    assert main(["check", NAME, "--kind", "population", "--facility", str(FACILITY)]) == code
    got = capsys.readouterr()
    assert got.out.splitlines() == out
    assert got.err.splitlines() == err
    for word in ("ADAMS", "Adams", "RAYMOND", "Raymond", "NEIL", "1961", "Ã"):  # no name, birth date or garbled letter
        assert word not in got.out + got.err


@pytest.mark.parametrize(
    ("case", "extra", "code", "out", "err", "stored"),
    [
        ("empty", [], 1, [f"{NAME}: refused: the file is empty (no header row, no rows); nothing was written"], [], 0),
        (
            "empty",
            ["--allow-empty"],
            1,
            [f"{NAME}: refused: the file is empty (no header row, no rows); nothing was written"],
            [],
            0,
        ),
        (
            "header only",
            [],
            1,
            [
                f"{NAME}: refused: the file has a header and no rows; an empty export never replaces a "
                "snapshot unless imported with --allow-empty"
            ],
            [],
            0,
        ),
        ("header only", ["--allow-empty"], 0, [f"{NAME}: imported population snapshot of 2026-11-22 (0 rows)"], [], 1),
        ("mixed encodings", [], 0, [f"{NAME}: imported population snapshot of 2026-11-22 (2 rows)"], [], 1),
        (
            "repeated column",
            [],
            2,
            [],
            [f"popdash import: columns 2 ('unit') and 7 ('Housing Unit') of {NAME} are both unit; keep one of them"],
            0,
        ),
        (
            "open quote",
            [],
            2,
            [],
            [
                f"popdash import: {NAME}: the quote that opens a field on line 3 is never closed, so "
                "lines 3 to 5 (the end of the file) would be one value; close the quote"
            ],
            0,
        ),
    ],
)
def test_import(folder, capsys, case, extra, code, out, err, stored):
    path = _file(folder, case)
    argv = ["import", str(path), "--store", str(folder / "store"), "--facility", str(FACILITY), *extra]
    assert main(argv) == code
    got = capsys.readouterr()
    assert got.out.splitlines() == out
    assert got.err.splitlines() == err
    assert len(Store(folder / "store").snapshots()) == stored


def test_an_empty_export_never_replaces_a_day(folder, capsys):
    path = folder / NAME
    path.write_bytes(_bytes(HEAD, ROW))
    store = ["--store", str(folder / "store"), "--facility", str(FACILITY)]
    assert main(["import", str(path), *store]) == 0
    path.write_bytes(CASES["header only"])
    assert main(["import", str(path), *store]) == 1
    assert len(Store(folder / "store").frame("population")) == 1


def test_mixed_encodings_keep_every_letter(folder):
    from loaders import load

    frame = load(_file(folder, "mixed encodings"), kind="population").frame
    assert frame["last_name"].tolist() == ["\u00c4DAMS", "M\u00dcLLER"]


@pytest.mark.parametrize("options", [[], ["--as-of", "2026-11-21"]])
def test_the_refusal_hint_reproduces_the_check(folder, capsys, options):
    """Following the printed command reports the same number of rejected rows (the facility included)."""
    path = folder / "roster.csv"
    path.write_bytes(_bytes(HEAD, ROW, "12345-679,NOWHERE,MEDIUM,IN,2026-01-05,JONES"))
    store = folder / "store"
    Store(store).set_facility(FACILITY)  # kept in the store: the command line does not repeat it
    if not options:
        options = ["--as-of", "2026-11-22"]
    assert main(["import", str(path), "--store", str(store), *options]) == 1
    line = capsys.readouterr().out.strip()
    assert "refused: 1 row rejected" in line
    command = shlex.split(line.split("— run ", 1)[1].split(" to see them")[0])
    assert command[:2] == ["popdash", "check"] and "--facility" in command and "--as-of" in command
    assert main([*command[1:], "--format", "json"]) == 1
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["rows_rejected"] == 1 and report["as_of"] == options[1]
