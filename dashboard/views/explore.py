"""/explore: filter on any column, group by up to two, chart and table, drill to the rows, download.

Every widget is bound to the URL query string (bind="query-params"), so the address
bar always holds the whole view and a copied link reopens it; the snapshot's as-of date is
always in it, also when it is the newest, so a shared link keeps showing the same day. Values from the URL are
validated: option widgets ignore unknown options, typed conditions are parsed here.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import cached as data
from dashboard import identity
from dashboard.components import charts, source_notes
from dashboard.components.downloads import to_csv_bytes
from dashboard.components.explore_logic import (
    ConditionError,
    apply_condition,
    as_labels,
    choice_values,
    column_kind,
    group_counts,
    hide_personal,
    in_values,
    parse_condition,
    text_widths,
)
from dashboard.components.safe_text import html_literal, md
from dashboard.components.widgets import chart, empty, page_header, table
from reports.definitions import LEVEL_LABELS, LEVEL_MEANINGS
from reports.theme import fmt_int

KINDS = {
    "population": "Roster (population)",
    "designations": "Pending designations",
    "redesignations": "Redesignations",
    "facility_counts": "Facility counts (national)",
    "findings": "Program Review findings",
}
FILTER_SLOTS = 3
NONE = "—"
DRILL_ALL = "All rows"
Q: Final = "query-params"  # Final: the Literal that bind= takes
# The column selectors list raw column names on purpose: with format_func, a widget bound to
# the URL writes the label ("Security level") to the address bar and drops links that carry the
# column name (Streamlit 1.67; streamlit/streamlit#14224), so shared links would break.
HINT = "Type e.g. `>= 12`, `< 365`, `2026-01-01..2026-06-30`, `= LOW`, or text to search for."


def _source() -> tuple[str, str, pd.DataFrame] | None:
    kinds = [k for k in KINDS if data.as_of_dates(k)]
    if not kinds:
        empty("The store holds no snapshot yet: import an export on the Data page.")
        return None
    absent = [source_notes.gap(k) for k in KINDS if k not in kinds]
    if absent:  # said, so that a kind missing from the list is not read as an empty one
        st.caption(md("Not here: " + "; ".join(w for w in absent if w) + "."))
    c1, c2, c3 = st.columns([2, 1, 1])
    kind = c1.selectbox(
        "Data", kinds, key="kind", bind=Q, format_func=str, help=" · ".join(f"{k}: {v}" for k, v in KINDS.items())
    )
    dates = [d.isoformat() for d in reversed(data.as_of_dates(kind))]
    as_of, missing = _as_of(c2, dates)
    if missing:
        st.warning(
            f"This link's snapshot as of {md(missing)} is not in the store; showing the newest, {dates[0]}.",
            icon=":material/warning:",
        )
    user = identity.current_user()
    # A role that may not see identities gets no toggle: names=true in a link does nothing for it.
    names = (
        user is not None
        and user.sees_identities
        and c3.toggle(
            "Show names",
            value=False,
            key="names",
            bind=Q,
            help="Off by default: names stay off the screen unless you need them.",
        )
    )
    day = pd.Timestamp(as_of).date()
    frame = identity.visible(data.explore_frame(kind, day))
    return kind, as_of, frame if names else hide_personal(frame)


def _as_of(box: DeltaGenerator, dates: list[str]) -> tuple[str, str | None]:
    """The snapshot picked, and a linked date the store lacks (else None).

    Kept in the URL by hand rather than with bind="query-params": a bound widget leaves its
    default out of the URL, so a link to the newest snapshot would drift to the next one."""
    linked = st.query_params.get("asof")
    missing = None
    if st.session_state.get("asof_pick") not in dates:  # first look, or another kind of data
        if linked and linked not in dates and "asof_pick" not in st.session_state:
            missing = linked
        st.session_state["asof_pick"] = linked if linked in dates else dates[0]
    as_of = box.selectbox("Snapshot as of", dates, key="asof_pick")
    if linked != as_of:
        st.query_params["asof"] = as_of
    return as_of, missing


def _table(frame: pd.DataFrame, height: int) -> None:
    """A table whose text columns are wide enough for their usual values."""
    widths = text_widths(frame)
    table(frame, config={c: st.column_config.TextColumn(width=w) for c, w in widths.items()}, height=height)


def _filters(frame: pd.DataFrame) -> pd.DataFrame:
    st.markdown("**Filters**")
    mask = pd.Series(True, index=frame.index)
    cols = st.columns(FILTER_SLOTS)
    for i, box in enumerate(cols, start=1):
        with box:
            col = st.selectbox(f"Column {i}", [NONE, *frame.columns], key=f"f{i}", bind=Q)
            if col == NONE:
                continue
            choices = choice_values(frame[col])
            if choices is not None:
                picked = st.multiselect(f"{md(col)} is one of", choices, key=f"in{i}", bind=Q)
                if picked:
                    mask &= in_values(frame[col], picked)
            else:
                text = st.text_input(
                    f"{md(col)} condition", key=f"q{i}", bind=Q, help=HINT, placeholder=">= 12 · a..b · text"
                )
                try:
                    cond = parse_condition(text, column_kind(frame[col]))
                except ConditionError as exc:
                    st.warning(md(exc), icon=":material/warning:")
                    cond = None
                if cond is not None:
                    mask &= apply_condition(frame[col], cond)
    return frame[mask]


# What a first look groups by, per kind of data (the first column present).
FIRST_GROUPING = ("unit", "status", "security_level", "discipline", "region", "facility")


def _grouping(frame: pd.DataFrame) -> list[str]:
    c1, c2 = st.columns(2)
    options = [NONE, *frame.columns]
    first = next((c for c in FIRST_GROUPING if c in frame.columns), NONE)
    by1 = c1.selectbox("Group by", options, index=options.index(first), key="by1", bind=Q)
    by2 = c2.selectbox("Then by (colour)", [NONE, *frame.columns], key="by2", bind=Q)
    return [c for c in dict.fromkeys((by1, by2)) if c != NONE]


def _chart_and_table(frame: pd.DataFrame, by: list[str], kind: str, as_of: str, sample: bool) -> pd.DataFrame:
    counts = group_counts(frame, by)
    left, right = st.columns([3, 2])
    with left:
        if by:
            top = (
                counts.head(40)
                if len(by) == 1
                else counts[counts[by[0]].isin(counts.groupby(by[0])["rows"].sum().nlargest(30).index)]
            )
            fig = charts.count_bars(
                top,
                x=by[0],
                value="rows",
                colour=by[1] if len(by) > 1 else None,
                as_of=pd.Timestamp(as_of),
                sample=sample,
                horizontal=True,
                title=html_literal(f"{KINDS[kind]}: rows by {' and '.join(by)}"),
            )
            chart(fig, key="explore_chart")
            if len(top) < len(counts):
                st.caption(f"The chart shows the largest groups; the table lists all {fmt_int(len(counts))}.")
        else:
            st.metric("Rows", fmt_int(len(frame)))
            st.caption("Pick a column to group by to see a chart.")
    with right:
        if by:
            _table(counts, height=420)
    return counts


def _drill(frame: pd.DataFrame, by: list[str], counts: pd.DataFrame, kind: str, as_of: str) -> None:
    rows = frame
    if by:
        labels = [" · ".join(map(str, r)) for r in counts[by].itertuples(index=False)]
        pick = st.selectbox("Rows behind", [DRILL_ALL, *labels], key="drill", bind=Q)
        if pick != DRILL_ALL:
            parts = pick.split(" · ")
            m = pd.Series(True, index=frame.index)
            for col, val in zip(by, parts):
                m &= as_labels(frame[col]) == val
            rows = frame[m]
    st.markdown(f"**{fmt_int(len(rows))} {'row' if len(rows) == 1 else 'rows'}**")
    _table(rows, height=380)
    st.download_button(
        "Download these rows (CSV)",
        data=identity.logged(lambda: to_csv_bytes(rows), f"popdash_{kind}_{as_of}.csv", "explore", len(rows)),
        file_name=f"popdash_{kind}_{as_of}.csv",
        mime="text/csv",
        key="explore_download",
        on_click="ignore",
    )


def main() -> None:
    src = _source()
    if src is None:
        return
    kind, as_of, frame = src
    sample = data.store().is_sample
    filtered = _filters(frame)
    st.caption(
        f"{fmt_int(len(filtered))} of {fmt_int(len(frame))} rows match. "
        "The address bar holds this whole view: copy it to share it."
    )
    if kind in ("population", "designations"):
        st.caption(
            f"security_level is the {LEVEL_LABELS['scored'].lower()} ({LEVEL_MEANINGS['scored']}); required_level the "
            f"{LEVEL_LABELS['required'].lower()} ({LEVEL_MEANINGS['required']}), as on /briefing. "
            f"The {LEVEL_LABELS['housing'].lower()} ({LEVEL_MEANINGS['housing']}) is on /capacity."
        )
    by = _grouping(filtered)
    counts = _chart_and_table(filtered, by, kind, as_of, sample)
    _drill(filtered, by, counts, kind, as_of)


page_header("Explore", caption="ask the data a question; copy the link to share the view")
main()
