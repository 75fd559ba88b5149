"""Cached accessors: every page reads the store through here, and the figures through `reports`.

Caches are keyed on (store path, store.version()), never on big frames: the version
changes on every committed import, so a new snapshot shows at once and everything
else is computed once per store content (stack-notes.md). Frames from
`cache_resource` are shared between sessions: read them, never modify them in place.
"""

from __future__ import annotations

import functools
import os
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from loaders.config import Facility, Rules
from loaders.store import Store

if TYPE_CHECKING:
    from analytics.capacity import CapacityView
    from analytics.flags import FlagReport
    from analytics.movements import Movements
    from analytics.national import NationalView
    from analytics.pipeline import Pipeline as DesignationPipeline
    from analytics.workqueue import WorkQueue
    from reports.briefing import BriefingInputs
    from reports.scenarios import ScenarioRuns

# The figures are imported where first used: a page that shows none of them starts faster.

_SMALL = 8  # distinct store versions kept per accessor
_FRAMES = 24  # snapshots kept (kind x as-of)


_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def _open(path: str) -> Store:
    """One Store object per path for the whole server, as cache_resource would keep it, without
    cache_resource's hashing: every accessor asks for it, several dozen times a page run."""
    found = _stores.get(path)
    if found is None:
        with _stores_lock:
            found = _stores.get(path) or _stores.setdefault(path, Store(path))
    return found


def forget_stores() -> None:
    """Drop the shared Store objects, as a server start would (benchmarks of a first render)."""
    with _stores_lock:
        _stores.clear()


@functools.lru_cache(maxsize=8)
def _expanded(path: str) -> str:
    return str(Path(path).expanduser())


@st.cache_resource(
    max_entries=1, show_spinner="Building the sample data store (first start only, about two minutes)..."
)
def _default_path() -> str:
    from sample_data.demo_store import ensure_demo_store

    return str(ensure_demo_store().path)


def store_path() -> str:
    """The store in use: $POPDASH_STORE (set by `popdash serve`), else the demo store."""
    env = os.environ.get("POPDASH_STORE")
    return _expanded(env) if env else _default_path()


def store() -> Store:
    """The Store object of the store in use (shared)."""
    return _open(store_path())


def key() -> tuple[str, str]:
    """(path, version): the cache key of everything computed from the store."""
    return store_path(), store().version()


# --- plain store reads ------------------------------------------------------------


@st.cache_resource(max_entries=_SMALL)
def _facility(path: str, version: str) -> Facility:
    return _open(path).facility()


def facility() -> Facility:
    """The facility configuration in force."""
    return _facility(*key())


@st.cache_resource(max_entries=_SMALL)
def _rules(path: str, version: str) -> Rules:
    return _open(path).rules()


def rules() -> Rules:
    """The rules in force."""
    return _rules(*key())


@st.cache_resource(max_entries=_SMALL)
def _snapshots(path: str, version: str) -> pd.DataFrame:
    return _open(path).snapshots()


def snapshots() -> pd.DataFrame:
    """Every snapshot in the store (kind, as_of, source_name, sha256, row counts). Shared: do not
    modify in place."""
    return _snapshots(*key())


@st.cache_resource(max_entries=_SMALL * 5)
def _as_of_dates(path: str, version: str, kind: str) -> tuple[date, ...]:
    # A tuple, shared as it is: cache_data would unpickle a copy on each of a page's dozen calls.
    return tuple(pd.Timestamp(d).date() for d in _open(path).as_of_dates(kind))


def as_of_dates(kind: str = "population") -> list[date]:
    """The as-of dates held for one kind, oldest first."""
    return list(_as_of_dates(*key(), kind))


# (key, {kind: latest as-of}): pages ask a dozen times a run, and a cache_resource call costs
# about half a millisecond of hashing; this is a dictionary lookup. Replaced whole when the key
# moves on, so threads sharing it see the old memo or the new one.
_latest: tuple[tuple[str, str], dict[str, date | None]] = (("", ""), {})


def latest_as_of(kind: str = "population") -> date | None:
    """The latest as-of date of one kind, or None when the store holds none."""
    global _latest
    now = key()
    held, memo = _latest
    if held != now:
        memo = {}
        _latest = (now, memo)
    if kind not in memo:
        dates = _as_of_dates(*now, kind)
        memo[kind] = dates[-1] if dates else None
    return memo[kind]


@st.cache_resource(max_entries=_FRAMES)
def _frame(path: str, version: str, kind: str, as_of: date | None) -> pd.DataFrame:
    return _open(path).frame(kind, as_of=as_of)


def frame(kind: str, as_of: date | None = None) -> pd.DataFrame:
    """One snapshot (latest when as_of is None). Shared: do not modify in place."""
    if as_of is None:
        as_of = latest_as_of(kind)
        if as_of is None:
            return pd.DataFrame()
    return _frame(*key(), kind, as_of)


@st.cache_resource(max_entries=_SMALL * 2)
def _population_by_day(path: str, version: str, by: tuple[str, ...]) -> pd.DataFrame:
    if not by:  # the daily totals are kept beside the store (reports.kept.daily): read, not counted
        from reports import kept

        return kept.daily(_open(path))
    return _open(path).population_by_day(by=list(by))


def population_by_day(by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Daily population, optionally split by columns (as_of_date, *by, population)."""
    return _population_by_day(*key(), tuple(by))


@st.cache_resource(max_entries=_SMALL)
def _history(path: str, version: str, kind: str, columns: tuple[str, ...] | None) -> pd.DataFrame:
    return _open(path).history(kind, columns=list(columns) if columns else None)


def history(kind: str, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every snapshot of one kind stacked (with as_of_date). Shared: do not modify in place."""
    return _history(*key(), kind, tuple(columns) if columns else None)


@st.cache_resource(max_entries=_FRAMES)
def _explore_frame(path: str, version: str, kind: str, as_of: date) -> pd.DataFrame:
    from dashboard.components.explore_logic import derive_columns, with_required_level

    facility = _facility(path, version)
    levels = facility.unit_levels if kind in ("population", "designations", "redesignations") else {}
    raw = _frame(path, version, kind, as_of)
    derived = derive_columns(kind, raw.drop(columns=[c for c in ("line",) if c in raw.columns]), levels, as_of)
    return with_required_level(kind, derived, _rules(path, version), as_of, facility.facility.sex)


def explore_frame(kind: str, as_of: date) -> pd.DataFrame:
    """One snapshot with the derived columns /explore offers (unit level, days to release, the
    required level, ...)."""
    return _explore_frame(*key(), kind, as_of)


# --- figures from the read side (reports), computed once per store version ---------


class _CachedSource:
    """The store as the read side sees it (reports.snapshots.SnapshotSource), through the caches above."""

    def __init__(self, path: str, version: str) -> None:
        self.path, self.version = path, version

    def as_of_dates(self, kind: str = "population") -> list[date]:
        return list(_as_of_dates(self.path, self.version, kind))

    def frame(self, kind: str, as_of: date | None = None) -> pd.DataFrame:
        return _frame(self.path, self.version, kind, as_of)

    def facility(self) -> Facility:
        return _facility(self.path, self.version)

    def rules(self) -> Rules:
        return _rules(self.path, self.version)


@st.cache_resource(max_entries=_SMALL)
def _flags(path: str, version: str, as_of: date) -> FlagReport:
    from reports import kept
    from reports import roster as roster_figures

    # The two latest rosters' flags are kept beside the store (reports.kept): read, not computed.
    found = kept.flags(_open(path), as_of)
    return found if found is not None else roster_figures.flags(_CachedSource(path, version), as_of)


def flags(as_of: date) -> FlagReport:
    """The FlagReport of the roster (and same-day designations) at `as_of`."""
    return _flags(*key(), as_of)


@st.cache_resource(max_entries=_SMALL)
def _movements(path: str, version: str, as_of: date) -> Movements | None:
    from reports import kept
    from reports import roster as roster_figures

    found = kept.movements(_open(path), as_of)  # the latest day's, kept beside the store
    if found is not None:
        return found
    return roster_figures.movements(
        _CachedSource(path, version), as_of, flags_at=lambda day: _flags(path, version, day)
    )


def movements(as_of: date) -> Movements | None:
    """Movements from the previous snapshot to `as_of` (None when there is no earlier snapshot)."""
    return _movements(*key(), as_of)


@st.cache_resource(max_entries=_SMALL)
def _capacity(path: str, version: str, as_of: date) -> CapacityView:
    from reports import kept
    from reports import roster as roster_figures

    found = kept.capacity(_open(path), as_of)  # the latest roster's, kept beside the store
    return found if found is not None else roster_figures.capacity(_CachedSource(path, version), as_of)


def capacity(as_of: date) -> CapacityView:
    """Occupancy per unit, level and facility at `as_of` (analytics.capacity.CapacityView)."""
    return _capacity(*key(), as_of)


@st.cache_resource(max_entries=_SMALL)
def _pipeline(path: str, version: str, as_of: date) -> DesignationPipeline:
    from reports import designations as designation_figures
    from reports import kept

    # The latest export's pipeline is kept beside the store (reports.kept): read, not computed.
    found = kept.pipeline(_open(path), as_of)
    return found if found is not None else designation_figures.pipeline(_CachedSource(path, version), as_of)


def pipeline(as_of: date) -> DesignationPipeline:
    """The designation pipeline at a designations snapshot date (analytics.pipeline.Pipeline)."""
    return _pipeline(*key(), as_of)


@st.cache_resource(max_entries=_SMALL, show_spinner="Projecting the population (once per store version)...")
def _projection(path: str, version: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from analytics.projection import capacities, crossing_dates
    from reports import kept

    # Computed once per store version at import (or by `popdash serve` in the background) and
    # kept beside the store: a first render reads it (reports.kept.projection).
    proj, record = kept.projection(_open(path))
    return proj, record, crossing_dates(proj, capacities(_facility(path, version)))


def briefing_inputs(scenarios: ScenarioRuns) -> BriefingInputs:
    """The latest day's briefing inputs: aggregates kept beside the store (reports.kept.briefing_inputs),
    the cached projection's facility rows and `scenarios` (the planned events applied to it)."""
    from reports import kept
    from reports.projection import facility_rows

    proj, record, _ = projection()
    return kept.briefing_inputs(store(), facility_rows(proj, record), scenarios)


def projection() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Institution projection (group, key, date, mean, lo80..hi95; facility, levels, units), its track
    record per group, and the capacity crossing dates (group, key, definition, capacity, current, ...)."""
    return _projection(*key())


@st.cache_resource(max_entries=_SMALL)
def _national(path: str, version: str) -> tuple[pd.DataFrame, NationalView]:
    from reports import kept

    return kept.national(_open(path))  # kept beside the store once per store version


def national() -> tuple[pd.DataFrame, NationalView]:
    """(facility_counts snapshot, analytics.national.NationalView) of the latest national counts."""
    return _national(*key())


@st.cache_resource(max_entries=_SMALL)
def _capacity_sheet(path: str, version: str) -> pd.DataFrame:
    from reports import national as national_figures

    counts, _ = _national(path, version)
    return national_figures.sheet(counts, _open(path).facility().facility)


def capacity_sheet() -> pd.DataFrame:
    """The capacity sheet of the latest national counts (reports.national.sheet), once per store version."""
    return _capacity_sheet(*key())


@st.cache_resource(max_entries=_SMALL)
def _work_queue(path: str, version: str, as_of: date) -> WorkQueue:
    from reports import kept
    from reports import roster as roster_figures

    found = kept.work(_open(path), as_of)  # the latest roster's, kept beside the store
    if found is not None:
        return found
    # the day's flags from their own cache (kept beside the store for the latest day), not evaluated again
    return roster_figures.classification_work(_CachedSource(path, version), as_of, _flags(path, version, as_of))


def work_queue(as_of: date) -> WorkQueue:
    """Classification work overdue or coming due at `as_of` (analytics.workqueue.WorkQueue)."""
    return _work_queue(*key(), as_of)


@st.cache_resource(max_entries=_SMALL)
def _findings(path: str, version: str, as_of: date) -> pd.DataFrame:
    from analytics import findings as analytics_findings

    return analytics_findings.annotate(_frame(path, version, "findings", as_of), as_of)


def findings(as_of: date) -> pd.DataFrame:
    """The findings log at `as_of` with repeats and action status (analytics.findings.annotate), once per
    store version rather than on every rerun. Shared: do not modify in place."""
    return _findings(*key(), as_of)


def after_import() -> None:
    """An import committed: compute the kept figures of the new store version in the background,
    so the next first render reads them instead of paying for them (reports.kept)."""
    from reports import kept

    kept.start_background(store().path)
