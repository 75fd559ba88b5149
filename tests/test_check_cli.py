"""`popdash check`: JSON and text reports, exit codes 0 / 1 / 2, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from popdash.cli import main
from tests._loadhelp import POP_HEADER, POP_ROW, write
from tests.conftest import ROOT, SAMPLE_FACILITY

KEYS = ["kind", "as_of", "rows_read", "rows_accepted", "rows_rejected", "errors", "warnings", "unknown_columns"]


def _file(tmp_path, *rows, name="roster_2026-11-22.csv"):
    return str(write(tmp_path, name, "\n".join((POP_HEADER, *rows)) + "\n"))


def test_json_report_and_exit_0_when_all_accepted(tmp_path, capsys):
    code = main(
        [
            "check",
            _file(tmp_path, POP_ROW),
            "--kind",
            "population",
            "--facility",
            str(SAMPLE_FACILITY),
            "--format",
            "json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert list(out) == KEYS
    assert (out["kind"], out["as_of"], out["rows_read"], out["rows_accepted"], out["rows_rejected"]) == (
        "population",
        "2026-11-22",
        1,
        1,
        0,
    )


def test_json_errors_and_exit_1_when_some_rejected(tmp_path, capsys):
    path = _file(tmp_path, POP_ROW, "23456-789,ZZ,LOW,IN,02/30/2026", "bad,A1,LOW,IN,2026-01-01")
    code = main(["check", path, "--kind", "population", "--facility", str(SAMPLE_FACILITY), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out["rows_rejected"] == 2 and out["rows_accepted"] == 1
    assert [(e["line"], e["column"]) for e in out["errors"]] == [
        (3, "unit"),
        (3, "arrival_date"),
        (4, "register_number"),
    ]
    assert all(list(e) == ["line", "column", "value", "reason"] for e in out["errors"])


def test_text_format_is_compact(tmp_path, capsys):
    path = _file(tmp_path, POP_ROW, "23456-789,A1,LOW,IN,13/01/2026")
    code = main(["check", path, "--kind", "population"])
    out = capsys.readouterr().out
    assert code == 1
    assert "population as of 2026-11-22" in out
    assert "rows read 2, accepted 1, rejected 1" in out
    assert "line 3, arrival_date = '13/01/2026': not a date: month 13" in out
    assert "warning: no facility configuration given" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.csv"], "file not found: missing.csv"),
        (["roster.csv"], "no as-of date for roster.csv"),
        (["roster.csv", "--as-of", "someday"], "is not a date"),
        (["roster.csv", "--as-of", "2026-11-22", "--facility", "nope.toml"], "facility file not found"),
        (["short.csv", "--as-of", "2026-11-22"], "required column arrival_date is absent"),
    ],
)
def test_unusable_input_exits_2_with_one_line(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    _file(tmp_path, POP_ROW, name="roster.csv")
    write(tmp_path, "short.csv", "register_number,unit,security_level,custody\n12345-678,A1,LOW,IN\n")
    code = main(["check", *args, "--kind", "population"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("popdash check: ") and message in err and err.count("\n") == 1
    assert "12345-678" not in err


def test_real_subprocess_run(tmp_path):
    path = _file(tmp_path, POP_ROW, "12345-678,A2,LOW,IN,2026-01-05")
    proc = subprocess.run(
        [sys.executable, "-m", "popdash", "check", path, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    assert out["kind"] == "population"  # guessed from the header
    # The line and column point at the repeat; the register number itself is never echoed.
    assert out["errors"] == [
        {"line": 3, "column": "register_number", "value": "(personal data)", "reason": "register number repeats line 2"}
    ]
    assert "12345-678" not in proc.stdout
    assert proc.stderr == ""


@pytest.mark.parametrize("kind", ["population", "designations", "redesignations", "facility_counts", "findings"])
def test_malformed_file_of_each_kind_exits_1_with_its_lines(tmp_path, capsys, kind):
    from tests.test_load_kinds import MALFORMED

    text, expected = MALFORMED[kind]
    bad_lines = [line for line, _, _ in expected]
    path = write(tmp_path, f"{kind}_2026-11-22.csv", text)
    code = main(["check", str(path), "--kind", kind, "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert sorted({e["line"] for e in out["errors"]}) == bad_lines
    assert out["rows_rejected"] == len(bad_lines)
