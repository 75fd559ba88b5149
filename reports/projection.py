"""The institution projection of a store: the one place that turns snapshots into its inputs.

The /capacity page, the briefing (PDF, PPTX, /briefing) and `popdash project` all project
through `project_store`, so they show the same numbers for the same store and day.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from pandas.api.types import union_categoricals

from analytics.projection.flows import FlowParams
from analytics.projection.institution import Inputs, project_institution
from loaders.errors import PopdashError
from loaders.store import Store
from reports.snapshots import NO_POPULATION, NoSnapshotError, latest_on_or_before

PROJECTION_HORIZON = 180  # days: the /capacity page, the briefing and the store's default
HISTORY_COLUMNS = ["register_number", "unit", "security_level", "projected_release_date"]
HISTORY_CHUNK_DAYS = 61  # snapshots read at a time: two years of rosters never sit in memory as text


def lean_history(store: Store, columns: list[str], end: date | None = None) -> pd.DataFrame:
    """The roster history up to `end`, its text columns categorical (one copy of each register number).

    Read a couple of months at a time: converting the whole history to Python text at once
    cost more memory than everything else the briefing does (1.3 M rows for two years).
    """
    try:
        dates = store.as_of_dates("population")
    except AttributeError:  # a store-like reader without snapshot dates: one read
        dates = []
    days = [d for d in dates if end is None or d <= end]
    parts = []
    for i in range(0, len(days), HISTORY_CHUNK_DAYS):
        last = days[min(i + HISTORY_CHUNK_DAYS, len(days)) - 1]
        part = store.history("population", columns=columns, start=days[i], end=last)
        parts.append(part.astype({c: _categories(part[c]) for c in part.columns if _is_text(part[c])}))
    if not parts:
        # (no end when there is none: such a reader may not take one)
        return (
            store.history("population", columns=columns)
            if end is None
            else store.history("population", columns=columns, end=end)
        )
    return pd.DataFrame(
        {
            c: union_categoricals([p[c] for p in parts])
            if isinstance(parts[0][c].dtype, pd.CategoricalDtype)
            else pd.concat([p[c] for p in parts], ignore_index=True)
            for c in parts[0].columns
        }
    )


def _is_text(column: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(column.dtype) and not isinstance(column.dtype, pd.CategoricalDtype)


def _categories(column: pd.Series) -> pd.CategoricalDtype:
    # categories of the column's own dtype, so that every chunk's categories concatenate
    return pd.CategoricalDtype(pd.Index(column.dropna().unique()).astype(column.dtype))


def projection_inputs(store: Store, as_of: date | None = None) -> Inputs:
    """What was known on `as_of` (None: everything the store holds, as of its newest roster).

    With a date, every kind is read as of its latest snapshot on or before that day and the
    histories end there, so an earlier day is projected from what was known then.
    """
    latest = store.latest_as_of("population")
    if latest is None:
        raise NoSnapshotError(NO_POPULATION)
    day = latest if as_of is None else as_of
    try:
        facility = store.facility()
    except (PopdashError, OSError):  # without a facility file, units come from the roster
        facility = None

    def snapshot(kind: str) -> pd.DataFrame | None:
        when = latest_on_or_before(store, kind, day) if as_of is not None else store.latest_as_of(kind)
        return None if when is None else store.frame(kind, as_of=when)

    def history(kind: str, columns: list[str] | None = None) -> pd.DataFrame | None:
        held = latest_on_or_before(store, kind, day) if as_of is not None else store.latest_as_of(kind)
        if held is None:
            return None
        if kind == "population" and columns is not None:
            return lean_history(store, columns, as_of)
        return (
            store.history(kind, columns=columns) if as_of is None else store.history(kind, columns=columns, end=as_of)
        )

    return Inputs(
        roster=store.frame("population", as_of=day),
        as_of=pd.Timestamp(day),
        facility=facility,
        designations=snapshot("designations"),
        redesignations=snapshot("redesignations"),
        history=history("population", HISTORY_COLUMNS),
        designation_history=history("designations"),
        redesignation_history=history("redesignations"),
    )


def project_store(store: Store, horizon: int = 90, as_of: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Institution projection and its track record (analytics.projection.institution) from a store."""
    flow_params = FlowParams.from_rules(store.rules())
    return project_institution(projection_inputs(store, as_of), horizon, flow_params=flow_params)


def facility_rows(projection: pd.DataFrame, record: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The facility total of a projection (date, mean, lo80..hi95) and its track record."""
    proj = projection[projection["group"] == "facility"][["date", "mean", "lo80", "hi80", "lo95", "hi95"]]
    record = record[record["group"] == "facility"] if "group" in record.columns else record
    return proj.reset_index(drop=True), record.reset_index(drop=True)
