"""`popdash findings`: the computed columns of data-contract.md in text, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from popdash.cli import main

HEADER = (
    "finding_id,facility,review_type,review_date,discipline,rating,policy_reference,severity,finding,"
    "corrective_action_due,corrective_action_closed,responsible"
)
ROWS = (
    "F-1,,PROGRAM REVIEW,03/01/2022,Correctional Programs,GOOD,P5322.13 Sec. 7,DEFICIENCY,Reviews late,"
    "06/01/2022,05/20/2022,Unit Manager",
    "F-2,,PROGRAM REVIEW,09/01/2024,Correctional Programs,DEFICIENT,p5322.13  SEC. 7,DEFICIENCY,Reviews late,"
    "05/01/2026,,Unit Manager",
    "F-3,,PROGRAM REVIEW,09/01/2024,Correctional Programs,DEFICIENT,P5322.13 Sec. 7,DEFICIENCY,Reviews late,"
    "07/15/2026,07/10/2026,Unit Manager",
    "F-4,FCI Other,PROGRAM REVIEW,09/01/2024,Correctional Programs,GOOD,P5322.13 Sec. 7,OBSERVATION,x,,,",
    "F-5,,SELF AUDIT,05/01/2025,Safety,,,OBSERVATION,Housekeeping,06/30/2026,,Safety Manager",
)


@pytest.fixture
def findings_file(tmp_path):
    path = tmp_path / "findings_2026-06-30.csv"
    path.write_text("\n".join((HEADER, *ROWS)) + "\n")
    return path


def _json(capsys, *argv) -> list[dict]:
    assert main(["findings", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_has_the_contract_columns_and_computed_values(findings_file, capsys):
    recs = _json(capsys, str(findings_file))
    assert [list(r) for r in recs] == [
        ["line", "facility", "review_date", "discipline", "policy_reference", "repeat", "repeat_of", "action_status"]
        + ["missing"]
    ] * 5
    assert all(r["missing"] == {} for r in recs)  # every column the computed ones need is in the file
    assert [r["line"] for r in recs] == [2, 3, 4, 5, 6]
    assert [r["repeat"] for r in recs] == [False, True, True, False, False]
    assert [r["repeat_of"] for r in recs] == [None, "2022-03-01", "2022-03-01", None, None]
    # as of 2026-06-30 from the file name: F-3 closed after the as-of date is still open, F-5 due that day is OPEN
    assert [r["action_status"] for r in recs] == ["CLOSED", "OVERDUE", "OPEN", "OPEN", "OPEN"]
    assert recs[0]["facility"] is None and recs[3]["facility"] == "FCI Other"
    assert recs[4]["policy_reference"] is None


@pytest.mark.parametrize(
    ("as_of", "statuses"),
    [
        ("2026-07-10", ["CLOSED", "OVERDUE", "CLOSED", "OPEN", "OVERDUE"]),
        ("2026-04-30", ["CLOSED", "OPEN", "OPEN", "OPEN", "OPEN"]),
        ("2026-05-02", ["CLOSED", "OVERDUE", "OPEN", "OPEN", "OPEN"]),
    ],
)
def test_as_of_option_wins_over_the_file_name(findings_file, capsys, as_of, statuses):
    recs = _json(capsys, str(findings_file), "--as-of", as_of)
    assert [r["action_status"] for r in recs] == statuses


@pytest.mark.parametrize(
    ("name", "argv", "said"),
    [
        ("findings_2026-06-30.csv", [], "as of 2026-06-30 (from the file name)"),
        ("findings.csv", [], "as of 2025-05-01 (the latest review date in the log)"),
        ("findings.csv", ["--as-of", "2026-01-02"], "as of 2026-01-02 (given with --as-of)"),
    ],
)
def test_text_says_where_the_as_of_date_came_from(tmp_path, capsys, name, argv, said):
    path = tmp_path / name
    path.write_text("\n".join((HEADER, *ROWS)) + "\n")
    assert main(["findings", str(path), *argv]) == 0
    out = capsys.readouterr().out
    assert said in out.splitlines()[0]
    assert "5 findings, 2 repeats" in out


def test_csv_output(findings_file, capsys):
    assert main(["findings", str(findings_file), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["repeat"] for r in rows] == ["false", "true", "true", "false", "false"]
    assert rows[1]["repeat_of"] == "2022-03-01" and rows[0]["repeat_of"] == ""
    assert rows[0]["facility"] == "" and rows[1]["policy_reference"] == "p5322.13  SEC. 7"


@pytest.mark.parametrize(
    ("content", "argv"),
    [
        (None, []),  # missing file
        ("register_number,unit\n12345-678,A1\n", []),  # not a findings log
        ("\n".join((HEADER, *ROWS)) + "\n", ["--as-of", "31/12/2026"]),  # not a date
    ],
)
def test_unusable_input_is_one_line_and_exit_2(tmp_path, capsys, content, argv):
    path = tmp_path / "log.csv"
    if content is not None:
        path.write_text(content)
    assert main(["findings", str(path), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("popdash findings: ") and err.count("\n") == 1 and "Traceback" not in err


def test_rejected_rows_are_counted_on_stderr_and_the_rest_printed(tmp_path, capsys):
    path = tmp_path / "findings_2026-06-30.csv"
    path.write_text("\n".join((HEADER, *ROWS, "F-6,,PROGRAM REVIEW,31/31/2025,Safety,,,,x,,,")) + "\n")
    recs = _json(capsys, str(path))
    assert len(recs) == 5
    assert main(["findings", str(path)]) == 0
    err = capsys.readouterr().err
    assert err == (
        "popdash findings: 1 of 6 rows were rejected (popdash check lists them); showing the 5 accepted rows\n"
    )


@pytest.mark.parametrize(
    ("dropped", "nulls"),
    [
        (("policy_reference",), {"repeat", "repeat_of"}),
        (("corrective_action_closed",), {"action_status"}),
        (("corrective_action_due",), {"action_status"}),
        (("policy_reference", "corrective_action_due"), {"repeat", "repeat_of", "action_status"}),
        ((), set()),
    ],
)
def test_a_column_the_log_lacks_gives_null_and_a_reason_never_a_default(tmp_path, capsys, dropped, nulls):
    """No policy reference is not "no repeat"; no closing date is not "OPEN"."""
    table = list(csv.reader(["\n".join((HEADER, *ROWS))][0].splitlines()))
    keep = [i for i, name in enumerate(table[0]) if name not in dropped]
    path = tmp_path / "findings_2026-06-30.csv"
    path.write_text("\n".join(",".join(row[i] for i in keep) for row in table) + "\n")
    assert main(["findings", str(path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    recs = json.loads(captured.out)
    for r in recs:
        assert {k for k in ("repeat", "repeat_of", "action_status") if r[k] is None} >= nulls
        assert set(r["missing"]) == nulls
        assert all(f"the log has no {d} column" in " ".join(r["missing"].values()) for d in dropped)
    for key in nulls:
        assert f"{key} not shown." in captured.err
    if not nulls:
        assert not captured.err
