"""Plotly figures with every data-derived label escaped: a unit named `<a href=...>` is a label, not a link.

Below both front ends: the pages and the briefing export (PDF, PPTX) draw the same figures.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from analytics.safe_text import html_literal

# Trace properties that hold data and that Plotly draws as pseudo-HTML (ticks, bar text,
# legend entries, hover labels). Titles and templates are written by the code and may hold
# markup on purpose (`<br>`), so they are not touched here: data put into them is escaped
# where the string is built.
_TRACE_TEXT = ("x", "y", "z", "text", "hovertext", "labels", "parents", "ids", "customdata", "name")
_AXIS_TEXT = ("categoryarray", "ticktext")


def _literal(value: Any) -> Any:
    """Strings escaped; arrays and nested lists walked; numbers, dates and None left alone."""
    if isinstance(value, str):
        return html_literal(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "OUS":
            return np.array([_literal(v) for v in value.tolist()], dtype=object)
        return value
    if isinstance(value, (list, tuple)):
        return type(value)(_literal(v) for v in value)
    return value


def _has_text(value: Any) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "OUS"
    if isinstance(value, (list, tuple)):
        return any(_has_text(v) for v in value)
    return False


def literal_figure(fig: go.Figure) -> go.Figure:
    """Escape every data-derived label of `fig` in place (categories, names, text, hover text)."""
    for trace in fig.data:
        for prop in _TRACE_TEXT:
            # Asked first: reading a property a trace type lacks raises an error whose message
            # Plotly builds by comparing the name with every property (most of a page's rerun).
            if prop not in trace:
                continue
            value = trace[prop]
            if value is not None and _has_text(value):
                trace[prop] = _literal(value)
    for key in list(fig.layout.to_plotly_json()):
        if key.startswith(("xaxis", "yaxis")):
            axis = fig.layout[key]
            for prop in _AXIS_TEXT:
                value = axis[prop]
                if value is not None and _has_text(value):
                    axis[prop] = _literal(value)
    return fig
