"""Figure builders of the pages.

No Streamlit here, so each figure can be tested on its own (the briefing's figures, shared
with its PDF / PPTX, are reports/briefing/charts.py; the projection-band figure both draw is
reports/projection_chart.py).
Every figure carries its as-of date in its subtitle.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.components.safe_text import html_literal, literal_figure
from reports.theme import (
    ACTUAL,
    LEVEL_COLOURS,
    LEVEL_ORDER,
    NEUTRAL,
    RATED,
    STATUS_COLOURS,
    TEMPLATE,
    WARNING,
    as_of_note,
    fmt_int,
)

LEVEL_COLUMNS = {"security_level", "unit_level", "level", "target_security_level", "msl"}


def _layout(fig: go.Figure, title: str, as_of: date | None, sample: bool, height: int = 380) -> go.Figure:
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=title, subtitle=dict(text=as_of_note(as_of, sample))),
        height=height,
        margin=dict(t=96),
        # Legend at the top right, clear of the title and its as-of subtitle at the top left.
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1),
    )
    # Every builder ends here: categories, names and hover text from data become literal text.
    return literal_figure(fig)


def colour_map(values: Iterable[object], column: str | None) -> dict[str, str] | None:
    """Level colours when the column holds security levels, else None (the template's colourway)."""
    seen = set(map(str, values))
    if column in LEVEL_COLUMNS or seen <= set(LEVEL_COLOURS) | {"(blank)"}:
        return {**LEVEL_COLOURS, "(blank)": NEUTRAL}
    if seen <= set(STATUS_COLOURS) | {"(blank)", "NOT GIVEN"}:
        return {**STATUS_COLOURS, "(blank)": NEUTRAL, "NOT GIVEN": NEUTRAL}
    return None


def words(column: str) -> str:
    """A column name as axis words: 'transfer_type' -> 'transfer type'."""
    return str(column).replace("_", " ")


def _legend_name(name: object, fallback: str) -> str:
    """Security levels read 'Medium' in every legend, as on the occupancy chart."""
    if name is None:
        return fallback
    return str(name).title() if str(name) in LEVEL_COLOURS else str(name)


def _level_sorted(values: Iterable[object]) -> list[str]:
    rank = {lv: i for i, lv in enumerate(LEVEL_ORDER)}
    return sorted(map(str, values), key=lambda v: (rank.get(v, len(rank)), v))


def occupancy_by_unit(
    units: pd.DataFrame,
    warning: float,
    critical: float,
    as_of: date | None,
    sample: bool = False,
    capacity_label: str = "rated capacity",
) -> go.Figure:
    """Occupancy % per unit (columns unit, level, population, capacity), level colours, threshold lines."""
    pct = (units["population"] / units["capacity"].where(units["capacity"] > 0)).astype(float) * 100
    bars = []
    for level in _level_sorted(units["level"].unique()):
        m = (units["level"] == level).to_numpy()
        bars.append(
            go.Bar(
                x=units["unit"][m],
                y=pct[m],
                name=level.title(),
                marker_color=LEVEL_COLOURS.get(level, NEUTRAL),
                text=[f"{fmt_int(p)} / {fmt_int(c)}" for p, c in zip(units["population"][m], units["capacity"][m])],
                textposition="outside",
                cliponaxis=False,
                textfont=dict(size=11),
                hovertemplate="%{x}: %{y:.0f} % of " + capacity_label + "<br>%{text}<extra></extra>",
            )
        )
    shapes, notes = [], []
    for value, colour, label, side in ((warning, WARNING, "warning", "top"), (critical, RATED, "critical", "bottom")):
        # What add_hline draws, written out: add_hline walks every subplot and costs most of a rerun.
        y = value * 100
        span = dict(xref="x domain", x0=0, x1=1, yref="y", y0=y, y1=y)
        shapes.append(dict(type="line", line=dict(color=colour, dash="dash", width=1.5), **span))
        notes.append(
            dict(
                text=f"{label} {value * 100:.0f} %",
                font=dict(color=colour, size=12),
                bgcolor="rgba(255,255,255,0.8)",
                showarrow=False,
                xref="x domain",
                x=1,
                xanchor="right",
                yref="y",
                y=y,
                yanchor=side,  # the warning's words sit under its line, the critical's above
            )
        )
    top = max(float(pct.max()) if len(pct) and pd.notna(pct.max()) else 0, critical * 100) * 1.15
    fig = go.Figure(
        data=bars,
        layout=dict(
            shapes=shapes,
            annotations=notes,
            yaxis=dict(title=f"% of {capacity_label}", range=[0, top], tickformat=",d", ticksuffix=" %"),
            xaxis=dict(categoryorder="array", categoryarray=list(units["unit"])),
            bargap=0.25,
            barmode="overlay",
        ),
    )
    fig = _layout(fig, f"Occupancy by unit, against {capacity_label}", as_of, sample, height=420)
    # Legend under the units: at the top of a half-width chart it would cover the as-of subtitle.
    return fig.update_layout(
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0), margin=dict(b=72)
    )


def count_bars(
    counts: pd.DataFrame,
    x: str,
    value: str,
    as_of: date | None,
    sample: bool = False,
    colour: str | None = None,
    title: str = "",
    horizontal: bool = False,
) -> go.Figure:
    """Bars of `value` per `x`, stacked by `colour` (level colours when it holds levels)."""
    fig = go.Figure()
    groups = (
        [(None, counts)]
        if colour is None
        else [(g, counts[counts[colour] == g]) for g in _level_sorted(counts[colour].unique())]
    )
    cmap = colour_map(counts[colour].unique(), colour) if colour else colour_map(counts[x].unique(), x)
    for name, part in groups:
        marker: list[str] | str | None
        if colour is None and cmap:
            marker = [cmap.get(str(v), NEUTRAL) for v in part[x]]
        elif colour is not None and cmap:
            marker = cmap.get(str(name), NEUTRAL)
        else:
            marker = None
        kw = dict(y=part[x], x=part[value], orientation="h") if horizontal else dict(x=part[x], y=part[value])
        fig.add_bar(
            **kw,
            name=_legend_name(name, value),
            marker_color=marker,
            hovertemplate=("%{y}" if horizontal else "%{x}")
            + ": %{"
            + ("x" if horizontal else "y")
            + ":,d}<extra>"
            + (html_literal(name) if name is not None else "")
            + "</extra>",
        )
    fig.update_layout(barmode="stack", showlegend=colour is not None)
    axis = fig.update_xaxes if horizontal else fig.update_yaxes
    axis(tickformat=",d", title=words(value))
    other = fig.update_yaxes if horizontal else fig.update_xaxes
    other(type="category", title=words(x))
    if horizontal:
        fig.update_yaxes(autorange="reversed")
    height = max(320, 28 * counts[x].nunique() + 140) if horizontal else 380
    fig = _layout(fig, title or f"{words(value)} by {words(x)}", as_of, sample, height=height)
    if colour is not None and counts[colour].nunique() > 4:
        # Many groups: a legend down the right side, where it cannot cover the title.
        fig.update_layout(legend=dict(orientation="v", yanchor="top", y=1, xanchor="left", x=1.02))
    return fig


def level_mix(
    mix: pd.DataFrame, as_of: date | None, sample: bool = False, title: str = "Security-level mix"
) -> go.Figure:
    """Horizontal bars of population per security level (columns level, population), level colours."""
    mix = mix.assign(level=mix["level"].astype("str"))
    mix = mix.set_index("level").reindex(_level_sorted(mix["level"])).reset_index()
    fig = go.Figure(
        go.Bar(
            y=mix["level"].str.title(),
            x=mix["population"],
            orientation="h",
            marker_color=[LEVEL_COLOURS.get(lv, NEUTRAL) for lv in mix["level"]],
            text=[fmt_int(v) for v in mix["population"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,d}<extra></extra>",
        )
    )
    top = float(mix["population"].max()) if len(mix) else 0
    fig.update_xaxes(tickformat=",d", title="inmates", range=[0, top * 1.18 or 1])
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, as_of, sample, height=320)


def lines_by(
    frame: pd.DataFrame, x: str, y: str, by: str, as_of: date | None, sample: bool = False, title: str = ""
) -> go.Figure:
    """One line per value of `by` (level colours when `by` holds levels)."""
    fig = go.Figure()
    cmap = colour_map(frame[by].unique(), by)
    for name in _level_sorted(frame[by].unique()):
        part = frame[frame[by] == name]
        fig.add_scatter(
            x=part[x],
            y=part[y],
            mode="lines",
            name=_legend_name(name, y),
            line=dict(width=2, color=cmap.get(name) if cmap else None),
            hovertemplate="%{x|%d %b %Y}: %{y:,d}<extra>" + html_literal(name) + "</extra>",
        )
    fig.update_yaxes(tickformat=",d", title=words(y))
    fig.update_xaxes(tickformat="%b %Y")
    return _layout(fig, title or f"{words(y)} by {words(by)}", as_of, sample, height=420)


def heatmap(table: pd.DataFrame, as_of: date | None, sample: bool = False, title: str = "") -> go.Figure:
    """A small table of counts as a heat map with the numbers written in."""
    z = table.to_numpy(dtype=float)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(c) for c in table.columns],
            y=[str(i) for i in table.index],
            colorscale=[[0, "#f5f7fa"], [1, ACTUAL]],
            showscale=False,
            text=[[fmt_int(v) for v in row] for row in z],
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{z:,d}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    return _layout(fig, title, as_of, sample, height=max(260, 44 * len(table.index) + 150))


def projected_by_level(proj: pd.DataFrame, as_of: date | None, sample: bool = False) -> go.Figure:
    """Current and projected population per security level, rated capacity as a marker."""
    levels = proj[
        (proj["security_level"] != "FACILITY")
        & ((proj["current"] > 0) | (proj["projected"] > 0) | proj["rated_capacity"].fillna(0).gt(0))
    ]
    x = levels["security_level"].str.title()
    colours = [LEVEL_COLOURS.get(lv, NEUTRAL) for lv in levels["security_level"]]
    fig = go.Figure()
    fig.add_bar(
        x=x,
        y=levels["current"],
        name="Today",
        marker_color=colours,
        opacity=0.55,
        hovertemplate="%{x}: %{y:,d} today<extra></extra>",
    )
    fig.add_bar(
        x=x,
        y=levels["projected"],
        name="Projected",
        marker_color=colours,
        text=[fmt_int(v) for v in levels["projected"]],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{x}: %{y:,d} projected<extra></extra>",
    )
    fig.add_scatter(
        x=x,
        y=levels["rated_capacity"].astype("Float64").to_numpy(dtype=float, na_value=float("nan")),
        mode="markers",
        name="Rated capacity",
        marker=dict(symbol="line-ew", size=44, line=dict(width=3, color=RATED)),
        hovertemplate="%{x}: rated %{y:,d}<extra></extra>",
    )
    fig.update_layout(
        template=TEMPLATE,
        barmode="group",
        height=400,
        title=dict(
            text="Projected population by scored level, against rated capacity",
            subtitle=dict(text=as_of_note(as_of, sample)),
        ),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1),
        margin=dict(t=90),
    )
    fig.update_yaxes(tickformat=",d", title="inmates")
    return literal_figure(fig)
