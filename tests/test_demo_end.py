"""The demo store ends on the day it is built; the sample data stay deterministic for a seed and a date."""

from __future__ import annotations

import os
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

import sample_data
from sample_data.demo_store import ensure_demo_store


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.csv"))}


@pytest.mark.parametrize("end", [date(2026, 11, 21), date(2027, 2, 28), date(2028, 2, 29)])
def test_same_seed_and_end_give_the_same_files(tmp_path, end):
    a, b = tmp_path / "a", tmp_path / "b"
    summary = sample_data.generate(a, days=3, seed=4, end=end)
    sample_data.generate(b, days=3, seed=4, end=end)
    assert _files(a) == _files(b)
    assert summary["end"] == end.isoformat()
    rosters = sorted(p.name for p in (a / "roster").glob("roster_*.csv"))
    assert rosters[-1] == f"roster_{end.isoformat()}.csv"
    assert rosters[0] == f"roster_{(end - timedelta(days=2)).isoformat()}.csv"


def test_another_end_moves_every_date(tmp_path):
    sample_data.generate(tmp_path / "a", days=3, seed=4, end=date(2026, 11, 21))
    sample_data.generate(tmp_path / "b", days=3, seed=4, end=date(2026, 12, 1))
    assert (tmp_path / "b" / "designations_2026-12-01.csv").exists()
    assert not (tmp_path / "b" / "designations_2026-11-21.csv").exists()


def test_the_demo_store_ends_today(tmp_path):
    store = ensure_demo_store(tmp_path / "demo", days=2, seed=4)
    today = date.today()
    assert store.latest_as_of("population") == today
    assert store.latest_as_of("designations") == today
    assert store.as_of_dates("population") == [today - timedelta(days=1), today]


def test_a_demo_store_built_on_an_earlier_day_is_rebuilt(tmp_path):
    demo = tmp_path / "demo"
    first = ensure_demo_store(demo, days=2, seed=4)
    version = first.version()
    assert ensure_demo_store(demo, days=2, seed=4).version() == version  # same day: reused
    yesterday = time.time() - 86400 - 60
    os.utime(demo / "SAMPLE", (yesterday, yesterday))
    again = ensure_demo_store(demo, days=2, seed=4)
    assert again.version() != version
    assert again.latest_as_of("population") == date.today()
