"""`popdash capacity --counts`: JSON / CSV / text output and the exit code for unusable input."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest

import loaders
from analytics.capacity import SHEET_COLUMNS
from popdash.cli import main

CSV = """facility,date,population,rated_capacity,pending_in,pending_out
FCI ALICEVILLE,2026-11-20,"1,500",1000,10,5
FCI ALICEVILLE,2026-11-21,"1,535",1000,40,15
USP ATLANTA,2026-11-21,195,200,,5
FPC CLOSED,2026-11-21,0,128,0,0
"""

EXPECTED = [
    {
        "facility": "FCI ALICEVILLE",
        "population": 1535,
        "rated_capacity": 1000,
        "crowding_pct": 54,
        "pending_in": 40,
        "pending_out": 15,
        "projected": 1560,
        "projected_crowding_pct": 56,
    },
    {
        "facility": "USP ATLANTA",
        "population": 195,
        "rated_capacity": 200,
        "crowding_pct": -2,
        "pending_in": None,
        "pending_out": 5,
        "projected": None,
        "projected_crowding_pct": None,
    },
    {
        "facility": "FPC CLOSED",
        "population": 0,
        "rated_capacity": 128,
        "crowding_pct": 0,
        "pending_in": 0,
        "pending_out": 0,
        "projected": 0,
        "projected_crowding_pct": 0,
    },
]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line": [2, 3, 4, 5],
            "facility": pd.Series(["FCI ALICEVILLE", "FCI ALICEVILLE", "USP ATLANTA", "FPC CLOSED"], dtype="str"),
            "date": pd.to_datetime(["2026-11-20", "2026-11-21", "2026-11-21", "2026-11-21"]),
            "population": pd.array([1500, 1535, 195, 0], dtype="Int64"),
            "rated_capacity": pd.array([1000, 1000, 200, 128], dtype="Int64"),
            "pending_in": pd.array([10, 40, None, 0], dtype="Int64"),
            "pending_out": pd.array([5, 15, 5, 0], dtype="Int64"),
        }
    )


@pytest.fixture
def fake_load(monkeypatch):
    """The loader's canonical frame for CSV, independent of the loader's progress."""

    def load(path, kind=None, facility=None, as_of=None):
        assert kind == "facility_counts"
        return SimpleNamespace(frame=_frame(), report={})

    monkeypatch.setattr(loaders, "load", load, raising=False)


def test_json_shape(fake_load, capsys):
    assert main(["capacity", "--counts", "counts.csv", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [{k: rec[k] for k in SHEET_COLUMNS} for rec in out] == EXPECTED
    assert all(list(rec) == [*SHEET_COLUMNS, "missing"] for rec in out)
    # a blank pending count is null with its reason, never 0 (and nor is the projection built on it)
    why = "the counts file gives no pending_in for this facility"
    assert out[1]["missing"] == {"pending_in": why, "projected": why, "projected_crowding_pct": why}
    assert out[0]["missing"] == {} and out[2]["missing"] == {}
    assert all(type(rec["population"]) is int for rec in out)


def test_csv_columns(fake_load, capsys):
    assert main(["capacity", "--counts", "counts.csv", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(SHEET_COLUMNS)
    assert lines[1] == "FCI ALICEVILLE,1535,1000,54,40,15,1560,56"
    assert lines[2] == "USP ATLANTA,195,200,-2,,5,,"


def test_text_table(fake_load, capsys):
    assert main(["capacity", "--counts", "counts.csv"]) == 0
    out = capsys.readouterr().out
    assert "Capacity sheet for 2026-11-21" in out
    assert "1,535" in out and "54 %" in out and "-2 %" in out
    rows = out.splitlines()[1:]
    assert len({len(r) for r in rows[:3]}) == 1  # header, rule and first row align


def test_unusable_input_exits_2(monkeypatch, capsys):
    def load(path, kind=None, facility=None, as_of=None):
        raise loaders.LoadError("the file counts.csv has no population column.")

    monkeypatch.setattr(loaders, "load", load, raising=False)
    assert main(["capacity", "--counts", "counts.csv", "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "popdash capacity: the file counts.csv has no population column."


@pytest.mark.skipif(not hasattr(loaders, "load"), reason="the loader has not landed yet")
def test_end_to_end_with_the_real_loader(tmp_path, capsys):
    path = tmp_path / "counts.csv"
    path.write_text(CSV, encoding="utf-8")
    assert main(["capacity", "--counts", str(path), "--format", "json"]) == 0
    assert [{k: r[k] for k in SHEET_COLUMNS} for r in json.loads(capsys.readouterr().out)] == EXPECTED


@pytest.mark.skipif(not hasattr(loaders, "load"), reason="the loader has not landed yet")
def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["capacity", "--counts", str(tmp_path / "nope.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("popdash capacity: ") and "Traceback" not in err


@pytest.mark.parametrize(
    ("columns", "said"),
    [
        (("population",), ["rated_capacity", "pending_in", "pending_out"]),
        (("population", "rated_capacity"), ["pending_in", "pending_out"]),
        (("population", "rated_capacity", "pending_in", "pending_out"), []),
    ],
)
def test_absent_columns_are_null_with_a_reason(monkeypatch, capsys, columns, said):
    frame = _frame()[["line", "facility", "date", *columns]]
    monkeypatch.setattr(loaders, "load", lambda *a, **k: SimpleNamespace(frame=frame, report={}), raising=False)
    assert main(["capacity", "--counts", "counts.csv", "--format", "json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    for column in said:
        assert f"the counts file has no {column} column" in captured.err
        assert all(rec[column] is None for rec in out)
        assert all(f"the counts file has no {column} column" in rec["missing"][column] for rec in out)
    if said:
        assert all(rec["projected"] is None and "projected" in rec["missing"] for rec in out)
    else:
        # every column present: only the blank cell is said, for its facility alone
        assert (
            captured.err == "popdash capacity: no pending_in for USP ATLANTA: projected population not shown there.\n"
        )
        assert out[0]["projected"] == 1560
