"""/national counts a facility once however its name is spelled, and knows the home facility."""

from __future__ import annotations

from pathlib import Path

import pytest
from pages_helpers import assert_clean, page_text, run_page

from loaders.store import Store

FACILITY = Path(__file__).resolve().parent.parent / "sample_data" / "facility.toml"
COUNTS = """facility,date,population,rated_capacity
FCI ALICEVILLE,2026-11-19,990,960
FCI ALICEVILLE,2026-11-20,1000,960
Aliceville,2026-11-20,1000,960
FCI ATLANTA,2026-11-20,1800,2000
FCC Example,2026-11-20,1700,1856
"""


@pytest.fixture()
def counts_store(tmp_path, monkeypatch):
    store = Store(tmp_path / "store")
    store.set_facility(FACILITY)
    src = tmp_path / "facility_counts_2026-11-20.csv"
    src.write_text(COUNTS)
    store.import_file(src, kind="facility_counts")
    monkeypatch.setenv("POPDASH_STORE", str(store.path))
    return store


def _metric(at, label):
    return next(m for m in at.metric if m.label == label).value


def test_two_spellings_of_one_facility_count_once(counts_store):
    at = run_page("national")
    assert_clean(at)
    assert _metric(at, "Population, all facilities") == "4,500"  # Aliceville once, not twice
    assert _metric(at, "Facilities counted") == "3"
    assert "match nothing in the reference list" not in page_text(at)  # FCC Example is the home facility
    league = next(d.value for d in at.dataframe if "rank" in d.value.columns)
    assert sorted(league["population"].tolist()) == [1000, 1700, 1800]
