"""/capacity: occupancy by unit and level under either capacity definition, the projection with its
bands and crossing dates, and the projection's track record beside it."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from analytics.briefing import Crossing, crossing
from analytics.percent import half_up_percent, half_up_percents
from dashboard import cached as data
from dashboard import cached_figures, cached_scenarios, identity
from dashboard.components import events_editor, source_notes
from dashboard.components.safe_text import html_literal, md
from dashboard.components.widgets import chart, empty, page_start, section, table, wrapped_table
from loaders.config import Facility
from reports.definitions import LEVEL_LABELS, LEVEL_MEANINGS, other_levels
from reports.projection import PROJECTION_HORIZON
from reports.projection_chart import ScenarioBand, projection_figure
from reports.scenarios import Scenario, ScenarioRuns, capacity_line, line_changes, moving_crossing, rows_of
from reports.theme import fmt_date, fmt_int, fmt_pct
from reports.track_record import backed_days, band_label, crossing_caveat

BASES = cached_figures.CAPACITY_BASES
HISTORY_DAYS = 365


def _basis() -> str:
    return (
        st.segmented_control(
            "Capacity definition",
            list(BASES),
            default="rated",
            key="capacity",
            bind="query-params",
            format_func=str.capitalize,
            help="Rated: what the institution houses safely. Operational: staffed beds.",
        )
        or "rated"
    )


def _occupancy(as_of: date, basis: str, sample: bool) -> None:
    view = data.capacity(as_of)
    f = view.facility.iloc[0]
    c = st.columns(4)
    c[0].metric("Population", fmt_int(f["population"]), border=True)
    c[1].metric(BASES[basis].capitalize(), fmt_int(f[f"{basis}_capacity"]), border=True)
    # Rounded half up in whole numbers, as the briefing and the capacity sheet round it.
    share = half_up_percent(int(f["population"]), int(f[f"{basis}_capacity"]))
    c[2].metric("Occupancy", "—" if share is None else f"{share} %", border=True)
    crowd = f[f"crowding_pct_{basis}"]
    c[3].metric(
        "Crowding",
        fmt_pct(None if pd.isna(crowd) else crowd / 100),
        border=True,
        help="(population - capacity) / capacity, rounded half up, as the agency's capacity sheet.",
    )
    left, right = st.columns([1, 1], gap="large")
    with left:
        chart(cached_figures.occupancy(as_of, sample, basis), key="cap_units")
    with right:
        lv = view.levels
        st.markdown(f"**By {LEVEL_LABELS['housing'].lower()}** ({LEVEL_MEANINGS['housing']}), against {BASES[basis]}")
        table(
            pd.DataFrame(
                {
                    "level": lv["security_level"].str.title(),
                    "population": lv["population"],
                    "capacity": lv[f"{basis}_capacity"],
                    "occupancy": half_up_percents(lv["population"], lv[f"{basis}_capacity"]),
                    "crowding": lv[f"crowding_pct_{basis}"],
                }
            ),
            {
                "level": LEVEL_LABELS["housing"],
                "capacity": st.column_config.NumberColumn(BASES[basis].capitalize(), format="localized"),
                "occupancy": st.column_config.NumberColumn(format="%d %%"),
                "crowding": st.column_config.NumberColumn(format="%d %%"),
            },
        )
        st.caption(other_levels("housing"))


def _crossing_text(proj: pd.DataFrame, capacity: int, label: str, now: int, as_of: date, backed: int | None) -> str:
    """The crossing sentence and, for a date beyond the track record, the briefing's caveat after it."""
    c = crossing(proj, capacity)
    # the band is named as the briefing names it: assumed where the track record does not reach
    text = _crossing_words(c, label, now, band_label(backed, (c.horizon_end - as_of).days))
    caveat = crossing_caveat(c, now, as_of, backed)
    return f"{text} {caveat}" if caveat else text


def _crossing_words(c: Crossing, label: str, now: int, band: str = "80 %") -> str:
    capacity = c.capacity
    end = fmt_date(c.horizon_end)
    if now > capacity:
        return f"**{label.capitalize()} ({fmt_int(capacity)})**: already above it today ({fmt_int(now)})."
    if c.mean is None and c.early80 is None:
        return f"**{label.capitalize()} ({fmt_int(capacity)})**: not passed before {end}, even at the top of the {band} band."
    if c.mean is None:
        return (
            f"**{label.capitalize()} ({fmt_int(capacity)})**: the projection stays below it to {end}, "
            f"but the top of the {band} band passes it on {fmt_date(c.early80)}."
        )
    late = fmt_date(c.late80) if c.late80 else f"after {end}"
    return (
        f"**{label.capitalize()} ({fmt_int(capacity)})**: passed around **{fmt_date(c.mean)}** "
        f"({band}: {fmt_date(c.early80)} to {late})."
    )


def _history(group: str, key: str, fac: Facility) -> pd.DataFrame:
    """Daily population of the facility, one unit level or one unit (as_of_date, population)."""
    if group == "facility":
        return data.population_by_day()
    by_unit = data.population_by_day(("unit",))
    units = by_unit["unit"].astype("str").str.strip().str.upper()
    if group == "unit":
        part = by_unit[units == key]
    else:
        levels = {n.strip().upper(): lv for n, lv in fac.unit_levels.items()}
        part = by_unit[units.map(levels) == key]
    return part.groupby("as_of_date", as_index=False)["population"].sum()


def _scope(fac: Facility) -> tuple[str, str, str]:
    """(group, key, label) of what the projection is drawn for, chosen by the user."""
    options = {f"Facility: {fac.facility.name}": ("facility", fac.facility.name)}
    for lv in dict.fromkeys(fac.unit_levels.values()):
        options[f"Level: {lv.title()}"] = ("security_level", lv)
    for u in fac.units:
        options[f"Unit: {u.name}"] = ("unit", u.name.strip().upper())
    label = st.selectbox("Projection for", list(options), key="scope", bind="query-params") or next(iter(options))
    group, key = options[label]
    return group, key, label.split(": ", 1)[1]


def _scenario_runs() -> ScenarioRuns:
    """The store's scenarios; a failure is one sentence and the baseline is still drawn."""
    with section("scenarios"):
        return cached_scenarios.runs()
    return ScenarioRuns(())


def _pick_scenarios(runs: ScenarioRuns) -> list[Scenario]:
    """The scenarios drawn beside the baseline (every one with an event switched on, unless unticked)."""
    for name, problem in runs.problems:
        st.warning(md(f"Scenario {name} could not be applied: {problem}"), icon=":material/warning:")
    names = [s.name for s in runs.scenarios]
    if not names:
        return []
    chosen = st.multiselect("Scenarios shown beside the baseline", names, default=names, key="cap_scenarios")
    return [s for s in runs.scenarios if s.name in chosen]


def _projection(as_of: date, basis: str, sample: bool) -> None:
    st.subheader("Projection")
    # The projection schedules known arrivals and departures from these exports: without them it
    # counts none, which is not the same as none pending.
    source_notes.note("designations", "The projection schedules no pending arrival.")
    source_notes.note("redesignations", "The projection schedules no pending transfer in or out.")
    fac = data.facility()
    proj_all, record, crossings = data.projection()
    c1, c2 = st.columns([2, 3])
    with c1:
        group, key, label = _scope(fac)
    with c2:
        horizon = (
            st.segmented_control(
                "Days ahead",
                [30, 60, 90, 180],
                default=90,
                key="horizon",
                bind="query-params",
                format_func=lambda d: f"{d} days",
            )
            or 90
        )
    shown = _pick_scenarios(_scenario_runs())
    end = pd.Timestamp(as_of) + pd.Timedelta(days=horizon)
    proj = proj_all[(proj_all["group"] == group) & (proj_all["key"] == key)]
    proj = proj[proj["date"] <= end]
    daily = _history(group, key, fac)
    daily = daily[daily["as_of_date"] >= pd.Timestamp(as_of - timedelta(days=HISTORY_DAYS))]
    caps = crossings[(crossings["group"] == group) & (crossings["key"] == key)].set_index("definition")["capacity"]
    cap = int(caps.get(basis, 0))
    bands = [_band(s, group, key, basis, end) for s in shown]
    own_record = record[record["group"] == group] if "group" in record else record
    backed = backed_days(own_record)
    left, right = st.columns([3, 2], gap="large")
    with left:
        fig = projection_figure(
            daily,
            as_of,
            baseline=proj,
            scenarios=bands,
            rated=int(caps.get("rated", 0)) if basis == "rated" else None,
            operational=int(caps.get("operational", 0)) if basis == "operational" else None,
            title=f"{html_literal(label)}: population and {horizon}-day projection, against {BASES[basis]}",
            sample=sample,
            # bands beyond what the track record scored are drawn and named as assumed, as on the briefing
            backed=backed,
        )
        chart(fig, key="cap_projection")
        if len(proj) and cap:
            now = int(proj["current"].iloc[0])
            text = _crossing_text(proj, cap, BASES[basis], now, as_of, backed)
            # Beside scenarios the baseline is named, and the capacity's name follows in lower case.
            st.markdown(f"**Baseline**, **{text[2:3].lower()}{text[3:]}" if shown else text)
            for s, band in zip(shown, bands):
                line = band.rated if basis == "rated" else band.operational
                if line is not None and len(band.projection):
                    st.markdown(_scenario_crossing(s.name, band.projection, line, basis, now))
            if group == "facility":
                warn = int(cap * fac.thresholds.occupancy_warning)
                st.markdown(
                    _crossing_text(
                        proj, warn, f"warning threshold {fmt_pct(fac.thresholds.occupancy_warning)}", now, as_of, backed
                    )
                )
        _events_under_chart(shown)
    with right:
        _track_record(own_record, group)
    _crossing_table(crossings, basis, shown)


def _band(s: Scenario, group: str, key: str, basis: str, end: pd.Timestamp) -> ScenarioBand:
    """One scenario's rows for the part drawn, cut at the horizon shown."""
    proj = rows_of(s.projection, group, key)
    line = capacity_line(s, group, key, basis)
    return ScenarioBand(
        s.name,
        proj[proj["date"] <= end],
        rated=line[line["date"] <= end] if basis == "rated" else None,
        operational=line[line["date"] <= end] if basis == "operational" else None,
    )


def _scenario_crossing(name: str, proj: pd.DataFrame, line: pd.DataFrame, basis: str, now: int) -> str:
    """'**Scenario E2 renovation**, rated capacity (1,968): passed around ...; 1,800 beds from 1 Feb.'"""
    text = _crossing_words(moving_crossing(proj, line), BASES[basis], now)
    moves = line_changes(line)
    if moves:
        text = text.rstrip(".") + "; " + ", ".join(f"{fmt_int(v)} beds from {fmt_date(d)}" for d, v in moves) + "."
    # "**Rated capacity ...": the capacity's name follows the scenario's, so it starts in lower case.
    return f"**Scenario {md(name)}**, **{text[2:3].lower()}{text[3:]}"


def _events_under_chart(shown: list[Scenario]) -> None:
    """Each scenario's events in plain words, as they change the lines above."""
    for s in shown:
        on = [e for e in s.events if e.enabled]
        st.caption(
            f"**Scenario {md(s.name)}**: "
            + "; ".join(md(e.describe()) for e in on)
            + (f" ({len(s.events) - len(on)} more switched off)" if len(on) < len(s.events) else "")
            + "."
        )


def _when(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return f"not within {PROJECTION_HORIZON} days"
    return value if isinstance(value, str) else fmt_date(pd.Timestamp(value).date())


def _crossing_table(crossings: pd.DataFrame, basis: str, shown: list[Scenario] | None = None) -> None:
    st.markdown(
        f"**When each part passes its {BASES[basis]}** within {PROJECTION_HORIZON} days "
        "(the projected mean, and the top of its 80 % band)" + (", for the baseline and each scenario" if shown else "")
    )
    rows = crossings[crossings["definition"] == basis]
    names = {"facility": "Facility", "security_level": LEVEL_LABELS["housing"], "unit": "Unit"}
    out = pd.DataFrame(
        {
            "group": rows["group"],
            "key": rows["key"].astype("str"),
            "": rows["group"].map(names),
            "name": rows["key"]
            .astype("str")
            .where(rows["group"] != "security_level", rows["key"].astype("str").str.title()),
            "today": rows["current"].astype("int64"),
            "capacity": rows["capacity"].astype("int64"),
            "projected mean passes it": rows["mean_crosses"].map(_when),
            "80 % band top passes it": rows["hi80_crosses"].map(_when),
        }
    )
    labels: dict[str, str] = {"capacity": BASES[basis].capitalize()}
    for s in shown or []:
        mine = s.crossings[s.crossings["definition"] == basis].assign(key=lambda f: f["key"].astype("str"))
        mine = mine.set_index(["group", "key"])
        at = list(zip(out["group"], out["key"]))
        # Dataframe headings are drawn as plain text: the scenario's name may hold anything.
        for column, words in (("mean_crosses", "mean passes"), ("hi80_crosses", "band top passes")):
            heading = f"{s.name}: {words}"
            out[heading] = [_when(mine[column].get(k)) for k in at]
            labels[heading] = heading  # as typed, not capitalised

    table(
        out.drop(columns=["group", "key"]),
        labels,
        height=min(38 + 35 * len(rows), 460),
    )


def _track_record(record: pd.DataFrame, group: str) -> None:
    st.markdown("**Track record**: how the projection did on this store's own history")
    if record.empty or record["n"].sum() == 0:
        empty("Too little history yet to test the projection.")
        return
    # Written out as text: a static table wraps its headings to fit the narrow column.
    wrapped_table(
        pd.DataFrame(
            {
                "Days ahead": record["horizon"].map(fmt_int),
                "Error (MAPE)": record["mape"].map(lambda v: fmt_pct(v / 100, 1)),
                "Same as last count": record["mape_naive"].map(lambda v: fmt_pct(v / 100, 1)),
                "In 80 % band": record["coverage_80"].map(lambda v: fmt_pct(v / 100)),
                "In 95 % band": record["coverage_95"].map(lambda v: fmt_pct(v / 100)),
                "Tests": record["n"].map(fmt_int),
            }
        )
    )
    beats = record.dropna(subset=["mape", "mape_naive"])
    wins = beats[beats["mape"] < beats["mape_naive"]]["horizon"].tolist()
    st.caption(
        f"Mean absolute percentage error of projections made from earlier days, against what happened, beside "
        f"simply repeating the last count. Better than that at {', '.join(f'{h} days' for h in wins) or 'no horizon'}. "
        f"A calibrated 80 % band holds about 80 % of outcomes. Figures for the {group.replace('_', ' ')} series."
    )


def main() -> None:
    as_of = page_start(
        "Capacity",
        "population",
        "The store holds no roster yet: import one on the Data page.",
        "occupancy, projection and how far to trust it",
    )
    if as_of is None:
        return
    sample = data.store().is_sample
    basis = _basis()
    with section("occupancy"):
        _occupancy(as_of, basis, sample)
    with section("projection"):
        _projection(as_of, basis, sample)
    with section("planned events"):
        _planned_events(as_of)


def _planned_events(as_of: date) -> None:
    """Enter, switch and delete planned events (roles that change data); everyone else reads the list."""
    st.subheader("Planned events")
    st.caption(
        "Plans the exports cannot know (a unit closing, a batch of arrivals, a change in designations), "
        "grouped in named scenarios and drawn beside the baseline above. They never change imported data."
    )
    user = identity.current_user()
    planned = cached_scenarios.events()
    if events_editor.may_edit(user) and user is not None:
        with st.expander("Add a planned event", expanded=not planned):
            events_editor.form(data.store(), user, data.facility(), as_of, planned)
    events_editor.listing(data.store(), user, planned)


main()
