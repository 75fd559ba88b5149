"""The briefing's charts: pure Plotly builders shared by the /briefing page and the PDF / PPTX export.

No Streamlit here. Every figure carries its as-of date in its subtitle, uses the
"popdash" template and large type for a projector. Inputs are aggregates only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analytics.briefing import level_name
from analytics.disclosure import group_texts, hidden, is_small
from analytics.safe_text import html_literal
from reports import theme
from reports.projection_chart import projection_figure, recent_history
from reports.safe_figure import literal_figure

FONT_SIZE = 18  # readable from the back of a meeting room
IN_COLOUR = theme.ACTUAL
OUT_COLOUR = "#9aa0a6"
DISCIPLINE_COLOURS = ["#1f4e79", "#e0a030", "#4c9f70", "#7a6fb0", "#3b7dd8", "#c8423b", "#6b7280", "#a0522d"]


def _layout(fig: go.Figure, title: str, as_of: date, sample: bool, **extra: Any) -> go.Figure:
    fig.update_layout(
        template=theme.TEMPLATE,
        title=dict(
            text=title, subtitle=dict(text=theme.as_of_note(as_of, sample), font=dict(size=16)), font=dict(size=22)
        ),
        font=dict(size=FONT_SIZE),
        margin=dict(l=70, r=30, t=100, b=90),
        legend=dict(orientation="h", yanchor="top", y=-0.14, x=0, font=dict(size=16), traceorder="normal"),
        **extra,
    )
    # Every builder ends here: units, disciplines and names from data become literal text.
    return literal_figure(fig)


def population_trend(
    history: pd.DataFrame,
    projection: pd.DataFrame | None,
    rated: int,
    operational: int,
    as_of: date,
    sample: bool = False,
    days: int = 365,
    assumed_bands: bool = False,
    backed: int | None = -1,
) -> go.Figure:
    """Daily population for the last `days`, rated and operational capacity, projection mean and 80/95 % bands.

    The same figure as /capacity's (reports.projection_chart), with type for a meeting room.
    `backed`: the longest horizon the track record scored; bands beyond it are drawn as assumed.
    """
    return projection_figure(
        recent_history(history, as_of, days),
        as_of,
        baseline=projection,
        rated=rated,
        operational=operational,
        title="Population and capacity",
        sample=sample,
        large=True,
        assumed_bands=assumed_bands,
        backed=backed,
    )


def _small_labels(fig: go.Figure, x: list[str], texts: list[str], hide: list[bool], group: str) -> None:
    """'fewer than 5' (or 'not shown') at the foot of each bar left out, in the bar's own slot."""
    if any(hide):
        fig.add_scatter(
            x=x,
            y=[0 if h else None for h in hide],
            mode="text",
            text=[t if h else "" for t, h in zip(texts, hide)],
            textposition="top center",
            textfont=dict(size=12),  # narrower than a bar's slot, so two neighbours never overlap
            offsetgroup=group,
            showlegend=False,
            hoverinfo="skip",
        )


def _shown(values: pd.Series, hide: list[bool]) -> list[int | None]:
    """Bar heights: a hidden group's count never reaches the figure (not even its hover data)."""
    return [None if h else int(v) for v, h in zip(values, hide)]


def level_mix(mix: pd.DataFrame, as_of: date, sample: bool = False, small: int | None = None) -> go.Figure:
    """Inmates by required security level (filled) beside rated beds of the units at that level (outlined).

    `small`: inmate counts from 1 to small-1 are not drawn; their slot reads "fewer than {small}",
    and a group hidden beside one (the population is shown on the briefing) reads "not shown".
    """
    labels = [level_name(lv) for lv in mix["level"]]
    colours = [theme.LEVEL_COLOURS.get(lv, theme.NEUTRAL) for lv in mix["level"]]
    hide = hidden(mix["inmates"], small)
    inmates = _shown(mix["inmates"], hide)
    fig = go.Figure()
    fig.add_bar(
        x=labels,
        y=inmates,
        name="Inmates (required level)",
        marker=dict(color=colours),
        text=[f"{v:,}" if v else "" for v in inmates],
        textposition="outside",
        offsetgroup="inmates",
    )
    fig.add_bar(
        x=labels,
        y=mix["beds"],
        name="Rated beds (outlined)",
        marker=dict(color="rgba(255,255,255,0)", line=dict(color=colours, width=3)),
        text=[f"{v:,}" if v else "" for v in mix["beds"]],
        textposition="outside",
        offsetgroup="beds",
    )
    _small_labels(fig, labels, group_texts(mix["inmates"], small), hide, "inmates")
    fig.update_layout(barmode="group", scattermode="group", bargap=0.25, uniformtext=dict(minsize=14, mode="show"))
    fig.update_yaxes(tickformat=",d", rangemode="tozero")
    return _layout(fig, "Required security level (points and PSF floors) against rated beds", as_of, sample)


def missing(title: str, reasons: list[str], as_of: date, sample: bool = False) -> go.Figure:
    """A chart that cannot be drawn: its title and, in its place, why (never an empty axis that reads as 0)."""
    fig = go.Figure()
    fig.add_annotation(
        text="<br>".join(html_literal(r[:1].upper() + r[1:]) for r in reasons),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font=dict(size=22, color=theme.NEUTRAL),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, as_of, sample, height=360)


PIPELINE_TITLE = "Pipeline: pending moves by security level"


def pipeline(
    pipe: pd.DataFrame,
    as_of: date,
    sample: bool = False,
    small: int | None = None,
    shown: tuple[str, ...] = ("pending_in", "pending_out"),
) -> go.Figure:
    """Pending moves in and out by security level (pipe: level, pending_in, pending_out); empty levels left out.

    `shown`: the sides whose sources are in the store (the others are not drawn, not drawn as 0);
    `small`: counts from 1 to small-1 read "fewer than {small}" instead of a bar; when the side's
    total is shown (it is not small itself), a level hidden alone takes the next-smallest with it.
    """
    pipe = pipe[pipe[list(shown)].gt(0).any(axis=1)]
    labels = [level_name(lv) if lv in theme.LEVEL_COLOURS else "Not given" for lv in pipe["level"]]
    # the sentence shows each side's total unless that total is a small group itself
    whole = {col: not is_small(int(pipe[col].sum()), small) for col in shown}
    hide = {col: hidden(pipe[col], small, whole[col]) for col in shown}
    fig = go.Figure()
    for col, name, colour in (("pending_in", "Pending in", IN_COLOUR), ("pending_out", "Pending out", OUT_COLOUR)):
        if col not in shown:
            continue
        heights = _shown(pipe[col], hide[col])
        fig.add_bar(
            x=labels,
            y=heights,
            name=name,
            marker_color=colour,
            text=[f"{v:,}" if v is not None else "" for v in heights],
            textposition="outside",
            offsetgroup=col,
        )
    for col in shown:
        _small_labels(fig, labels, group_texts(pipe[col], small, whole[col]), hide[col], col)
    fig.update_layout(barmode="group", scattermode="group", bargap=0.25)
    fig.update_yaxes(tickformat=",d", rangemode="tozero")
    return _layout(fig, PIPELINE_TITLE, as_of, sample)


def review_trend(trend: pd.DataFrame, as_of: date, sample: bool = False) -> go.Figure:
    """Findings per Program Review, stacked by discipline, with the repeat findings as a line."""
    t = trend.assign(review=[f"{d.day} {d:%b %Y}" for d in pd.to_datetime(trend["review_date"])])
    order = list(dict.fromkeys(t.sort_values("review_date")["review"]))
    fig = go.Figure()
    for i, (discipline, part) in enumerate(t.groupby("discipline", sort=True)):
        fig.add_bar(
            x=part["review"],
            y=part["findings"],
            name=str(discipline),
            marker_color=DISCIPLINE_COLOURS[i % len(DISCIPLINE_COLOURS)],
        )
    rep = t.groupby("review", sort=False)["repeats"].sum().reindex(order)
    fig.add_scatter(
        x=order,
        y=rep.values,
        name="Repeat findings",
        mode="lines+markers+text",
        line=dict(color="#1a1a1a", width=3),
        marker=dict(size=12, symbol="diamond"),
        text=[f"{v:,}" for v in rep.values],
        textposition="top center",
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(categoryorder="array", categoryarray=order, type="category")
    fig.update_yaxes(tickformat=",d", rangemode="tozero")
    return _layout(fig, "Program Review findings by discipline", as_of, sample)


def track_record(record: pd.DataFrame, as_of: date, sample: bool = False) -> go.Figure:
    """Mean absolute percentage error by horizon (in %): the projection against 'same as last count'."""
    fig = go.Figure()
    record = record[record["mape"].notna()]
    labels = [f"{h} days" for h in record["horizon"]]
    fig.add_bar(
        x=labels,
        y=record["mape"],
        name="Projection",
        marker_color=theme.ACTUAL,
        text=[f"{v:.1f} %" for v in record["mape"]],
        textposition="outside",
    )
    fig.add_bar(
        x=labels,
        y=record["mape_naive"],
        name="Same as last count",
        marker_color=OUT_COLOUR,
        text=[f"{v:.1f} %" for v in record["mape_naive"]],
        textposition="outside",
    )
    fig.update_layout(barmode="group", bargap=0.3)
    fig.update_yaxes(ticksuffix=" %", tickformat=".1f", rangemode="tozero", title=None)
    return _layout(fig, "Track record: average error of the projection by horizon", as_of, sample)
