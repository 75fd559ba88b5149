"""Reading files: encodings, delimiters, furniture, line numbers, unusable input."""

from __future__ import annotations

import pytest

from loaders import LoadError, load
from tests._loadhelp import POP_HEADER, POP_ROW, error_lines, roster, write

ROW2 = "23456-789,B1,MEDIUM,IN,2026-02-01"


def test_clean_roster_loads_whole(tmp_path, facility):
    r = roster(tmp_path, POP_ROW, ROW2, facility=facility)
    assert r.report["rows_read"] == 2 and r.report["rows_accepted"] == 2 and r.report["errors"] == []
    assert r.frame["line"].tolist() == [2, 3]
    assert r.frame["register_number"].tolist() == ["12345-678", "23456-789"]


@pytest.mark.parametrize(
    "prefix, encoding", [(b"", "utf-8"), (b"\xef\xbb\xbf", "utf-8"), (b"", "cp1252"), (b"", "utf-16")]
)
def test_encodings_keep_accented_names(tmp_path, prefix, encoding):
    text = (
        "register_number,unit,security_level,custody,arrival_date,last_name\n"
        "12345-678,A1,LOW,IN,2026-01-05,PEÑALOSA-MÜLLER\n"
    )
    path = write(tmp_path, "roster_2026-11-22.csv", prefix + text.encode(encoding))
    r = load(path, kind="population")
    assert r.frame["last_name"].tolist() == ["PEÑALOSA-MÜLLER"]
    assert r.frame.columns[1] == "register_number"  # the BOM is not part of the first header
    assert any("Windows-1252" in w for w in r.report["warnings"]) == (encoding == "cp1252")


@pytest.mark.parametrize("delimiter", [",", "\t", "|", ";"])
def test_delimiters(tmp_path, delimiter):
    lines = [POP_HEADER, POP_ROW, ROW2]
    text = "\n".join(line.replace(",", delimiter) for line in lines) + "\n"
    r = load(write(tmp_path, "r_2026-11-22.csv", text), kind="population")
    assert r.report["rows_accepted"] == 2
    assert r.frame["unit"].tolist() == ["A1", "B1"]


def test_crlf_line_endings(tmp_path):
    text = "\r\n".join([POP_HEADER, POP_ROW, "", ROW2]) + "\r\n"
    r = load(write(tmp_path, "r_2026-11-22.csv", text), kind="population")
    assert r.frame["line"].tolist() == [2, 4]


@pytest.mark.parametrize(
    "lines, accepted_lines, warning",
    [
        (["Population roster", POP_HEADER, POP_ROW], [3], "title or page header lines skipped: line 1"),
        (["Roster", "", "Printed 11/22/2026", POP_HEADER, POP_ROW], [5], "blank lines skipped: line 2"),
        ([POP_HEADER, POP_ROW, "", ROW2], [2, 4], "blank lines skipped: line 3"),
        ([POP_HEADER, POP_ROW, ",,,,", ROW2], [2, 4], "blank lines skipped: line 3"),
        ([POP_HEADER, POP_ROW, POP_HEADER, ROW2], [2, 4], "repeated header rows skipped: line 3"),
        ([POP_HEADER, POP_ROW, POP_HEADER.upper(), ROW2], [2, 4], "repeated header rows skipped: line 3"),
        ([POP_HEADER, POP_ROW, "Page 2 of 2", POP_HEADER, ROW2], [2, 5], "title or page header lines skipped: line 3"),
        (
            ["FCC Example roster", POP_HEADER, POP_ROW, "", "FCC Example roster", POP_HEADER, ROW2],
            [3, 7],
            "title or page header lines skipped: line 1, 5",
        ),
        ([POP_HEADER, POP_ROW, ROW2, "TOTAL: 2"], [2, 3], "total lines skipped: line 4"),
        ([POP_HEADER, POP_ROW, ROW2, "RECORDS: 2", ""], [2, 3], "total lines skipped: line 4"),
        ([POP_HEADER, POP_ROW, ROW2, "Total records: 1,234"], [2, 3], "total line 4 says 1,234 rows"),
        (
            [POP_HEADER, POP_ROW, ROW2, "TOTAL: 2", "", "Printed by the inmate system, page 3"],
            [2, 3],
            "lines after the total line skipped: line 6",
        ),
        ([POP_HEADER, POP_ROW, "TOTAL: 1", ROW2, "TOTAL: 1"], [2, 4], "total lines skipped: line 3, 5"),
    ],
)
def test_furniture_is_skipped_and_reported(tmp_path, lines, accepted_lines, warning):
    r = load(write(tmp_path, "r_2026-11-22.csv", "\n".join(lines) + "\n"), kind="population")
    assert r.frame["line"].tolist() == accepted_lines
    assert r.report["rows_rejected"] == 0
    assert any(w.startswith(warning) for w in r.report["warnings"]), r.report["warnings"]


def test_total_that_agrees_gives_no_mismatch_warning(tmp_path):
    r = roster(tmp_path, POP_ROW, ROW2, "TOTAL: 2")
    assert not any("says" in w for w in r.report["warnings"])


def test_quoted_newline_keeps_editor_line_numbers(tmp_path):
    header = POP_HEADER + ",quarters"
    rows = [
        '12345-678,A1,LOW,IN,2026-01-05,"bed 12\nupper"',
        "",
        "23456-789,B1,LOW,IN,13/01/2026,x",
        '34567-890,B2,LOW,IN,2026-01-05,"a ""quoted"", text"',
    ]
    r = roster(tmp_path, *rows, header=header)
    assert r.frame["line"].tolist() == [2, 6]
    assert r.frame["quarters"].tolist() == ["bed 12\nupper", 'a "quoted", text']
    assert error_lines(r) == [5]


def test_row_with_wrong_field_count_is_rejected_with_its_line(tmp_path):
    r = roster(tmp_path, POP_ROW, "23456-789,B1,LOW", ROW2.replace("23456", "34567"))
    assert r.report["rows_read"] == 3 and r.report["rows_rejected"] == 1
    assert r.report["errors"] == [
        {"line": 3, "column": None, "value": None, "reason": "row has 3 fields; the header has 5"}
    ]


def test_unknown_columns_are_reported_not_loaded(tmp_path):
    r = roster(tmp_path, POP_ROW + ",x,y", header=POP_HEADER + ",Shoe Size,Favourite Colour")
    assert r.report["unknown_columns"] == ["Shoe Size", "Favourite Colour"]
    assert "Shoe Size" not in r.frame.columns and r.report["rows_accepted"] == 1


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "file not found: missing.csv"),
        ("", "is empty"),
        ("\n \n", "is empty"),
        (b"PK\x03\x04xlsxstuff", "Excel workbook"),
        (b"%PDF-1.7 ...", "PDF document"),
        (b"abc\x00def\x00", "binary file"),
        ("just,some\nwords,here\n", "no population header row found"),
        ("register_number,unit,security_level,custody\n12345-678,A1,LOW,IN\n", "required column arrival_date"),
    ],
)
def test_unusable_input_is_one_load_error(tmp_path, content, message):
    path = tmp_path / "missing.csv"
    if content is not None:
        write(tmp_path, "missing.csv", content)
    with pytest.raises(LoadError, match=message) as info:
        load(path, kind="population", as_of="2026-11-22")
    assert "\n" not in str(info.value)


def test_folder_is_a_load_error(tmp_path):
    with pytest.raises(LoadError, match="is a folder"):
        load(tmp_path, kind="population")


def test_load_error_is_a_value_error():
    assert issubclass(LoadError, ValueError)


def test_unknown_kind_is_a_load_error(tmp_path):
    with pytest.raises(LoadError, match="unknown kind"):
        load(write(tmp_path, "a.csv", POP_HEADER), kind="roster")


def test_threaded_conversion_gives_the_same_result(tmp_path, monkeypatch, facility):
    import loaders._load as impl

    rows = [POP_ROW, ROW2, "bad,A1,LOW,IN,2026-01-01"]
    serial = roster(tmp_path, *rows, facility=facility)
    monkeypatch.setattr(impl, "PARALLEL_FROM", 0)
    threaded = roster(tmp_path, *rows, facility=facility)
    assert threaded.report == serial.report
    assert threaded.frame.equals(serial.frame)


def test_unnamed_trailing_columns_are_listed_by_position(tmp_path):
    r = roster(tmp_path, POP_ROW + ",,", header=POP_HEADER + ",,")
    assert r.report["unknown_columns"] == ["(unnamed column 6)", "(unnamed column 7)"]
    assert r.report["rows_accepted"] == 1
