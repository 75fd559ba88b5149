"""Page figures built once per store version and as-of date, and shared between sessions.

Building a Plotly figure is most of what a cached page's rerun would otherwise cost (the
occupancy chart alone about 50 ms); drawing a built one is a few milliseconds. `chart()`
only reads a figure that is already literal (reports.safe_figure), so sharing is safe: never
modify a figure from here in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.pipeline import AGE_BUCKETS, redesignation_summary
from dashboard import cached
from dashboard.components import actions, charts

CAPACITY_BASES = {"rated": "rated capacity", "operational": "operational capacity"}


@st.cache_resource(max_entries=8)
def _occupancy(path: str, version: str, as_of: date, sample: bool, basis: str) -> go.Figure:
    view = cached.capacity(as_of)
    thresholds = cached.facility().thresholds
    units = view.units.rename(columns={"security_level": "level", f"{basis}_capacity": "capacity"})
    return charts.occupancy_by_unit(
        units[["unit", "level", "population", "capacity"]],
        thresholds.occupancy_warning,
        thresholds.occupancy_critical,
        as_of,
        sample,
        capacity_label=CAPACITY_BASES[basis],
    )


def occupancy(as_of: date, sample: bool, basis: str = "rated") -> go.Figure:
    """Occupancy by unit against rated or operational capacity (`basis`), with the facility's thresholds."""
    return _occupancy(*cached.key(), as_of, sample, basis)


@dataclass(frozen=True)
class ActionLists:
    """The lists at the top of /morning that depend on the store only (not on today's date)."""

    high_flags: pd.DataFrame
    overdue: pd.DataFrame
    rejected_per_file: pd.DataFrame
    rejected_per_row: pd.DataFrame


@st.cache_resource(max_entries=8)
def _action_lists(path: str, version: str, as_of: date) -> ActionLists:
    snaps = cached.snapshots()
    day = snaps[pd.to_datetime(snaps["as_of"]).dt.date == as_of]
    store = cached.store()
    reports = {(k, as_of): store.report(k, as_of) for k in day.loc[day["rows_rejected"] > 0, "kind"]}
    per_file, per_row = actions.rejected_rows(snaps, reports, as_of)
    return ActionLists(
        high_flags=actions.high_flags(cached.flags(as_of).flags),
        overdue=actions.overdue_items(cached.work_queue(as_of).items),
        rejected_per_file=per_file,
        rejected_per_row=per_row,
    )


def action_lists(as_of: date) -> ActionLists:
    """High-severity flags, overdue work and the rows rejected in the as-of date's imports."""
    return _action_lists(*cached.key(), as_of)


AGES = list(AGE_BUCKETS)  # days waiting, the pipeline's own buckets


@dataclass(frozen=True)
class DesignationFigures:
    """/designations' charts for one designations export."""

    status_age: go.Figure
    level_age: go.Figure | None  # None: no pending designation
    transfers: dict[str, go.Figure | None]  # "IN" / "OUT"; None: no request that way
    projection: go.Figure


@st.cache_resource(max_entries=8)
def _designations(path: str, version: str, as_of: date, sample: bool) -> DesignationFigures:
    p = cached.pipeline(as_of)
    status_age = charts.heatmap(
        p.by_status_age.set_index("status")[AGES],
        p.as_of,
        sample,
        title="Pending designations by status and days waiting",
    )
    long = p.by_level_age.melt(
        id_vars="security_level", value_vars=AGES, var_name="days waiting", value_name="designations"
    )
    long = long[long["designations"] > 0]
    level_age = None
    if not long.empty:
        level_age = charts.count_bars(
            long,
            x="days waiting",
            value="designations",
            colour="security_level",
            as_of=p.as_of,
            sample=sample,
            title="Pending designations by scored level and days waiting",
        ).update_xaxes(categoryorder="array", categoryarray=AGES)
    transfers = _transfer_figures(p.redesignations, p.as_of, sample)
    projection = charts.projected_by_level(p.projection, p.as_of, sample)
    return DesignationFigures(status_age, level_age, transfers, projection)


def designations(as_of: date, sample: bool) -> DesignationFigures:
    """The charts of /designations for the designations export of `as_of`."""
    return _designations(*cached.key(), as_of, sample)


def _transfer_figures(summary: pd.DataFrame, as_of: date, sample: bool) -> dict[str, go.Figure | None]:
    """Transfer requests in and out by type and status (analytics.pipeline.redesignation_summary)."""
    figures: dict[str, go.Figure | None] = {}
    for direction, title in (("IN", "In: to this institution"), ("OUT", "Out: from this institution")):
        part = summary[summary["direction"] == direction]
        figures[direction] = (
            None
            if part.empty
            else charts.count_bars(
                part.rename(columns={"transfer_type": "transfer type", "count": "requests"}),
                x="transfer type",
                value="requests",
                colour="status",
                as_of=as_of,
                sample=sample,
                horizontal=True,
                title=title,
            )
        )
    return figures


@dataclass(frozen=True)
class Transfers:
    """The transfer requests of one redesignations export, without a designations export beside it."""

    as_of: date
    summary: pd.DataFrame  # analytics.pipeline.redesignation_summary
    figures: dict[str, go.Figure | None]


@st.cache_resource(max_entries=8)
def _transfers(path: str, version: str, as_of: date, sample: bool) -> Transfers:
    summary = redesignation_summary(cached.frame("redesignations", as_of))
    return Transfers(as_of, summary, _transfer_figures(summary, as_of, sample))


def transfers(as_of: date, sample: bool) -> Transfers:
    """The transfer requests of the redesignations export of `as_of`, counted and charted."""
    return _transfers(*cached.key(), as_of, sample)


@dataclass(frozen=True)
class NationalFigures:
    """/national's charts of the latest agency counts."""

    levels: go.Figure
    regions: go.Figure
    level_trend: go.Figure


@st.cache_resource(max_entries=8)
def _national(path: str, version: str, sample: bool) -> NationalFigures:
    _, view = cached.national()
    latest = pd.Timestamp(view.latest_date)
    lv = view.by_level[view.by_level["date"] == latest].rename(columns={"security_level": "level"})
    rg = view.by_region[view.by_region["date"] == latest].sort_values("population", ascending=False)
    return NationalFigures(
        levels=charts.level_mix(
            lv[["level", "population"]], view.latest_date, sample, title="Population by facility security level"
        ),
        regions=charts.count_bars(
            rg,
            x="region",
            value="population",
            as_of=view.latest_date,
            sample=sample,
            horizontal=True,
            title="Population by region",
        ),
        level_trend=charts.lines_by(
            view.by_level,
            "date",
            "population",
            "security_level",
            view.latest_date,
            sample,
            title="Population by facility security level over time",
        ),
    )


def national(sample: bool) -> NationalFigures:
    """The level mix, regions and level trend of the latest facility counts."""
    return _national(*cached.key(), sample)


@st.cache_resource(max_entries=16)
def _facility_trends(path: str, version: str, picked: tuple[str, ...], sample: bool) -> go.Figure:
    _, view = cached.national()
    sel = view.trends[view.trends["facility"].isin(picked)]
    return charts.lines_by(
        sel, "date", "population", "facility", view.latest_date, sample, title="Population per facility"
    )


def facility_trends(picked: list[str], sample: bool) -> go.Figure:
    """Population over time of the facilities picked on /national."""
    return _facility_trends(*cached.key(), tuple(picked), sample)
