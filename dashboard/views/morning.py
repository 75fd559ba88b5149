"""/morning: the CMC's 07:30 check. What needs action first, then how many today, what changed, what is due.

The first section lists everything the CMC must act on today without expanding anything:
high-severity flags, overdue work, rows rejected in the as-of date's imports, sources to
import again. The full lists follow below it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics.percent import half_up_percent
from dashboard import cached as data
from dashboard import cached_figures
from dashboard.components.explore_logic import hide_personal
from dashboard.components.safe_text import md
from dashboard.components.summary import arrivals_within, comparisons
from dashboard.components.widgets import chart, empty, page_start, section, table, wrapped_table
from loaders import hint_absent
from reports import sources
from reports.theme import fmt_date, fmt_int, fmt_pct, fmt_signed

FLAG_COLUMNS = ["severity", "rule", "unit", "register_number", "explanation"]
FLAG_CONFIG = {
    "explanation": st.column_config.TextColumn("Explanation", width="large"),
    "register_number": st.column_config.TextColumn("Register no.", width="small"),
    "severity": st.column_config.TextColumn("Severity", width="small"),
    "rule": st.column_config.TextColumn("Rule", width="medium"),
    "unit": st.column_config.TextColumn("Unit", width="small"),
}


ACTION_FLAG_COLUMNS = ["rule", "unit", "register_number", "explanation"]
OVERDUE_COLUMNS = ["task", "register_number", "unit", "case_manager", "due_date", "days_overdue", "detail"]
OVERDUE_CONFIG = {
    "due_date": st.column_config.DateColumn("Due", format="YYYY-MM-DD"),
    "register_number": st.column_config.TextColumn("Register no."),
    "days_overdue": st.column_config.NumberColumn("Days overdue", format="localized"),
}


def _action_counts(counts: list[tuple[str, int, str]]) -> None:
    """One line of numbers, in the order the lists follow; red when there is something to do."""
    cols = st.columns(len(counts))
    for box, (label, n, help_text) in zip(cols, counts):
        box.metric(label, fmt_int(n), border=True, help=help_text)


def _needs_action(as_of: date) -> None:
    st.subheader("Needs action today")
    lists = cached_figures.action_lists(as_of)
    flags, overdue = lists.high_flags, lists.overdue
    per_file, per_row = lists.rejected_per_file, lists.rejected_per_row
    latest = {k: data.latest_as_of(k) for k in sources.STALE_AFTER_DAYS}
    stale = sources.stale_sources(latest, as_of, date.today())
    rejected = int(per_file["rows_rejected"].sum()) if len(per_file) else 0
    _action_counts(
        [
            ("High-severity flags", len(flags), "Open flags of high severity on this roster."),
            ("Overdue", len(overdue), "Work-queue items whose due date has passed."),
            ("Rows rejected", rejected, f"Rows the loader refused in the imports as of {fmt_date(as_of)}."),
            ("Sources to import", len(stale), "Exports missing, or older than the roster."),
        ]
    )
    if not (len(flags) or len(overdue) or rejected or len(stale)):
        st.success("Nothing needs action today.", icon=":material/check_circle:")
        return
    if len(flags):
        st.markdown(
            f"**:red[{fmt_int(len(flags))} high-severity "
            f"{'flag' if len(flags) == 1 else 'flags'}]** · all open flags are listed further down"
        )
        wrapped_table(flags[ACTION_FLAG_COLUMNS], {"register_number": "Register no."}, config=FLAG_CONFIG, height=320)
    if len(overdue):
        st.markdown(f"**{fmt_int(len(overdue))} overdue** · oldest first")
        table(overdue[[c for c in OVERDUE_COLUMNS if c in overdue.columns]], OVERDUE_CONFIG, height=300)
    if rejected:
        files = "; ".join(
            f"{r.source} {fmt_int(r.rows_rejected)} of {fmt_int(r.rows_read)}" for r in per_file.itertuples()
        )
        st.markdown(
            f"**{fmt_int(rejected)} {'row' if rejected == 1 else 'rows'} rejected** · {files}; "
            "fix them in the export and import it again on the Data page"
        )
        if len(per_row):
            table(per_row, {"line": st.column_config.NumberColumn("Line", format="plain")}, height=240)
    if len(stale):
        st.markdown(f"**{fmt_int(len(stale))} {'source' if len(stale) == 1 else 'sources'} to import**")
        for row in stale.itertuples():
            st.markdown(
                f"- :red[{row.why[:1].upper() + row.why[1:]}]"
                + (f" (as of {fmt_date(row.as_of)})" if row.as_of is not None else "")
            )


def _fresh() -> None:
    latest = {
        k: data.latest_as_of(k) for k in ("population", "designations", "redesignations", "facility_counts", "findings")
    }
    table = sources.freshness(latest, date.today())
    cols = st.columns(len(table))
    for box, row in zip(cols, table.itertuples()):
        with box.container(border=True):
            st.markdown(f"**{row.source}**")
            if row.as_of is None:
                st.badge("none in the store", color="red", icon=":material/error:")
                continue
            age = (
                "today"
                if row.days_old == 0
                else ("1 day old" if row.days_old == 1 else f"{fmt_int(row.days_old)} days old")
            )
            st.markdown(fmt_date(row.as_of))
            if row.stale:
                st.badge(age, color="red", icon=":material/schedule:")
            else:
                st.badge(age, color="green", icon=":material/check:")


def _share(part: int, whole: int) -> str:
    """'96 %': a whole percentage rounded half up, as the briefing and /capacity print it."""
    pct = half_up_percent(int(part), int(whole)) if whole else None
    return "—" if pct is None else f"{pct} %"


def _headline(as_of: date) -> None:
    series = data.population_by_day()
    today = int(series.loc[series["as_of_date"] == pd.Timestamp(as_of), "population"].sum())
    fac = data.facility()
    rated = fac.rated_capacity
    cols = st.columns(5)
    then = comparisons(series, as_of)
    y = then["yesterday"]
    cols[0].metric(
        "Population",
        fmt_int(today),
        delta=fmt_signed(today - y[1]) if y else None,
        delta_color="off",
        delta_description=f"since {fmt_date(y[0])}" if y else None,
        border=True,
    )
    for box, name in zip(cols[1:3], ("last week", "last year")):
        t = then[name]
        if t is None:
            box.metric(f"Change since {name}", "—", border=True, help="No snapshot that old in the store.")
        else:
            box.metric(
                f"Change since {name}",
                fmt_signed(today - t[1]),
                border=True,
                delta=fmt_int(t[1]),
                delta_description=f"on {fmt_date(t[0])}",
                delta_arrow="off",
                delta_color="off",
            )
    cols[3].metric(
        "Of rated capacity",
        _share(today, rated),
        border=True,
        delta=f"rated {fmt_int(rated)}",
        delta_arrow="off",
        delta_color="off",
    )
    op = fac.operational_capacity
    cols[4].metric(
        "Of operational capacity",
        _share(today, op),
        border=True,
        delta=f"operational {fmt_int(op)}",
        delta_arrow="off",
        delta_color="off",
    )


def _occupancy(as_of: date, sample: bool) -> None:
    view = data.capacity(as_of)
    chart(cached_figures.occupancy(as_of, sample), key="morning_occupancy")
    over = view.units[view.units["status_rated"] != "ok"]
    if len(over):
        st.caption(
            md(
                "At or over a threshold: "
                + ", ".join(f"{u} ({fmt_pct(o)})" for u, o in zip(over["unit"], over["occupancy_rated"]))
            )
        )
    if view.unknown_units:
        st.warning(
            md(
                f"{len(view.unknown_units)} roster unit(s) are not in the facility file: "
                + ", ".join(map(str, view.unknown_units))
            ),
            icon=":material/warning:",
        )


def _movements(as_of: date) -> None:
    mv = data.movements(as_of)
    st.subheader("Overnight movements")
    if mv is None:
        empty("There is no earlier snapshot to compare with.")
        return
    st.caption(f"From {fmt_date(mv.as_of_before)} to {fmt_date(mv.as_of_after)}")
    reasons = mv.departures_by_reason()
    c = st.columns(3)
    c[0].metric("Arrivals", fmt_int(len(mv.arrivals)))
    c[1].metric(
        "Departures",
        fmt_int(len(mv.departures)),
        delta=" · ".join(f"{n} {r.lower()}" for r, n in reasons.items() if n) or None,
        delta_arrow="off",
        delta_color="off",
    )
    c[2].metric("Unit moves", fmt_int(len(mv.unit_moves)))
    c = st.columns(3)
    c[0].metric("Level changes", fmt_int(len(mv.level_changes)))
    c[1].metric("Custody changes", fmt_int(len(mv.custody_changes)))
    c[2].metric(
        "Counts add up",
        "Yes" if mv.balanced else "No",
        help="Yesterday's count plus arrivals minus departures equals today's.",
    )
    for p in mv.problems:
        st.error(md(p), icon=":material/error:")
    for n in mv.notes:
        st.caption(md(n))
    with st.expander("Who moved"):
        for title, frame in (
            ("Arrivals", mv.arrivals),
            ("Departures", mv.departures),
            ("Unit moves", mv.unit_moves),
            ("Level changes", mv.level_changes),
            ("Custody changes", mv.custody_changes),
        ):
            if len(frame):
                st.markdown(f"**{title}**")
                table(frame, height=300)


def _flags(as_of: date) -> None:
    st.subheader("Security-level and classification flags")
    report = data.flags(as_of)
    mv = data.movements(as_of)
    open_flags = report.flags
    counts = open_flags["severity"].value_counts()
    c = st.columns(4)
    c[0].metric("Open flags", fmt_int(len(open_flags)))
    for box, sev in zip(c[1:], ("high", "medium", "low")):
        box.metric(f"{sev.title()} severity", fmt_int(counts.get(sev, 0)))
    if mv is not None:
        # New ones first: they are this morning's news; changed (same inmate, same problem,
        # another rule, e.g. MGTV-EXPIRING -> MGTV-EXPIRED), then cleared ones.
        changed = mv.flags_changed.assign(
            rule=mv.flags_changed["rule_before"].astype("str") + " → " + mv.flags_changed["rule"].astype("str")
        )
        for title, frame in (("New", mv.flags_appeared), ("Changed", changed), ("Cleared", mv.flags_cleared)):
            st.markdown(f"**{title} since {fmt_date(mv.as_of_before)}: {fmt_int(len(frame))}**")
            if len(frame):
                # Short lists wrap their explanations; a long one scrolls.
                wrapped_table(
                    frame[[c for c in FLAG_COLUMNS if c in frame.columns]],
                    {"register_number": "Register no."},
                    config=FLAG_CONFIG,
                    height=320,
                )
    with st.expander(f"All {fmt_int(len(open_flags))} open flags"):
        table(open_flags, FLAG_CONFIG, height=360)
    if report.skipped:
        st.caption(md("Not checked: " + "; ".join(f"{rule} ({_hinted(why, as_of)})" for rule, why in report.skipped)))


def _arrivals(as_of: date) -> None:
    st.subheader("Arrivals expected in the next 7 days")
    d = data.latest_as_of("designations")
    if d is None:
        # no export is not "no arrivals": say which export is missing, in the one copy of the words
        empty(sources.sentence(sources.source_gap("designations", None, None) or "") + " Arrivals are not known.")
        return
    due = arrivals_within(data.frame("designations", d), as_of, 7)
    st.caption(f"From pending designations as of {fmt_date(d)}")
    if due.empty:
        empty("No designation is expected to arrive within 7 days.")
        return
    keep = [
        c
        for c in (
            "expected_arrival_date",
            "register_number",
            "security_level",
            "status",
            "current_location",
            "designation_date",
        )
        if c in due.columns and due[c].notna().any()
    ]
    st.metric("Expected", fmt_int(len(due)))
    table(
        hide_personal(due)[keep],
        config={
            "expected_arrival_date": st.column_config.DateColumn("Expected", format="ddd D MMM"),
            "register_number": "Register no.",
            "designation_date": st.column_config.DateColumn("Designated", format="YYYY-MM-DD"),
        },
    )


def main() -> None:
    as_of = page_start("Morning check", "population", "The store holds no roster yet: import one on the Data page.")
    if as_of is None:
        return
    sample = data.store().is_sample
    with section("needs action"):
        _needs_action(as_of)
    with section("freshness"):
        _fresh()
    with section("headline counts"):
        _headline(as_of)
    left, right = st.columns([3, 2], gap="large")
    with left, section("occupancy"):
        _occupancy(as_of, sample)
    with right, section("movements"):
        _movements(as_of)
    with section("flags"):
        _flags(as_of)
    with section("work queue"):
        _work_queue(as_of)
    with section("arrivals"):
        _arrivals(as_of)


def _work_queue(as_of: date) -> None:
    st.subheader("Work queue")
    wq = data.work_queue(as_of)
    items = wq.items
    counts = items["bucket"].value_counts()
    c = st.columns(3)
    for box, bucket in zip(c, ("Overdue", "Due this week", "Coming up")):
        box.metric(bucket, fmt_int(counts.get(bucket, 0)))
    by_task = items.groupby(["task", "bucket"]).size().unstack("bucket", fill_value=0)
    by_task = by_task.reindex(columns=["Overdue", "Due this week", "Coming up"], fill_value=0)
    if len(by_task):
        table(by_task.reset_index())
    tabs = st.tabs(["Overdue", "Due this week", "By unit", "By case manager"])
    cols = ["task", "register_number", "unit", "case_manager", "due_date", "days_left", "detail"]
    cfg = {
        "due_date": st.column_config.DateColumn("Due", format="YYYY-MM-DD"),
        "register_number": st.column_config.TextColumn("Register no."),
        "days_left": st.column_config.NumberColumn("Days left"),
    }
    for tab, bucket in zip(tabs[:2], ("Overdue", "Due this week")):
        with tab:
            rows = items[items["bucket"] == bucket]
            if rows.empty:
                st.caption(f"Nothing {bucket.lower()}.")
            else:
                table(rows[cols], cfg, height=300)
    for tab, by in zip(tabs[2:], ("unit", "case_manager")):
        with tab:
            s = wq.summary[wq.summary["by"] == by].drop(columns="by")
            table(s.rename(columns={"group": by}), height=300)
    if wq.skipped:
        st.caption(md("Not listed: " + "; ".join(f"{t.lower()} ({_hinted(why, as_of)})" for t, why in wq.skipped)))


def _hinted(why: str, as_of: date) -> str:
    """A skip reason plus the roster header that is probably the missing column, if the import saw one."""
    if "the roster has" not in why:  # the hints come from the roster's import report only
        return why
    report = data.store().report("population", as_of) or {}
    return hint_absent(why, report.get("unknown_columns") or [], "population")


main()
