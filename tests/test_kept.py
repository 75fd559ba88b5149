"""Figures kept beside the store (reports.kept, loaders.kept): read when the version matches,
recomputed when an import changes it, equal to a fresh computation, never trusted half-written."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest

import sample_data
from loaders.kept import kept_names, kept_path, read_kept, write_kept
from loaders.store import Store
from reports import kept
from reports import roster as roster_figures
from reports.projection import PROJECTION_HORIZON, project_store
from tests._stores import sample_files_store

DAYS = 12


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kept-files")
    sample_data.generate(out, days=DAYS, seed=5)
    return out


@pytest.fixture(scope="module")
def kept_store(tmp_path_factory, files) -> Store:
    """A store of all but the last roster, its figures kept once."""
    store = sample_files_store(tmp_path_factory.mktemp("kept") / "store", files, rosters=DAYS - 1)
    assert sorted(kept.precompute(store)) == sorted(kept.NAMES)
    return store


def test_kept_equal_a_fresh_computation(kept_store: Store) -> None:
    version = kept_store.version()
    assert sorted(kept_names(kept_store.path, version)) == sorted(kept.NAMES)
    proj, record = kept.projection(kept_store)
    fresh_proj, fresh_record = project_store(kept_store, PROJECTION_HORIZON)
    pd.testing.assert_frame_equal(proj, fresh_proj)
    pd.testing.assert_frame_equal(record, fresh_record)
    for day in kept_store.as_of_dates("population")[-2:]:
        got = kept.flags(kept_store, day)
        fresh = roster_figures.flags(kept_store, day)
        assert got is not None
        pd.testing.assert_frame_equal(got.flags, fresh.flags)
        assert (got.skipped, got.warnings) == (fresh.skipped, fresh.warnings)
    latest = kept_store.as_of_dates("population")[-1]
    moved, fresh_moved = kept.movements(kept_store, latest), roster_figures.movements(kept_store, latest)
    assert moved is not None and fresh_moved is not None
    for f in fields(fresh_moved):
        got, want = getattr(moved, f.name), getattr(fresh_moved, f.name)
        if isinstance(want, pd.DataFrame):
            pd.testing.assert_frame_equal(got, want)
        else:
            assert got == want, f.name
    # An older roster's flags are not kept: the caller computes them.
    assert kept.flags(kept_store, kept_store.as_of_dates("population")[0]) is None


def test_kept_results_are_read_when_the_version_matches(kept_store: Store, monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("computed again although kept for this version")

    monkeypatch.setattr("reports.projection.project_store", fail)
    monkeypatch.setattr("reports.roster.flags", fail)
    monkeypatch.setattr("reports.roster.movements", fail)
    proj, _ = kept.projection(kept_store)
    assert not proj.empty
    assert kept.flags(kept_store, kept_store.as_of_dates("population")[-1]) is not None
    assert kept.movements(kept_store, kept_store.as_of_dates("population")[-1]) is not None
    assert kept.precompute(kept_store) == []


def test_kept_files_have_the_store_database_permissions(kept_store: Store) -> None:
    mode = stat.S_IMODE(kept_store.db.stat().st_mode)
    for name in kept.NAMES:
        assert stat.S_IMODE(kept_path(kept_store.path, name, kept_store.version()).stat().st_mode) == mode


def test_an_import_changes_the_kept_results(tmp_path, files) -> None:
    store = sample_files_store(tmp_path / "store", files, rosters=DAYS - 1)
    kept.precompute(store)
    before_version = store.version()
    before, _ = kept.projection(store)
    last = sorted((files / "roster").glob("roster_*.csv"))[-1]
    # The command line's import keeps the new version's figures before it returns.
    from popdash.cli import main

    assert main(["import", str(last), "--kind", "population", "--store", str(store.path), "--allow-rejects"]) == 0
    after_version = store.version()
    assert after_version != before_version
    assert sorted(kept_names(store.path, after_version)) == sorted(kept.NAMES)
    assert kept_names(store.path, before_version) == []  # the old version's files are gone
    after, _ = kept.projection(store)
    fresh, _ = project_store(store, PROJECTION_HORIZON)
    pd.testing.assert_frame_equal(after, fresh)
    assert after["date"].min() > before["date"].min()  # projected from the newer roster


def test_a_damaged_kept_file_is_not_trusted(tmp_path, kept_store: Store) -> None:
    store = Store(shutil.copytree(kept_store.path, tmp_path / "copy"))
    target = kept_path(store.path, "projection", store.version())
    whole = target.read_bytes()
    target.write_bytes(whole[: len(whole) // 2])  # as a writer killed mid-file would, were it not renamed
    assert read_kept(store.path, "projection", store.version()) is None
    assert not target.exists()
    proj, _ = kept.projection(store)  # computed again, and kept again
    pd.testing.assert_frame_equal(proj, project_store(store, PROJECTION_HORIZON)[0])
    assert read_kept(store.path, "projection", store.version()) is not None


def test_a_file_of_another_version_is_not_read(tmp_path) -> None:
    frame = pd.DataFrame({"a": [1, 2]})
    write_kept(tmp_path, "projection", "v1", {"f": frame})
    assert read_kept(tmp_path, "projection", "v2") is None
    # Renamed to the other version's name: its own meta.json still says v1.
    kept_path(tmp_path, "projection", "v1").rename(kept_path(tmp_path, "projection", "v2"))
    assert read_kept(tmp_path, "projection", "v2") is None


@pytest.mark.parametrize("delay", [0.5, 2.0])
def test_a_killed_precompute_leaves_nothing_trusted_that_is_wrong(tmp_path, kept_store: Store, delay: float) -> None:
    store = Store(shutil.copytree(kept_store.path, tmp_path / "copy", ignore=shutil.ignore_patterns("kept")))
    proc = subprocess.Popen([sys.executable, "-m", "reports.kept", str(store.path)])
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    version = store.version()
    # Whatever was kept before the kill reads whole and is right.
    found = read_kept(store.path, "projection", version)
    if found is not None:
        pd.testing.assert_frame_equal(found.frames["projection"], project_store(store, PROJECTION_HORIZON)[0])
    found = read_kept(store.path, "flags", version)
    if found is not None:
        day = store.as_of_dates("population")[-1]
        pd.testing.assert_frame_equal(found.frames[day.isoformat()], roster_figures.flags(store, day).flags)
    # The next reader computes what is missing, and a dead writer's temporary file goes.
    proj, _ = kept.projection(store)
    pd.testing.assert_frame_equal(proj, project_store(store, PROJECTION_HORIZON)[0])
    kept.precompute(store)
    assert not [p for p in (store.path / "kept").iterdir() if p.name.endswith(".tmp")]


def test_precompute_of_a_store_without_a_roster_keeps_nothing(tmp_path) -> None:
    store = Store(tmp_path / "empty")
    assert kept.precompute(store) == []
    assert not (store.path / "kept").exists()
    assert os.listdir(store.path)  # the database itself is there


def test_serve_starts_the_precompute_in_the_background(tmp_path, kept_store: Store) -> None:
    from popdash.commands.serve import _precompute_in_background

    store = Store(shutil.copytree(kept_store.path, tmp_path / "copy", ignore=shutil.ignore_patterns("kept")))
    started = time.monotonic()
    _precompute_in_background(store.path)
    assert time.monotonic() - started < 10  # the server is not kept waiting
    deadline = time.monotonic() + 300
    while sorted(kept_names(store.path, store.version())) != sorted(kept.NAMES) and time.monotonic() < deadline:
        time.sleep(0.2)
    # Both written; read only once whole (the lock is released after the rename).
    with_lock_free = [read_kept(store.path, n, store.version()) for n in kept.NAMES]
    assert all(k is not None for k in with_lock_free)
