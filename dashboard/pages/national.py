"""/national: facility counts across the agency, by security level and region, the capacity sheet,
and names that match no facility of the reference list."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.capacity import capacity_sheet
from dashboard import data
from dashboard.components import charts
from dashboard.components.theme import fmt_date, fmt_int
from dashboard.components.widgets import chart, empty, page_header, section

UNKNOWN = "(not in the reference list)"


def _label(counts: pd.DataFrame) -> pd.Series:
    return counts["reference_name"].fillna(counts["facility"]).astype("str")


def _totals(counts: pd.DataFrame, latest: pd.Timestamp, sample: bool) -> None:
    day = counts[counts["date"] == latest]
    c = st.columns(3)
    c[0].metric("Population, all facilities", fmt_int(day["population"].sum()), border=True)
    c[1].metric("Facilities counted", fmt_int(day["facility"].nunique()), border=True)
    prev = counts[counts["date"] < latest]["date"].max()
    if pd.notna(prev):
        then = counts[counts["date"] == prev]["population"].sum()
        c[2].metric("Change since the count before", fmt_int(day["population"].sum() - then), border=True,
                    delta=f"count of {fmt_date(prev.date())}", delta_arrow="off", delta_color="off")
    left, right = st.columns(2, gap="large")
    with left:
        lv = day.assign(level=day["security_level"].fillna(UNKNOWN)).groupby("level", as_index=False)["population"].sum()
        chart(charts.level_mix(lv, latest.date(), sample, title="Population by facility security level"),
              key="nat_levels")
    with right:
        rg = day.assign(region=day["region"].fillna(UNKNOWN)).groupby("region", as_index=False)["population"].sum()
        rg = rg.sort_values("population", ascending=False)
        chart(charts.count_bars(rg, x="region", value="population", as_of=latest.date(), sample=sample,
                                horizontal=True, title="Population by region"), key="nat_regions")


def _trends(counts: pd.DataFrame, latest: pd.Timestamp, sample: bool) -> None:
    st.subheader("Trends")
    by_level = counts.assign(level=counts["security_level"].fillna(UNKNOWN)).groupby(
        ["date", "level"], as_index=False)["population"].sum()
    chart(charts.lines_by(by_level, "date", "population", "level", latest.date(), sample,
                          title="Population by facility security level over time"), key="nat_trend_levels")
    names = sorted(_label(counts).unique())
    top = counts[counts["date"] == latest].assign(label=_label(counts)).nlargest(5, "population")["label"].tolist()
    pick = st.multiselect("Facilities to compare", names, default=top, key="fac", bind="query-params")
    if pick:
        sel = counts.assign(label=_label(counts))
        sel = sel[sel["label"].isin(pick)]
        chart(charts.lines_by(sel, "date", "population", "label", latest.date(), sample,
                              title="Population per facility"), key="nat_trend_facilities")


def _sheet(counts: pd.DataFrame) -> None:
    st.subheader("Capacity sheet")
    sheet = capacity_sheet(counts)
    if sheet["rated_capacity"].isna().all():
        empty("These counts carry no rated capacity: no capacity sheet.")
        return
    st.caption("Crowding % = (population - rated capacity) / rated capacity, rounded half up; "
               "projected = population + pending in - pending out, as on the agency's own sheet.")
    st.dataframe(sheet, hide_index=True, width="stretch", height=420, column_config={
        "crowding_pct": st.column_config.NumberColumn("crowding %", format="%d %%"),
        "projected_crowding_pct": st.column_config.NumberColumn("projected crowding %", format="%d %%"),
    })


def _unmatched(counts: pd.DataFrame) -> None:
    names = sorted(counts.loc[counts["facility_code"].isna(), "facility"].dropna().unique()) \
        if "facility_code" in counts else sorted(counts["facility"].dropna().unique())
    if names:
        st.warning(f"{len(names)} facility name(s) match nothing in the reference list and are shown as written: "
                   + ", ".join(names), icon=":material/help:")


def main() -> None:
    as_of = data.latest_as_of("facility_counts")
    page_header("National", as_of, "facility counts across the agency")
    if as_of is None:
        empty("The store holds no facility counts yet: import a facility_counts file on the Data page.")
        return
    sample = data.store().is_sample
    counts = data.national()
    latest = counts["date"].max()
    with section("unmatched names"):
        _unmatched(counts)
    with section("national totals"):
        _totals(counts, latest, sample)
    with section("national trends"):
        _trends(counts, latest, sample)
    with section("capacity sheet"):
        _sheet(counts)


main()
