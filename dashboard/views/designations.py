"""/designations: who is coming (by status, age and level), inbound level mismatches, transfers both
ways, and the population that leaves us with against rated capacity."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from dashboard import cached as data
from dashboard import cached_figures
from dashboard.components import source_notes
from dashboard.components.safe_text import md
from dashboard.components.tables import projection_table
from dashboard.components.widgets import chart, empty, page_start, section, table, wrapped_table
from reports.definitions import LEVEL_LABELS, PENDING_MEANINGS, other_levels, other_pending
from reports.sources import sentence
from reports.theme import fmt_date, fmt_int, fmt_signed

if TYPE_CHECKING:
    import plotly.graph_objects as go
    from streamlit.delta_generator import DeltaGenerator

    from analytics.pipeline import Pipeline


def _headline(p: Pipeline, redes_gap: str | None) -> None:
    fac_row = p.projection[p.projection["security_level"] == "FACILITY"].iloc[0]
    c = st.columns(5)
    c[0].metric("Pending designations", fmt_int(len(p.designations)), border=True)
    c[1].metric("Waiting over 60 days", fmt_int(int((p.designations["age_bucket"] == "over 60").sum())), border=True)
    c[2].metric(
        "Level mismatches",
        fmt_int(len(p.desig_flags)),
        border=True,
        help="DESIG-LEVEL: required level above the institution's highest unit level, with no MGTV.",
    )
    _pending_transfers(c[3], p.redesignations, redes_gap)
    c[4].metric(
        "Projected population",
        fmt_int(fac_row["projected"]),
        border=True,
        delta=f"{fmt_signed(fac_row['projected'] - fac_row['current'])} on today's {fmt_int(fac_row['current'])}",
        delta_arrow="off",
        delta_color="off",
    )


def _pending_transfers(box: DeltaGenerator, summary: pd.DataFrame, redes_gap: str | None) -> None:
    """Transfer requests pending, in and out; "not known" without a redesignations export in force."""
    if redes_gap is not None:  # unknown, not zero
        box.metric("Transfer requests pending", "not known", border=True, help=sentence(redes_gap))
        return
    pending = summary[summary["pending"]]
    box.metric(
        "Transfer requests pending",
        fmt_int(int(pending["count"].sum())),
        border=True,
        delta=" · ".join(
            f"{int(pending.loc[pending['direction'] == d, 'count'].sum())} {d.lower()}" for d in ("IN", "OUT")
        ),
        delta_arrow="off",
        delta_color="off",
    )


def _ages(p: Pipeline, sample: bool) -> None:
    figures = cached_figures.designations(p.as_of, sample)
    left, right = st.columns(2, gap="large")
    with left:
        chart(figures.status_age, key="desig_status_age")
    with right:
        if figures.level_age is None:
            empty("No pending designation.")
        else:
            chart(figures.level_age, key="desig_level_age")


def _mismatches(p: Pipeline) -> None:
    st.subheader(f"Inbound level mismatches (DESIG-LEVEL): {fmt_int(len(p.desig_flags))}")
    if p.desig_flags.empty:
        st.success("Every pending designation fits a level this institution holds.", icon=":material/check_circle:")
        return
    # A short list wraps its explanations instead of cutting them off; a long one scrolls.
    wrapped_table(
        p.desig_flags[["register_number", "explanation"]],
        {"register_number": "Register no."},
        config={
            "register_number": "Register no.",
            "explanation": st.column_config.TextColumn("Explanation", width="large"),
        },
    )


def _redesignations(summary: pd.DataFrame, figures: dict[str, go.Figure | None], redes_gap: str | None) -> None:
    st.subheader("Redesignations (transfer requests)")
    if summary.empty:
        empty(sentence(redes_gap) if redes_gap else "The redesignations export holds no transfer request.")
        return
    cols = st.columns(2, gap="large")
    for box, direction in zip(cols, ("IN", "OUT")):
        fig = figures[direction]
        with box:
            if fig is None:
                empty(f"No redesignation {direction.lower()}.")
            else:
                chart(fig, key=f"redes_{direction}")


PROJECTION_COLUMNS = {
    "level": st.column_config.TextColumn(LEVEL_LABELS["scored"]),
    "current": st.column_config.NumberColumn("Today", format="localized"),
    "pending_in": st.column_config.NumberColumn("Pending in", format="localized", help=PENDING_MEANINGS["exports"]),
    "pending_out": st.column_config.NumberColumn("Pending out", format="localized", help=PENDING_MEANINGS["exports"]),
    "projected": st.column_config.NumberColumn("Projected", format="localized"),
    "rated_capacity": st.column_config.NumberColumn("Rated capacity", format="localized"),
    "pct_of_rated": st.column_config.NumberColumn(
        "% of rated", format="%d %%", help="Projected population as a share of rated capacity."
    ),
}


def _projection(p: Pipeline, sample: bool, redes_gap: str | None) -> None:
    st.subheader("Projected population")
    left, right = st.columns([3, 2], gap="large")  # the table's seven columns need more than half the width
    with left:
        shown = projection_table(p.projection)
        if redes_gap is not None:  # departures come only from redesignations: unknown, not zero
            shown["pending_out"] = pd.array([None] * len(shown), dtype="Int64")
        table(shown, PROJECTION_COLUMNS)
    with right:
        st.caption(
            "Projected = today + pending in - pending out, by scored level; "
            "rated capacity is that of the units of each level. % of rated: projected population "
            "as a share of rated capacity."
            + (f" {sentence(redes_gap)} Pending out is not known; projected counts arrivals only." if redes_gap else "")
        )
        st.caption(other_levels("scored"))
        st.caption(other_pending("exports"))
    chart(cached_figures.designations(p.as_of, sample).projection, key="desig_projection")
    for n in p.notes:
        st.caption(md(n))


def _transfers_alone(sample: bool) -> None:
    """No designations export: the transfer requests still show, from the redesignations export alone
    (pending transfers out appear on no other page)."""
    day = data.latest_as_of("redesignations")
    if day is None:
        source_notes.note("redesignations", "Transfers in and out are not known either.")
        return
    redes_gap = source_notes.gap("redesignations")
    if redes_gap is not None:
        source_notes.note("redesignations", "These are the transfer requests of that day, not the roster's.")
    found = cached_figures.transfers(day, sample)
    st.caption(f"Transfer requests from the redesignations export as of {fmt_date(day)}.")
    _pending_transfers(st.columns(4)[0], found.summary, None)
    _redesignations(found.summary, found.figures, None)


def main() -> None:
    as_of = page_start(
        "Designations",
        "designations",
        source_notes.missing_page(
            "designations", "Pending arrivals are not known (not zero): import a designations export on the Data page."
        ),
        "inbound pipeline, transfers and projected population",
    )
    sample = data.store().is_sample
    if as_of is None:
        with section("redesignations"):
            _transfers_alone(sample)
        return
    source_notes.note("designations", "Every figure below describes that day, not the roster's.")
    redes_gap = source_notes.gap("redesignations")
    if redes_gap is not None:
        source_notes.note("redesignations", "Transfers in and out are not known: not counted below.")
    p = data.pipeline(as_of)
    with section("pipeline headline"):
        _headline(p, redes_gap)
    with section("pipeline ages"):
        _ages(p, sample)
    with section("inbound mismatches"):
        _mismatches(p)
    with section("redesignations"):
        _redesignations(p.redesignations, cached_figures.designations(p.as_of, sample).transfers, redes_gap)
    with section("projected population"):
        _projection(p, sample, redes_gap)


main()
