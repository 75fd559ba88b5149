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


def _needs_escape(value: Any) -> bool:
    """True when some string in `value` reads differently once escaped. A figure already made
    literal is then only read, never written: cached figures are shared between sessions."""
    if isinstance(value, str):
        return html_literal(value) != value
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "OUS" and any(_needs_escape(v) for v in value.tolist())
    if isinstance(value, (list, tuple)):
        return any(_needs_escape(v) for v in value)
    return False


def literal_figure(fig: go.Figure) -> go.Figure:
    """Escape every data-derived label of `fig` in place (categories, names, text, hover text);
    a label that needs no escaping is not written."""
    for trace in fig.data:
        for prop in _TRACE_TEXT:
            # Asked first: reading a property a trace type lacks raises an error whose message
            # Plotly builds by comparing the name with every property (most of a page's rerun).
            if prop not in trace:
                continue
            value = trace[prop]
            if value is not None and _needs_escape(value):
                trace[prop] = _literal(value)
    for key in list(fig.layout.to_plotly_json()):
        if key.startswith(("xaxis", "yaxis")):
            axis = fig.layout[key]
            for prop in _AXIS_TEXT:
                value = axis[prop]
                if value is not None and _needs_escape(value):
                    axis[prop] = _literal(value)
    return fig
