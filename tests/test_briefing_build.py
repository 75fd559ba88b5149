"""Gathering the briefing from a store: aggregates only, and sensible on a store that is just starting."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from reports.briefing import BriefingError, build_briefing

PERSONAL = {"register_number", "last_name", "first_name", "birth_date", "case_manager", "quarters", "line"}


@pytest.fixture(scope="module")
def young_store(tmp_path_factory):
    """A store holding two days of rosters and nothing else."""
    import sample_data
    from loaders.store import Store

    src = tmp_path_factory.mktemp("young-src")
    sample_data.generate(src, days=2, seed=5)
    store = Store(tmp_path_factory.mktemp("young") / "store")
    rosters = sorted((src / "roster").glob("roster_*.csv"))
    outcomes = store.import_files(rosters, "population", src / "facility.toml", allow_rejects=True)
    assert {o.status for o in outcomes} == {"imported"}
    return store


def test_inputs_hold_aggregates_only(briefing_inputs):
    inputs = briefing_inputs
    for f in dataclasses.fields(inputs):
        value = getattr(inputs, f.name)
        if isinstance(value, pd.DataFrame):
            assert not PERSONAL & set(value.columns), f.name
        if isinstance(value, pd.Series):
            assert value.index.name in (None, "required_level"), f.name
    assert set(inputs.level_counts.index) <= {"MINIMUM", "LOW", "MEDIUM", "HIGH", "UNASSIGNED"}
    assert int(inputs.level_counts.sum()) == int(inputs.series["population"].iloc[-1])


def test_level_counts_are_required_levels(briefing_inputs, page_store):
    """The mix counts R(i) (flags engine's levels), not the roster's scored level."""
    from analytics import briefing as briefing_figures
    from loaders.store import Store

    store = Store(page_store)
    roster = store.frame("population", as_of=briefing_inputs.as_of)
    fac = store.facility()
    expected = briefing_figures.required_level_counts(roster, store.rules(), briefing_inputs.as_of, fac.facility.sex)
    assert briefing_inputs.level_counts.to_dict() == expected.to_dict()
    scored = roster["security_level"].value_counts()
    # sample PSFs lift scored-MINIMUM inmates to LOW: fewer at MINIMUM than scored there
    assert briefing_inputs.level_counts["MINIMUM"] < scored["MINIMUM"]
    assert briefing_inputs.level_counts.get("UNASSIGNED", 0) == scored.get("UNASSIGNED", 0)


def test_young_store_briefing(young_store):
    b = build_briefing(young_store)
    assert [s.key for s in b.slides] == ["population", "levels", "pipeline", "reviews"]
    assert b.takeaways[0].startswith("Population ") and "on last week" not in b.takeaways[0]
    # no export is not zero pending, and no findings log is not zero findings
    assert b.takeaways[2] == (
        "Pending moves not shown: no designations export in the store; no redesignations export in the store."
    )
    assert b.takeaways[3] == "Program Review findings not shown: no findings log export in the store."
    assert not [t for s in b.slides[2:] for t in s.figure.data if t.type == "bar"]
    assert b.track_figure is None and b.track_line.startswith("No track record yet")
    assert "The bands are assumed, not measured." in b.track_line
    bands = [t.name for t in b.slides[0].figure.data if "range" in (t.name or "")]
    assert bands and all("assumed" in n for n in bands)
    assert b.sources == (f"population export of {b.as_of.day} {b.as_of:%b %Y}",)
    assert not b.is_sample and "SAMPLE" not in " ".join(b.texts())


def test_as_of_must_be_a_snapshot_date(young_store):
    dates = young_store.as_of_dates("population")
    assert build_briefing(young_store, dates[0]).as_of == dates[0]
    with pytest.raises(BriefingError, match=r"^the store has no population snapshot for 1 Jan 2020; it holds "):
        build_briefing(young_store, date(2020, 1, 1))


def test_empty_store(tmp_path: Path):
    from loaders.store import Store

    with pytest.raises(BriefingError, match="no population snapshot yet; import a roster first"):
        build_briefing(Store(tmp_path / "empty"))
