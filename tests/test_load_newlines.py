"""Windows (CRLF) and old Mac (CR) line endings give the same rows, line numbers and report as LF."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders import load
from loaders._read import decode
from tests._loadhelp import POP_HEADER, POP_ROW, write

ROW2 = "23456-789,B2,MEDIUM,OUT,2026-02-01"
QUOTED = POP_HEADER + ',case_manager\n12345-678,A1,LOW,IN,2026-01-05,"CM\nLOPEZ"\n' + ROW2 + ",CM NGUYEN\n"

# One row per shape of file that takes a different path through the reader.
FILES = {
    "clean": "\n".join([POP_HEADER, POP_ROW, ROW2]) + "\n",
    "no final newline": "\n".join([POP_HEADER, POP_ROW, ROW2]),
    "blank and repeated header": "\n".join([POP_HEADER, POP_ROW, "", ",,,,", POP_HEADER, ROW2]) + "\n",
    "titles and total": "\n".join(["ROSTER", "Page 1", "", POP_HEADER, POP_ROW, ROW2, "Total: 2", ""]) + "\n",
    "ragged row": "\n".join([POP_HEADER, POP_ROW, "34567-890,A1,LOW", ROW2]) + "\n",
    "quoted newline": QUOTED,
    "page break in the body": "\n".join([POP_HEADER, POP_ROW, "Page 2", POP_HEADER, ROW2]) + "\n",
    "bad values": "\n".join([POP_HEADER, POP_ROW, "bad,A1,LOW,IN,02/30/2026", ROW2]) + "\n",
}


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.report == b.report


@pytest.mark.parametrize("shape", sorted(FILES))
@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings_give_the_lf_result(tmp_path, shape, newline):
    text = FILES[shape]
    lf = load(write(tmp_path, "lf_2026-11-22.csv", text), kind="population")
    other = load(write(tmp_path, "other_2026-11-22.csv", text.replace("\n", newline)), kind="population")
    _same(lf, other)
    assert lf.report["rows_read"] >= 2


def test_quoted_value_keeps_its_line_break_as_in_the_file(tmp_path):
    r = load(write(tmp_path, "r_2026-11-22.csv", QUOTED.replace("\n", "\r\n")), kind="population")
    assert r.frame["line"].tolist() == [2, 4]
    assert r.frame["case_manager"].tolist() == ["CM\nLOPEZ", "CM NGUYEN"]


def test_crlf_file_is_not_copied():
    data = ("\r\n".join([POP_HEADER, POP_ROW] * 1000) + "\r\n").encode()
    assert decode(data, "r.csv")[0] is data


def test_bare_cr_file_is_rewritten_with_lf():
    data = ("\r".join([POP_HEADER, POP_ROW]) + "\r").encode()
    assert decode(data, "r.csv")[0] == ("\n".join([POP_HEADER, POP_ROW]) + "\n").encode()
