"""The projection-band figure: history, capacity lines, the baseline projection and any scenarios.

One figure for /capacity and the briefing (its page, PDF and PPTX), so a band looks the same
wherever it is shown: the same fills, line widths and legend words. `large=True` only scales
the type for a meeting room. No Streamlit here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from analytics.safe_text import html_literal
from reports import theme
from reports.safe_figure import literal_figure
from reports.track_record import band_kind

# A scenario's colour: none of them is a capacity colour (red, violet) or the baseline's navy.
SCENARIO_COLOURS = ("#d9822b", "#2a9d8f", "#8c564b", "#b5179e")
SCENARIO_FILL_ALPHA = 0.18
LINE_WIDTH = 2.5  # history, projected means
CAPACITY_WIDTH = 2.0


@dataclass(frozen=True)
class ScenarioBand:
    """One scenario as the figure draws it.

    `label` is drawn as text (escaped); the briefing passes "Scenario A", never the user's name.
    `projection`: date, mean, lo80, hi80 (lo95 / hi95 ignored: two 95 % bands would hide each other).
    `rated` / `operational`: date, capacity (the lines as its bed events move them), or None.
    """

    label: str
    projection: pd.DataFrame
    rated: pd.DataFrame | None = None
    operational: pd.DataFrame | None = None


def scenario_colour(i: int) -> str:
    """The colour of the i-th scenario (0-based), the same on the chart and in its legend."""
    return SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _band(fig: go.Figure, p: pd.DataFrame, lo: str, hi: str, fill: str, name: str, assumed: bool, group: str) -> None:
    """One band as a closed shape (upper edge out, lower edge back): one legend entry, no gaps.

    Measured bands are filled; assumed ones (beyond the track record) are only outlined, dashed
    for 80 % and dotted for 95 %, so nobody reads a guess as a measured range.
    """
    fig.add_scatter(
        x=pd.concat([p["date"], p["date"][::-1]]),
        y=pd.concat([p[hi], p[lo][::-1]]),
        fill=None if assumed else "toself",
        fillcolor=None if assumed else fill,
        mode="lines",
        line=dict(width=1.5, dash="dash" if lo == "lo80" else "dot", color=_solid(fill))
        if assumed
        else dict(width=0, color=fill),
        name=name,
        legendgroup=group,
        hoverinfo="skip",
    )


def _solid(colour: str) -> str:
    """A band's fill colour made opaque enough to draw its outline."""
    if colour.startswith("rgba("):
        r, g, b, _ = colour[5:-1].split(",")
        return f"rgba({r},{g},{b},0.8)"
    return colour


def recent_history(history: pd.DataFrame, as_of: date, days: int) -> pd.DataFrame:
    """The daily population of the `days` up to and including `as_of` (as_of_date as timestamps)."""
    h = history.assign(as_of_date=pd.to_datetime(history["as_of_date"]))
    return h[(h["as_of_date"] > pd.Timestamp(as_of - timedelta(days=days))) & (h["as_of_date"] <= pd.Timestamp(as_of))]


def _split_backed(p: pd.DataFrame, as_of: date, backed: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(measured, assumed) days of a projection sorted by date, as `track_record.band_kind` tells them.

    -1: all measured (no track record consulted). The assumed part starts on the last measured
    day, so the two bands join.
    """
    if backed == -1:
        return p, p.iloc[0:0]
    measured = band_kind(p["date"], as_of, backed).eq("measured").to_numpy()
    if measured.all():
        return p, p.iloc[0:0]
    return p[measured], p.iloc[max(int(measured.sum()) - 1, 0) :]


def _capacity_step(fig: go.Figure, line: pd.DataFrame, colour: str, name: str, group: str) -> None:
    """A capacity line that moves on the days a bed event takes effect (drawn as steps)."""
    fig.add_scatter(
        x=line["date"],
        y=line["capacity"],
        mode="lines",
        line=dict(color=colour, width=CAPACITY_WIDTH, dash="dashdot", shape="hv"),
        name=name,
        legendgroup=group,
        hovertemplate="%{x|%d %b %Y}: %{y:,.0f} beds<extra></extra>",
    )


def _moves(line: pd.DataFrame | None, constant: int | None) -> bool:
    """Whether a scenario's capacity line differs from the baseline's constant one anywhere."""
    if line is None or line.empty:
        return False
    return constant is None or bool((line["capacity"].round() != round(constant)).any())


def _month_step(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """One tick a month, or every few months over a long span: never two ticks with one label."""
    if pd.isna(start) or pd.isna(end):
        return "M1"
    months = (end - start).days / 30.4
    return f"M{max(1, math.ceil(months / 9))}"


def value_range(
    history: pd.DataFrame, bands: Sequence[pd.DataFrame], lines: Sequence[float | None]
) -> list[float] | None:
    """A y range that holds the history, every band drawn (each `bands` frame carries the lo/hi
    columns of the bands drawn from it) and the capacity lines: nothing drawn runs off the edge."""
    values = [float(v) for v in history["population"]] + [float(v) for v in lines if v]
    for b in bands:
        for col in ("lo80", "hi80", "lo95", "hi95"):
            if col in b.columns and b[col].notna().any():
                values.append(float(b[col].min() if col.startswith("lo") else b[col].max()))
    values = [v for v in values if math.isfinite(v)]
    if not values:
        return None
    lo, hi = min(values), max(values)
    pad = max((hi - lo) * 0.12, hi * 0.01, 1.0)
    return [max(lo - pad, 0), hi + pad]


def projection_figure(
    history: pd.DataFrame,
    as_of: date,
    *,
    baseline: pd.DataFrame | None = None,
    scenarios: Sequence[ScenarioBand] = (),
    rated: int | None = None,
    operational: int | None = None,
    title: str = "Population and capacity",
    sample: bool = False,
    large: bool = False,
    assumed_bands: bool = False,
    backed: int | None = -1,
) -> go.Figure:
    """Daily population (as_of_date, population), capacity lines, the baseline projection (date, mean,
    lo80, hi80, lo95, hi95) with its bands, and each scenario's mean, 80 % band and moved capacity lines.

    `assumed_bands`: the bands are assumed, not measured (a store without a track record); they are
    drawn hatched and named so in the legend. `backed`: the longest horizon (days) the track
    record scored (reports.track_record): the baseline's bands beyond it are drawn as assumed,
    all of them when None; -1 (the default) leaves `assumed_bands` to decide.
    `large`: type sized for a projector.
    """
    fig = go.Figure()
    h = history.assign(as_of_date=pd.to_datetime(history["as_of_date"]))
    x0, x_end = h["as_of_date"].min(), h["as_of_date"].max()
    shown_bands: list[pd.DataFrame] = []
    word = "assumed range" if assumed_bands else "range"
    if baseline is not None and len(baseline):
        p = baseline.assign(date=pd.to_datetime(baseline["date"])).sort_values("date")
        x_end = p["date"].max() if pd.isna(x_end) else max(x_end, p["date"].max())
        # With scenarios, only 80 % bands: overlapping 95 % bands would hide the scenarios'.
        drawn = ("lo80", "hi80") if scenarios else ("lo80", "hi80", "lo95", "hi95")
        shown_bands.append(p[[c for c in drawn if c in p.columns]])
        layers = [("lo80", "hi80", theme.BAND_80, f"80 % {word}")]
        if not scenarios:
            layers.insert(0, ("lo95", "hi95", theme.BAND_95, f"95 % {word}"))
        measured, assumed = _split_backed(p, as_of, None if assumed_bands else backed)
        for lo, hi, fill, name in layers:
            name = name if not scenarios else f"Baseline {name}"
            if len(measured):
                _band(fig, measured, lo, hi, fill, name, assumed_bands, "baseline")
            if len(assumed):
                label = name if assumed_bands else f"{name}, assumed" + (" (no track record)" if backed is None else "")
                _band(fig, assumed, lo, hi, fill, label, True, "baseline")
        fig.add_scatter(
            x=p["date"],
            y=p["mean"],
            mode="lines",
            name="Projected" if not scenarios else "Baseline projected",
            legendgroup="baseline",
            line=dict(color=theme.PROJECTION, dash="dash", width=LINE_WIDTH),
            hovertemplate="%{x|%d %b %Y}: %{y:,.0f} projected<extra>baseline</extra>",
        )
    for i, s in enumerate(scenarios):
        colour = scenario_colour(i)
        p = s.projection.assign(date=pd.to_datetime(s.projection["date"])).sort_values("date")
        if p.empty:
            continue
        x_end = p["date"].max() if pd.isna(x_end) else max(x_end, p["date"].max())
        shown_bands.append(p[["date", "lo80", "hi80"]])  # only its 80 % band is drawn
        group = f"scenario{i}"
        # split where the baseline's is: a scenario's band is no better backed than the baseline's
        measured, assumed = _split_backed(p, as_of, None if assumed_bands else backed)
        fill, name = _rgba(colour, SCENARIO_FILL_ALPHA), f"{s.label} 80 % {word}"
        if len(measured):
            _band(fig, measured, "lo80", "hi80", fill, name, assumed_bands, group)
        if len(assumed):
            _band(fig, assumed, "lo80", "hi80", fill, name if assumed_bands else f"{name}, assumed", True, group)
        fig.add_scatter(
            x=p["date"],
            y=p["mean"],
            mode="lines",
            name=f"{s.label} projected",
            legendgroup=group,
            line=dict(color=colour, dash="dash", width=LINE_WIDTH),
            hovertemplate="%{x|%d %b %Y}: %{y:,.0f} projected<extra>" + html_literal(s.label) + "</extra>",
        )
    fig.add_scatter(
        x=h["as_of_date"],
        y=h["population"],
        mode="lines",
        name="Population",
        line=dict(color=theme.ACTUAL, width=LINE_WIDTH + 0.5),
        hovertemplate="%{x|%d %b %Y}: %{y:,d}<extra></extra>",
    )
    for value, colour, name, key in (
        (rated, theme.RATED, "Rated capacity", "rated"),
        (operational, theme.OPERATIONAL, "Operational capacity", "operational"),
    ):
        if not value or (key == "operational" and value == rated):
            continue  # one line when both definitions give the same number
        fig.add_scatter(
            x=[x0, x_end],
            y=[value, value],
            mode="lines",
            name=f"{name} {value:,}",
            line=dict(color=colour, width=CAPACITY_WIDTH, dash="dot"),
            hoverinfo="skip",
        )
        for i, s in enumerate(scenarios):
            line = s.rated if key == "rated" else s.operational
            if line is not None and _moves(line, value):
                _capacity_step(fig, line, colour, f"{name}, {s.label}", f"scenario{i}")
    lines = [rated, operational] + [
        float(v)
        for s in scenarios
        for line in (s.rated if rated else None, s.operational if operational else None)
        if line is not None
        for v in (line["capacity"].min(), line["capacity"].max())
    ]
    fig.update_yaxes(title=None if large else "inmates", tickformat=",d", range=value_range(h, shown_bands, lines))
    fig.update_xaxes(tickformat="%b %Y", dtick=_month_step(x0, x_end))
    return _layout(fig, title, as_of, sample, large)


def _layout(fig: go.Figure, title: str, as_of: date, sample: bool, large: bool) -> go.Figure:
    size = 18 if large else 14  # large: readable from the back of a meeting room
    fig.update_layout(
        template=theme.TEMPLATE,
        title=dict(
            text=title,
            subtitle=dict(text=theme.as_of_note(as_of, sample), font=dict(size=size - 2)),
            font=dict(size=22 if large else 17),
        ),
        font=dict(size=size),
        height=None if large else 460,
        margin=dict(l=70, r=30, t=100, b=90) if large else dict(t=96, b=64),
        # Under the plot: a legend of several scenarios would cover the title at the top.
        legend=dict(orientation="h", yanchor="top", y=-0.12, x=0, font=dict(size=size - 2), traceorder="normal"),
        hovermode="closest",
    )
    # Scenario labels and unit names come from people: drawn as literal text.
    return literal_figure(fig)
