"""One look for every page and export: colours with fixed meanings, number formats.

No Streamlit here: the briefing export (PDF/PPTX) uses the same theme.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# A security level is the same colour on every page and in every file.
LEVEL_COLOURS: dict[str, str] = {
    "MINIMUM": "#4c9f70",  # green: least security
    "LOW": "#3b7dd8",  # blue
    "MEDIUM": "#e0a030",  # amber
    "HIGH": "#c8423b",  # red: most security
    "ADMINISTRATIVE": "#7a6fb0",  # violet: holds every level
    "UNASSIGNED": "#9aa0a6",  # grey: not yet classified
}
LEVEL_ORDER = ["MINIMUM", "LOW", "MEDIUM", "HIGH", "ADMINISTRATIVE", "UNASSIGNED"]

# Request and transport statuses: waiting is amber, moving is blue, done is green, refused is red.
STATUS_COLOURS: dict[str, str] = {
    "PENDING": "#e0a030",
    "AWAITING TRANSPORT": "#e0a030",
    "HOLDOVER": "#c98a1c",
    "VOLUNTARY SURRENDER": "#d9b45a",
    "APPROVED": "#3b7dd8",
    "IN TRANSIT": "#7fb0ea",
    "COMPLETED": "#4c9f70",
    "DENIED": "#c8423b",
    "CANCELLED": "#9aa0a6",
}

# Series colours with fixed meanings.
ACTUAL = "#1f4e79"  # observed population
PROJECTION = "#1f4e79"  # projected mean (dashed)
BAND_80 = "rgba(31,78,121,0.25)"
BAND_95 = "rgba(31,78,121,0.12)"
RATED = "#c8423b"  # rated capacity line
OPERATIONAL = "#7a6fb0"  # operational capacity line
WARNING = "#e0a030"  # occupancy warning threshold
NEUTRAL = "#6b7280"
GOOD = "#4c9f70"

FONT_FAMILY = "Inter, 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"

_template = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT_FAMILY, size=14, color="#1a1a1a"),
        title=dict(font=dict(size=17), x=0, xanchor="left"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=[ACTUAL, "#e0a030", "#4c9f70", "#c8423b", "#7a6fb0", "#3b7dd8", NEUTRAL],
        xaxis=dict(showgrid=False, linecolor="#d0d5dd", ticks="outside", tickcolor="#d0d5dd"),
        yaxis=dict(gridcolor="#eef0f3", zeroline=False, tickformat=",d", separatethousands=True),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, bgcolor="rgba(0,0,0,0)"),
        margin=dict(l=56, r=24, t=64, b=48),
        hoverlabel=dict(font=dict(family=FONT_FAMILY)),
        separators=".,",
    )
)
pio.templates["popdash"] = _template
TEMPLATE = "popdash"


def _missing(n: object) -> bool:
    """None, NaN or pandas' NA."""
    return n is None or n is pd.NA or (isinstance(n, float) and math.isnan(n))


def fmt_int(n: float | int | None) -> str:
    """1742 -> '1,742'; missing -> '—'."""
    if n is None or _missing(n):
        return "—"
    return f"{int(round(n)):,}"


def fmt_signed(n: float | int | None) -> str:
    """12 -> '+12', -3 -> '−3', 0 -> '0'."""
    if n is None or _missing(n):
        return "—"
    n = int(round(n))
    return f"+{n:,}" if n > 0 else (f"−{abs(n):,}" if n < 0 else "0")


def fmt_pct(fraction: float | None, digits: int = 0) -> str:
    """0.962 -> '96 %' (the agency's sheets put a space before %)."""
    if fraction is None or _missing(fraction):
        return "—"
    return f"{fraction * 100:.{digits}f} %"


def fmt_date(d: date | None) -> str:
    """A date as '22 Nov 2026' (unambiguous for every reader)."""
    if d is None:
        return "—"
    return f"{d.day} {d:%b %Y}"


def as_of_note(d: date | None, sample: bool = False) -> str:
    """The caption every chart carries."""
    text = f"As of {fmt_date(d)}"
    return f"{text} · SAMPLE DATA" if sample else text
