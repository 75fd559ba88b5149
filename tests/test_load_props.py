"""Property-based: whatever the bytes, `load` either raises LoadError or accounts for every row."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import LoadError, load

VALID = (
    b"Roster\n"
    b"register_number,unit,security_level,custody,arrival_date,last_name,security_points,psf,detainer\n"
    b"12345-678,A1,LOW,IN,2026-01-05,DOE,12,SEX OFFENDER,N\n"
    b'23456-789,B1,MED,OUT,03/04/2026,"ROE, X",1,,Y\n'
    b"34567-890,CAMP,MIN,COMM,20260105,POE,0,,\n"
    b"\n"
    b"TOTAL: 3\n"
)

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(data: bytes, kind: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster_2026-11-22.csv"
        path.write_bytes(data)
        try:
            r = load(path, kind=kind)
        except LoadError as exc:
            assert str(exc) and "\n" not in str(exc)
            return
        rep = r.report
        assert rep["rows_accepted"] + rep["rows_rejected"] == rep["rows_read"]
        assert len(r.frame) == rep["rows_accepted"]
        assert {e["line"] for e in rep["errors"]}.isdisjoint(set(r.frame["line"]))
        assert len({e["line"] for e in rep["errors"]}) == rep["rows_rejected"]
        # each accepted row's line (as an editor counts) holds its register number
        text = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").decode("utf-8", "replace").split("\n")
        if "register_number" in r.frame.columns:
            for line, reg in zip(r.frame["line"], r.frame["register_number"]):
                assert reg[:5] in text[line - 1].replace("-", "")[:40] or reg in text[line - 1]


@SETTINGS
@given(st.binary(max_size=600), st.sampled_from([None, "population", "findings"]))
def test_arbitrary_bytes_never_raise_anything_but_load_error(data, kind):
    _check(data, kind)


@st.composite
def mutations(draw):
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "dup_line"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] = draw(st.sampled_from(b',;|\t"\n\r\x00\xe9\xff ab1-/'))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[pos : pos + draw(st.integers(1, 10))]
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@SETTINGS
@given(mutations(), st.sampled_from([None, "population"]))
def test_mutations_of_a_valid_file_keep_the_counts(data, kind):
    _check(data, kind)


def test_the_unmutated_file_loads_whole():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster_2026-11-22.csv"
        path.write_bytes(VALID)
        r = load(path)
    assert (r.report["rows_read"], r.report["rows_accepted"]) == (3, 3)
