"""/national: facility counts across the agency, by security level and region, the capacity sheet,
and names that match no facility of the reference list."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from dashboard import cached as data
from dashboard import cached_figures
from dashboard.components import source_notes
from dashboard.components.safe_text import md
from dashboard.components.widgets import chart, empty, page_start, section, table
from reports.definitions import PENDING_MEANINGS, other_pending
from reports.theme import fmt_date, fmt_int, fmt_signed

if TYPE_CHECKING:
    from analytics.national import NationalView

CROWDING = "Crowding = (population - rated capacity) / rated capacity, in whole percent rounded half up."


def _latest_totals(view: NationalView, sample: bool) -> None:
    latest = pd.Timestamp(view.latest_date)
    league = view.league
    trends = view.trends
    c = st.columns(3)
    c[0].metric("Population, all facilities", fmt_int(league["population"].sum()), border=True)
    c[1].metric("Facilities counted", fmt_int(len(league)), border=True)
    prev = trends.loc[trends["date"] < latest, "date"].max()
    if pd.notna(prev):
        then = int(trends.loc[trends["date"] == prev, "population"].sum())
        c[2].metric(
            "Change since the count before",
            fmt_signed(int(league["population"].sum()) - then),
            border=True,
            delta=fmt_int(then),
            delta_description=f"on {fmt_date(prev.date())}",
            delta_arrow="off",
            delta_color="off",
        )
    figures = cached_figures.national(sample)
    left, right = st.columns(2, gap="large")
    with left:
        chart(figures.levels, key="nat_levels")
    with right:
        chart(figures.regions, key="nat_regions")


def _trends(view: NationalView, sample: bool) -> None:
    st.subheader("Trends")
    chart(cached_figures.national(sample).level_trend, key="nat_trend_levels")
    names = sorted(view.trends["facility"].astype("str").unique())
    top = view.league.nlargest(5, "population")["facility"].astype("str").tolist()
    pick = st.multiselect("Facilities to compare", names, default=top, key="fac", bind="query-params")
    if pick:
        chart(cached_figures.facility_trends(pick, sample), key="nat_trend_facilities")


def _league(view: NationalView) -> None:
    st.subheader(f"Facilities on {fmt_date(view.latest_date)}")
    table(
        view.league,
        height=360,
        config={
            "rank": st.column_config.NumberColumn("#", width="small"),
            "facility_code": st.column_config.TextColumn("Code", width="small"),
            "facility": "Facility",
            "security_level": "Level",
            "region": "Region",
            "population": st.column_config.NumberColumn("Population", format="localized"),
            "rated_capacity": st.column_config.NumberColumn("Rated capacity", format="localized"),
            "crowding_pct": st.column_config.NumberColumn("Crowding", format="%d %%", help=CROWDING),
            "change": st.column_config.NumberColumn("Change since the count before", format="%+d"),
        },
    )
    for n in view.notes:
        st.caption(md(n))


def _own_pending() -> str:
    """The home institution's pending moves counted from its own exports, to set beside the sheet's."""
    day = data.latest_as_of("designations")
    if day is None:
        return "no designations export in the store, so this institution's own count is not known"
    row = data.pipeline(day).projection.set_index("security_level").loc["FACILITY"]
    return (
        f"for {data.facility().facility.name} on {fmt_date(day)}: {fmt_int(row['pending_in'])} in, "
        f"{fmt_int(row['pending_out'])} out"
    )


def _sheet() -> None:
    st.subheader("Capacity sheet")
    sheet = data.capacity_sheet()
    if sheet.empty or sheet["rated_capacity"].isna().all():
        empty("These counts carry no rated capacity: no capacity sheet.")
        return
    st.caption(f"{CROWDING} Projected = population + pending in - pending out, as on the agency's own sheet.")
    st.caption(md(f"{other_pending('sheet')} Pending from the designations exports, {_own_pending()}."))
    table(
        sheet,
        height=360,
        config={
            "facility": "Facility",
            "population": st.column_config.NumberColumn("Population", format="localized"),
            "rated_capacity": st.column_config.NumberColumn("Rated capacity", format="localized"),
            "crowding_pct": st.column_config.NumberColumn("Crowding", format="%d %%", help=CROWDING),
            "pending_in": st.column_config.NumberColumn(
                "Pending in (sheet)", format="localized", help=PENDING_MEANINGS["sheet"]
            ),
            "pending_out": st.column_config.NumberColumn(
                "Pending out (sheet)", format="localized", help=PENDING_MEANINGS["sheet"]
            ),
            "projected": st.column_config.NumberColumn("Projected", format="localized"),
            "projected_crowding_pct": st.column_config.NumberColumn(
                "Projected crowding", format="%d %%", help=CROWDING
            ),
        },
    )


def main() -> None:
    as_of = page_start(
        "National",
        "facility_counts",
        source_notes.missing_page(
            "facility_counts", "Import a facility_counts file on the Data page to see the national figures."
        ),
        "facility counts across the agency",
    )
    if as_of is None:
        return
    sample = data.store().is_sample
    counts, view = data.national()
    if view.latest_date is None:
        empty("The facility counts hold no dated row.")
        return
    source_notes.note("facility_counts", "The national figures below describe that day.")
    if view.unmatched:
        st.warning(
            md(
                f"{len(view.unmatched)} facility name(s) match nothing in the reference list; they are kept "
                "as written and counted under UNKNOWN: " + ", ".join(map(str, view.unmatched))
            ),
            icon=":material/help:",
        )
    with section("national totals"):
        _latest_totals(view, sample)
    with section("national trends"):
        _trends(view, sample)
    with section("league table"):
        _league(view)
    with section("capacity sheet"):
        _sheet()


main()
