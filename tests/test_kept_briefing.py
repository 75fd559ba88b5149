"""The briefing's aggregates, the daily head count, the designation pipeline, the national view, the
latest roster's occupancy and work queue kept
beside the store (reports.kept): equal to a fresh computation, the same briefing as one built from the
store, and replaced by an import."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest

import sample_data
from loaders.store import Store
from reports import designations, kept, national, roster
from reports.briefing import assemble, build_briefing, gather
from reports.projection import facility_rows
from reports.scenarios import ScenarioRuns
from tests._stores import sample_files_store

DAYS = 10


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kept-briefing-files")
    sample_data.generate(out, days=DAYS, seed=11)
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory, files) -> Store:
    out = sample_files_store(tmp_path_factory.mktemp("kept-briefing") / "store", files, rosters=DAYS - 1, logs=True)
    kept.precompute(out)
    return out


def _equal(a: object, b: object, name: str) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    else:
        assert a == b, name


def test_kept_briefing_inputs_equal_a_fresh_gathering(store: Store) -> None:
    rows = facility_rows(*kept.projection(store))
    from_kept = kept.briefing_inputs(store, rows, ScenarioRuns(()))
    fresh = gather(store, None, projection=rows, scenarios=ScenarioRuns(()))
    assert not fresh.reviews.empty and len(fresh.series) == DAYS - 1  # the findings and every day are in it
    for f in fields(fresh):
        _equal(getattr(from_kept, f.name), getattr(fresh, f.name), f.name)


def test_kept_daily_head_count_equals_the_store_count(store: Store) -> None:
    pd.testing.assert_frame_equal(kept.daily(store), store.population_by_day())


def test_briefing_from_kept_figures_says_what_the_store_says(store: Store) -> None:
    """`popdash brief` and /briefing assemble the kept inputs: every sentence and chart as built from the
    store with the same (kept) projection, as both did before the aggregates were kept."""
    rows = facility_rows(*kept.projection(store))
    from_kept = assemble(kept.briefing_inputs(store, rows, ScenarioRuns(())))
    built = build_briefing(store, None, projection=rows, scenarios=ScenarioRuns(()))
    assert from_kept.texts() == built.texts()
    for mine, theirs in zip(from_kept.slides, built.slides, strict=True):
        assert mine.figure.to_json() == theirs.figure.to_json(), mine.key


def test_an_import_replaces_the_kept_briefing(tmp_path: Path, files: Path) -> None:
    store = sample_files_store(tmp_path / "store", files, rosters=DAYS - 2, logs=True)
    before = kept.briefing_inputs(store, facility_rows(*kept.projection(store)), ScenarioRuns(()))
    last = sorted((files / "roster").glob("roster_*.csv"))[DAYS - 2]
    store.import_files([last], "population", store.facility(), allow_rejects=True, workers=1)
    after = kept.briefing_inputs(store, facility_rows(*kept.projection(store)), ScenarioRuns(()))
    assert after.as_of > before.as_of
    assert len(after.series) == len(before.series) + 1
    pd.testing.assert_frame_equal(kept.daily(store), store.population_by_day())


def test_kept_pipeline_and_national_view_equal_a_fresh_computation(store: Store) -> None:
    day = store.latest_as_of("designations")
    found = kept.pipeline(store, day)
    assert found is not None and not found.designations.empty
    fresh = designations.pipeline(store, day)
    for f in fields(fresh):
        _equal(getattr(found, f.name), getattr(fresh, f.name), f.name)
    counts, view = kept.national(store)
    fresh_counts, fresh_view = national.national(store)
    assert not view.league.empty
    _equal(counts, fresh_counts, "counts")
    for f in fields(fresh_view):
        _equal(getattr(view, f.name), getattr(fresh_view, f.name), f.name)


def test_a_pipeline_of_an_earlier_day_is_not_kept(store: Store) -> None:
    """Only the latest export's pipeline is kept: another day is the caller's to compute."""
    from datetime import timedelta

    assert kept.pipeline(store, store.latest_as_of("designations") - timedelta(days=1)) is None


def test_kept_occupancy_and_work_queue_equal_a_fresh_computation(store: Store) -> None:
    day = store.latest_as_of("population")
    view, queue = kept.capacity(store, day), kept.work(store, day)
    assert view is not None and queue is not None and not queue.items.empty
    fresh_view, fresh_queue = roster.capacity(store, day), roster.classification_work(store, day)
    for found, fresh in ((view, fresh_view), (queue, fresh_queue)):
        for f in fields(fresh):
            _equal(getattr(found, f.name), getattr(fresh, f.name), f.name)
    earlier = store.as_of_dates("population")[-2]
    assert kept.capacity(store, earlier) is None and kept.work(store, earlier) is None
