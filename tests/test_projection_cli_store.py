"""popdash project --store: the institution projection through the command line."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import loaders.store
import popdash.store_option
from loaders.config import load_facility, load_rules
from popdash.cli import main
from tests.conftest import SAMPLE_FACILITY

AS_OF = pd.Timestamp("2026-03-01")


class FakeStore:
    """The part of the Store interface the projection reads, over hand-made frames."""

    def __init__(self, path, empty=False):
        days = pd.date_range(AS_OF - pd.Timedelta(days=20), AS_OF)
        rows = [
            {
                "as_of_date": d,
                "register_number": f"{10000 + i}-001",
                "unit": "A1",
                "security_level": "MEDIUM",
                "projected_release_date": AS_OF + pd.Timedelta(days=3) if i == 0 else pd.NaT,
            }
            for d in days
            for i in range(5)
        ]
        self.hist = pd.DataFrame(rows).iloc[:0] if empty else pd.DataFrame(rows)
        self.is_sample = True

    def latest_as_of(self, kind="population"):
        return AS_OF.date() if kind == "population" and len(self.hist) else None

    def facility(self):
        return load_facility(SAMPLE_FACILITY)

    def rules(self):
        return load_rules()

    def history(self, kind="population", columns=None):
        return self.hist

    def frame(self, kind, as_of=None):
        return self.hist[self.hist["as_of_date"] == AS_OF].drop(columns="as_of_date")


@pytest.fixture
def fake_store(monkeypatch):
    monkeypatch.setattr(loaders.store, "Store", FakeStore)
    monkeypatch.setattr(popdash.store_option, "Store", FakeStore)


def test_store_projection_json(fake_store, tmp_path, capsys):
    assert main(["project", "--store", str(tmp_path), "--horizon", "7", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["date"] for r in rows] == [f"2026-03-0{d}" for d in range(2, 9)]
    assert {r["facility"] for r in rows} == {"FCC Example"}
    assert [r["mean"] for r in rows][:4] == [5.0, 5.0, 4.0, 4.0]  # one release on day 3, no drift


def test_store_projection_text_says_sample(fake_store, tmp_path, capsys):
    assert main(["project", "--store", str(tmp_path), "--horizon", "3"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "SAMPLE DATA" and "FCC Example" in out


def test_missing_store_exits_2(tmp_path, capsys):
    assert main(["project", "--store", str(tmp_path / "nowhere")]) == 2
    assert "no store at" in capsys.readouterr().err


def test_store_without_roster_exits_2(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(loaders.store, "Store", lambda path: FakeStore(path, empty=True))
    assert main(["project", "--store", str(tmp_path)]) == 2
    assert "no population snapshot" in capsys.readouterr().err


def test_series_and_store_together_exit_2(tmp_path, capsys):
    assert main(["project", "--store", str(tmp_path), "--series", str(tmp_path / "x.csv")]) == 2
    assert "either --series or --store" in capsys.readouterr().err


def test_roster_only_store_says_what_is_missing_and_that_bands_are_assumed(fake_store, tmp_path, capsys):
    """One export and a 20-day history: no designations, no scored backtest origin."""
    assert main(["project", "--store", str(tmp_path), "--horizon", "7", "--format", "json"]) == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert {r["bands"] for r in rows} == {"assumed"}
    assert "popdash project: no designations export in the store: projected without its pending moves." in captured.err
    assert "no redesignations export in the store" in captured.err
    assert "No track record yet" in captured.err and "The bands are assumed, not measured." in captured.err
