"""Cached accessors: every page reads the store through here.

Caches are keyed on (store path, store.version()), never on big frames: the version
changes on every committed import, so a new snapshot shows at once and everything
else is computed once per store content (stack-notes.md). Frames from
`cache_resource` are shared between sessions: read them, never modify them in place.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from loaders.store import Store

_SMALL = 8      # distinct store versions kept per accessor
_FRAMES = 24    # snapshots kept (kind x as-of)


@st.cache_resource(max_entries=4)
def _open(path: str) -> Store:
    return Store(path)


@st.cache_resource(max_entries=1, show_spinner="Building the sample data store (first start only, about two minutes)...")
def _default_path() -> str:
    from loaders.store import ensure_demo_store

    return str(ensure_demo_store().path)


def store_path() -> str:
    """The store in use: $POPDASH_STORE (set by `popdash serve`), else the demo store."""
    env = os.environ.get("POPDASH_STORE")
    return str(Path(env).expanduser()) if env else _default_path()


def store() -> Store:
    """The Store object of the store in use (shared)."""
    return _open(store_path())


def key() -> tuple[str, str]:
    """(path, version): the cache key of everything computed from the store."""
    return store_path(), store().version()


# --- plain store reads ------------------------------------------------------------

@st.cache_resource(max_entries=_SMALL)
def _facility(path: str, version: str):
    return _open(path).facility()


def facility():
    """The facility configuration in force."""
    return _facility(*key())


@st.cache_resource(max_entries=_SMALL)
def _rules(path: str, version: str):
    return _open(path).rules()


def rules():
    """The rules in force."""
    return _rules(*key())


@st.cache_data(max_entries=_SMALL, show_spinner=False)
def _snapshots(path: str, version: str) -> pd.DataFrame:
    return _open(path).snapshots()


def snapshots() -> pd.DataFrame:
    """Every snapshot in the store (kind, as_of, source_name, sha256, row counts)."""
    return _snapshots(*key())


@st.cache_data(max_entries=_SMALL, show_spinner=False)
def _as_of_dates(path: str, version: str, kind: str) -> list[date]:
    return [pd.Timestamp(d).date() for d in _open(path).as_of_dates(kind)]


def as_of_dates(kind: str = "population") -> list[date]:
    """The as-of dates held for one kind, oldest first."""
    return _as_of_dates(*key(), kind)


def latest_as_of(kind: str = "population") -> date | None:
    """The latest as-of date of one kind, or None when the store holds none."""
    dates = as_of_dates(kind)
    return max(dates) if dates else None


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
    return _open(path).population_by_day(by=list(by) or None)


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
    from dashboard.components.explore_logic import derive_columns

    levels = _facility(path, version).unit_levels if kind in ("population", "designations", "redesignations") else {}
    raw = _frame(path, version, kind, as_of)
    return derive_columns(kind, raw.drop(columns=[c for c in ("line",) if c in raw.columns]), levels, as_of)


def explore_frame(kind: str, as_of: date) -> pd.DataFrame:
    """One snapshot with the derived columns /explore offers (unit level, days to release, ...)."""
    return _explore_frame(*key(), kind, as_of)


# --- analytics, computed once per store version ------------------------------------

def _on_or_before(path: str, version: str, kind: str, as_of: date) -> date | None:
    dates = [d for d in _as_of_dates(path, version, kind) if d <= as_of]
    return max(dates) if dates else None


@st.cache_resource(max_entries=_SMALL)
def _flags(path: str, version: str, as_of: date):
    from analytics.flags import evaluate_flags

    roster = _frame(path, version, "population", as_of)
    d = _on_or_before(path, version, "designations", as_of)
    desig = _frame(path, version, "designations", d) if d == as_of else None
    return evaluate_flags(roster, _facility(path, version), _rules(path, version), as_of, designations=desig)


def flags(as_of: date):
    """The FlagReport of the roster (and same-day designations) at `as_of`."""
    return _flags(*key(), as_of)


@st.cache_resource(max_entries=_SMALL)
def _movements(path: str, version: str, as_of: date):
    from analytics.movements import compare_snapshots

    before = [d for d in _as_of_dates(path, version, "population") if d < as_of]
    if not before:
        return None
    prev = max(before)
    r = _on_or_before(path, version, "redesignations", as_of)
    f0, f1 = _flags(path, version, prev).flags, _flags(path, version, as_of).flags
    desig = set(_as_of_dates(path, version, "designations"))
    if not {prev, as_of} <= desig:
        # DESIG-LEVEL needs that day's designations: compared on one side only it would
        # show every inbound mismatch as new (or cleared).
        f0, f1 = f0[f0["rule"] != "DESIG-LEVEL"], f1[f1["rule"] != "DESIG-LEVEL"]
    return compare_snapshots(
        _frame(path, version, "population", prev), _frame(path, version, "population", as_of),
        redesignations=_frame(path, version, "redesignations", r) if r else None,
        flags_before=f0, flags_after=f1,
        as_of_before=prev, as_of_after=as_of,
    )


def movements(as_of: date):
    """Movements from the previous snapshot to `as_of` (None when there is no earlier snapshot)."""
    return _movements(*key(), as_of)


@st.cache_resource(max_entries=_SMALL)
def _capacity(path: str, version: str, as_of: date):
    from analytics.capacity import capacity_view

    return capacity_view(_frame(path, version, "population", as_of), _facility(path, version))


def capacity(as_of: date):
    """Occupancy per unit, level and facility at `as_of` (analytics.capacity.CapacityView)."""
    return _capacity(*key(), as_of)


@st.cache_resource(max_entries=_SMALL)
def _pipeline(path: str, version: str, as_of: date):
    from analytics.pipeline import designation_pipeline

    p = _on_or_before(path, version, "population", as_of)
    r = _on_or_before(path, version, "redesignations", as_of)
    roster = _frame(path, version, "population", p) if p else pd.DataFrame(
        {"register_number": pd.Series(dtype="str"), "security_level": pd.Series(dtype="str")})
    return designation_pipeline(roster, _frame(path, version, "designations", as_of),
                                _frame(path, version, "redesignations", r) if r else None,
                                _facility(path, version), _rules(path, version), as_of)


def pipeline(as_of: date):
    """The designation pipeline at a designations snapshot date (analytics.pipeline.Pipeline)."""
    return _pipeline(*key(), as_of)


PROJECTION_HORIZON = 180


@st.cache_resource(max_entries=_SMALL, show_spinner="Projecting the population (once per store version)...")
def _projection(path: str, version: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from analytics.projection import capacities, crossing_dates
    from popdash.commands.project import project_store

    proj, record = project_store(_open(path), PROJECTION_HORIZON)
    return proj, record, crossing_dates(proj, capacities(_facility(path, version)))


def projection() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Institution projection (group, key, date, mean, lo80..hi95; facility, levels, units), its track
    record per group, and the capacity crossing dates (group, key, definition, capacity, current, ...)."""
    return _projection(*key())


@st.cache_resource(max_entries=_SMALL)
def _national(path: str, version: str):
    from analytics.national import national_view
    from loaders.reference import facility_list, resolve_facilities

    counts = _frame(path, version, "facility_counts", _as_of_dates(path, version, "facility_counts")[-1])
    home = _facility(path, version).facility
    # Counts imported before the store had its facility carry no code for the home facility's
    # own name; resolve it now so the home facility is not listed as unmatched.
    code = counts["facility_code"] if "facility_code" in counts.columns else pd.Series(pd.NA, index=counts.index)
    counts = counts.assign(facility_code=code.fillna(resolve_facilities(counts["facility"], home)))
    return counts, national_view(counts, facility_list(), home)


def national():
    """(facility_counts snapshot, analytics.national.NationalView) of the latest national counts."""
    return _national(*key())


@st.cache_resource(max_entries=_SMALL)
def _work_queue(path: str, version: str, as_of: date):
    from analytics.workqueue import work_queue as build

    return build(_frame(path, version, "population", as_of), _rules(path, version), as_of)


def work_queue(as_of: date):
    """Classification work overdue or coming due at `as_of` (analytics.workqueue.WorkQueue)."""
    return _work_queue(*key(), as_of)
