"""/program-review: findings per discipline across reviews, repeat findings, ratings, the
corrective-action queue and a meeting agenda, from the store's latest findings log.

The rules (repeat, action status) live in analytics/findings.py; `popdash findings` prints
the same per-finding columns as the table at the foot of this page.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import findings as analytics_findings
from dashboard import cached as data
from dashboard import identity
from dashboard.cached_findings import QUEUE_DAYS, FindingsView, view
from dashboard.components import charts, source_notes
from dashboard.components.safe_text import md
from dashboard.components.widgets import chart, empty, page_start, section, table
from reports.briefing.charts import review_trend
from reports.theme import GOOD, RATED, TEMPLATE, WARNING, as_of_note, fmt_date, fmt_int

RATING_COLOURS = [[0.0, GOOD], [0.5, "#f2e2b0"], [0.75, WARNING], [1.0, RATED]]  # SUPERIOR .. AT RISK
LOG_COLUMNS = [
    "line",
    "facility",
    "review_date",
    "discipline",
    "policy_reference",
    "repeat",
    "repeat_of",
    "action_status",
]


def _review_label(d: date) -> str:
    return fmt_date(pd.Timestamp(d).date())


def _headline(log: pd.DataFrame, queue: pd.DataFrame, annotated: pd.DataFrame) -> None:
    c = st.columns(5)
    own, other = analytics_findings.scope_counts(annotated)
    c[0].metric(
        "Findings (home)",
        fmt_int(own),
        border=True,
        help=(
            f"Rows of the log with a blank facility. The log also holds {fmt_int(other)} finding(s) of other "
            f"facilities, not counted on this page; `popdash findings` lists all {fmt_int(own + other)}."
            if other
            else "Rows of the log with a blank facility: every finding in the log."
        ),
    )
    c[1].metric("Reviews", fmt_int(log["review_date"].nunique()), border=True)
    c[2].metric(
        "Repeat findings",
        fmt_int(int(log["repeat"].sum())),
        border=True,
        help="Same discipline and policy reference as a finding of an earlier review.",
    )
    c[3].metric("Overdue actions", fmt_int(int((queue["action_status"] == "OVERDUE").sum())), border=True)
    c[4].metric(f"Due within {QUEUE_DAYS} days", fmt_int(int((queue["action_status"] == "OPEN").sum())), border=True)


def _trend(v: FindingsView, as_of: date, sample: bool) -> None:
    st.subheader("Findings per discipline across reviews")
    fig = review_trend(v.trend, as_of, sample)
    fig.update_layout(title=dict(text="Findings per discipline at each review (all review types)"))
    chart(fig, key="findings_trend")


def _matrix(v: FindingsView, as_of: date, sample: bool) -> None:
    st.subheader("Repeat findings by discipline and review")
    found, repeated = v.found, v.repeated
    labels = [_review_label(d) for d in found.columns]
    heat = repeated.set_axis(labels, axis=1)
    chart(
        charts.heatmap(heat, as_of, sample, title="Repeat findings (found again after an earlier review)"),
        key="findings_repeat_matrix",
    )
    cells = found.astype(str) + repeated.map(lambda n: f" ({n} repeat)" if n == 1 else f" ({n} repeats)" if n else "")
    cells = cells.where(found > 0, "").set_axis(labels, axis=1)
    table(cells.rename_axis("discipline").reset_index())
    st.caption("Each cell: findings at that review, with how many were repeats.")


def ratings_figure(rated: pd.DataFrame, as_of: date, sample: bool) -> go.Figure:
    """Discipline x review, coloured from SUPERIOR (green) to AT RISK (red), the rating written in."""
    z = rated.pivot_table(values="rank", index="discipline", columns="review_date", aggfunc="max")
    text = z.map(lambda r: "" if pd.isna(r) else analytics_findings.RATINGS[int(r)])
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(dtype=float),
            x=[_review_label(d) for d in z.columns],
            y=list(z.index),
            zmin=0,
            zmax=len(analytics_findings.RATINGS) - 1,
            colorscale=RATING_COLOURS,
            showscale=False,
            text=text.to_numpy(),
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_layout(
        template=TEMPLATE,
        height=max(260, 44 * len(z.index) + 150),
        margin=dict(t=96),
        title=dict(text="Ratings over time", subtitle=dict(text=as_of_note(as_of, sample))),
    )
    return fig


def _ratings(v: FindingsView, as_of: date, sample: bool) -> None:
    st.subheader("Ratings over time")
    rated = v.ratings
    if rated.empty:
        empty("The findings log carries no ratings.")
        return
    chart(ratings_figure(rated, as_of, sample), key="findings_ratings")


def _worse(v: FindingsView) -> None:
    worse = v.worse
    if worse.empty:
        st.caption("No discipline has more findings or a lower rating than at the Program Review before.")
        return
    st.markdown(
        f"**Trending worse** at the review of {_review_label(worse['latest_review'].iat[0])} "
        f"against {_review_label(worse['previous_review'].iat[0])}"
    )
    table(
        worse[["discipline", "previous_findings", "latest_findings", "previous_rating", "latest_rating", "why"]],
        {
            "previous_findings": "Findings before",
            "latest_findings": "Findings now",
            "previous_rating": "Rated before",
            "latest_rating": "Rated now",
        },
    )


def _queue(queue: pd.DataFrame, as_of: date) -> None:
    st.subheader(f"Corrective-action queue: overdue first, then due within {QUEUE_DAYS} days")
    if queue.empty:
        st.success(f"No corrective action is overdue or due within {QUEUE_DAYS} days.", icon=":material/check_circle:")
        return
    # Who is responsible before the long finding text, so it shows without scrolling sideways.
    cols = [
        c
        for c in (
            "action_status",
            "days_to_due",
            "corrective_action_due",
            "discipline",
            "responsible",
            "policy_reference",
            "finding",
            "review_date",
            "finding_id",
        )
        if c in queue.columns
    ]
    table(
        queue[cols],
        {
            "action_status": "Status",
            "days_to_due": st.column_config.NumberColumn("Days to due", help="negative: days overdue"),
            "corrective_action_due": st.column_config.DateColumn("Due", format="D MMM YYYY"),
            "review_date": st.column_config.DateColumn("Review", format="D MMM YYYY"),
            "finding_id": "Finding ID",
        },
    )
    st.caption(f"As of {fmt_date(as_of)}.")


def _agenda(v: FindingsView, as_of: date) -> None:
    st.subheader("Agenda for the next case-management meeting")
    text = v.agenda
    st.code(text, language=None, wrap_lines=True)
    st.download_button(
        "Download the agenda (.txt)",
        file_name=f"program-review-agenda-{as_of}.txt",
        data=identity.logged(lambda: text, f"program-review-agenda-{as_of}.txt", "program-review"),
        mime="text/plain",
        icon=":material/download:",
    )


def _log(annotated: pd.DataFrame) -> None:
    with st.expander("The whole findings log, with what is computed (as `popdash findings` prints it)"):
        cols = [c for c in LOG_COLUMNS if c in annotated.columns]
        table(
            annotated.sort_values("line")[cols],
            {
                "review_date": st.column_config.DateColumn("Review", format="YYYY-MM-DD"),
                "repeat_of": st.column_config.DateColumn("Repeat of", format="YYYY-MM-DD"),
                "finding_id": "Finding ID",
            },
            key="findings_log",
        )


def main() -> None:
    as_of = page_start(
        "Program Review",
        "findings",
        source_notes.missing_page(
            "findings", "Findings are not known (not zero): import a findings log on the Data page."
        ),
        "repeat findings and corrective actions",
    )
    if as_of is None:
        return
    sample = data.store().is_sample
    v = view(as_of)
    annotated, log, queue = v.annotated, v.log, v.queue
    if log.empty:
        empty("The findings log holds no finding of the home institution (rows with a blank facility).")
        return
    with section("findings headline"):
        _headline(log, queue, annotated)
        st.caption(
            md(
                f"The findings log holds {fmt_int(len(annotated))} findings "
                f"({analytics_findings.scope_sentence(annotated)}); this page counts the home institution's."
            )
        )
    with section("findings trend"):
        _trend(v, as_of, sample)
    with section("repeat matrix"):
        _matrix(v, as_of, sample)
    with section("ratings"):
        _ratings(v, as_of, sample)
    with section("disciplines trending worse"):
        _worse(v)
    with section("corrective-action queue"):
        _queue(queue, as_of)
    with section("meeting agenda"):
        _agenda(v, as_of)
    with section("findings log"):
        _log(annotated)


main()
