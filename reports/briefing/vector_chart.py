"""The briefing's Plotly figures drawn straight onto a PDF page with reportlab's own vector graphics.

The PDF no longer needs a browser: starting kaleido's Chromium took most of `popdash brief`'s
time and memory, and a vector chart is sharper on a projector and in print than a picture.
The figure objects are the same ones /briefing shows; this module reads their traces and
layout (the "popdash" template's colours and sizes) and draws what the briefing's charts use:
line, text and marker scatters (dashes, steps, closed filled bands), grouped and stacked bars
with their labels, date / category / number axes, the horizontal legend, paper annotations.
A figure using anything else is not drawn here (`supported` says so) and goes to kaleido.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

_TRACE_TYPES = {"scatter", "bar"}
_MODES = {"lines", "text", "markers", "lines+markers", "lines+markers+text", "lines+text", "markers+text"}
_TAG = re.compile(r"<[^>]+>")


def supported(fig: go.Figure) -> bool:
    """Whether every trace and layout feature of `fig` is one this module draws."""
    lay = fig.layout
    if lay.shapes or lay.images or any(a.xref not in (None, "paper") or a.showarrow for a in lay.annotations):
        return False
    if any(k.startswith(("xaxis2", "yaxis2")) for k in lay.to_plotly_json()):
        return False
    for t in fig.data:
        if t.type not in _TRACE_TYPES:
            return False
        if t.type == "scatter" and ((t.mode or "lines") not in _MODES or t.fill not in (None, "none", "toself")):
            return False
        if t.type == "bar" and t.orientation == "h":
            return False
    return True


# ------------------------------------------------------------------ small helpers


def _lookup(fig: go.Figure, path: str, default: Any = None) -> Any:
    """A layout property, else the template's, else `default` ("xaxis.gridcolor" style paths)."""
    template = fig.layout.template.layout if fig.layout.template is not None else None
    for root in (fig.layout, template):
        node: Any = root
        for part in path.split("."):
            if node is None:
                break
            try:
                node = node[part]
            except (KeyError, ValueError, TypeError):
                node = None
        if node is not None and not (isinstance(node, (tuple, list)) and not node):
            return node
    return default


def colour(value: str | None) -> Color | None:
    """A Plotly colour string ('#rrggbb', 'rgb(...)', 'rgba(...)', 'white') as a reportlab colour."""
    if value is None:
        return None
    value = value.strip()
    if value.startswith("#"):
        return HexColor(value)
    m = re.fullmatch(r"rgba?\(([^)]*)\)", value)
    if m:
        parts = [float(p) for p in m.group(1).split(",")]
        alpha = parts[3] if len(parts) > 3 else 1.0
        return Color(parts[0] / 255, parts[1] / 255, parts[2] / 255, alpha=alpha)
    named = {"white": "#ffffff", "black": "#000000", "grey": "#808080", "gray": "#808080"}
    if value in named:
        return HexColor(named[value])
    if value == "transparent":
        return Color(0, 0, 0, alpha=0)
    return HexColor("#1a1a1a")


def text_of(value: object) -> list[str]:
    """Plotly's pseudo-HTML as plain lines: `<br>` breaks, other tags dropped, entities decoded."""
    if value is None:
        return []
    parts = re.split(r"<br\s*/?>", str(value), flags=re.IGNORECASE)
    return [html.unescape(_TAG.sub("", p)) for p in parts]


def _values(v: Any) -> list[Any]:
    if v is None:
        return []
    if isinstance(v, np.ndarray):
        return v.tolist()
    return list(v)


def _missing(v: Any) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _is_date(v: Any) -> bool:
    return isinstance(v, (datetime, pd.Timestamp, np.datetime64)) or (
        isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\d([ T][\d:.]+)?", v) is not None
    )


def _to_days(v: Any) -> float:
    """A date as days since the epoch (the x coordinate of a date axis)."""
    return pd.Timestamp(v).value / 86_400e9


def nice_step(span: float, length: float, minimum_px: float) -> float:
    """Plotly's automatic tick step: about one tick per `minimum_px`, rounded to 2, 5 or 10 times a power of ten."""
    count = min(max(length / minimum_px, 4), 9) + 1
    rough = span / count if span > 0 else 1.0
    base = 10 ** math.floor(math.log10(rough))
    for m in (1, 2, 5, 10):
        if rough <= m * base * 1.0000001:
            return m * base
    return 10 * base


def tick_label(value: float, fmt: str | None, suffix: str = "") -> str:
    """A number as the axis's d3 tick format shows it (',d', '.1f', ',.0f'; else Plotly's plain form)."""
    if fmt:
        m = re.fullmatch(r"(,?)\.?(\d*)([df%])", fmt)
        if m:
            comma, digits, kind = m.groups()
            if kind == "d":
                text = f"{round(value):,}" if comma else f"{round(value)}"
            elif kind == "%":
                text = f"{value * 100:{',' if comma else ''}.{digits or 0}f}%"
            else:
                text = f"{value:{',' if comma else ''}.{digits or 6}f}"
            return (text.replace("-", "\u2212") if value < 0 else text) + suffix
    text = f"{value:,.10g}" if abs(value) >= 1000 else f"{value:.10g}"
    return (text.replace("-", "\u2212") if value < 0 else text) + suffix


def month_ticks(lo: float, hi: float, every: int) -> list[float]:
    """First days of months `every` months apart (counted from January 2000, as Plotly does) in [lo, hi]."""
    start = pd.Timestamp(lo * 86_400e9)
    months = (start.year - 2000) * 12 + start.month - 1
    months -= months % every
    out: list[float] = []
    while True:
        day = pd.Timestamp(year=2000 + months // 12, month=months % 12 + 1, day=1)
        d = _to_days(day)
        if d > hi + 1e-9:
            return out
        if d >= lo - 1e-9:
            out.append(d)
        months += every


def _dash(style: str | None, width: float) -> list[float] | None:
    """Plotly's dash patterns (in figure pixels) for a line of `width`."""
    w = max(width, 3.0)
    patterns = {
        "dot": [w, w],
        "dash": [3 * w, 3 * w],
        "longdash": [5 * w, 5 * w],
        "dashdot": [3 * w, w, w, w],
        "longdashdot": [5 * w, w, w, w],
    }
    if style in patterns:
        return patterns[style]
    if style and re.fullmatch(r"[\d.]+(px)?(,\s*[\d.]+(px)?)*", style):
        return [float(p.strip().removesuffix("px")) for p in style.split(",")]
    return None


# ------------------------------------------------------------------ the drawing


class _Painter:
    """Figure pixels (origin top left) onto a box of the page (points, origin bottom left)."""

    def __init__(self, c: Canvas, x: float, y: float, scale: float, height_px: float, font: str) -> None:
        self.c, self.x, self.y, self.s, self.h, self.font = c, x, y, scale, height_px, font

    def pt(self, px: float, py: float) -> tuple[float, float]:
        return self.x + px * self.s, self.y + (self.h - py) * self.s

    def stroke(self, col: Color | None, width: float, dash: list[float] | None = None) -> None:
        col = col or HexColor("#1a1a1a")
        self.c.setStrokeColor(col)
        self.c.setStrokeAlpha(col.alpha)
        self.c.setLineWidth(width * self.s)
        self.c.setDash([d * self.s for d in dash] if dash else [])

    def fill(self, col: Color) -> None:
        self.c.setFillColor(col)
        self.c.setFillAlpha(col.alpha)

    def path(self, points: Sequence[tuple[float, float]], *, stroke: bool, fill: bool, close: bool = False) -> None:
        p = self.c.beginPath()
        for i, (px, py) in enumerate(points):
            (p.moveTo if i == 0 else p.lineTo)(*self.pt(px, py))
        if close:
            p.close()
        self.c.drawPath(p, stroke=int(stroke), fill=int(fill))

    def text(
        self, lines: list[str], px: float, py: float, size: float, col: Color | None, anchor: str = "middle"
    ) -> None:
        """Lines of text with the first baseline at py (figure pixels); anchor: start, middle or end."""
        self.fill(col or HexColor("#1a1a1a"))
        self.c.setFont(self.font, size * self.s)
        for i, line in enumerate(lines):
            x, y = self.pt(px, py + i * size * 1.3)
            if anchor == "middle":
                self.c.drawCentredString(x, y, line)
            elif anchor == "end":
                self.c.drawRightString(x, y, line)
            else:
                self.c.drawString(x, y, line)

    def width(self, line: str, size: float) -> float:
        """A line's width in figure pixels."""
        return stringWidth(line, self.font, size)


def _trace_shown(t: Any) -> bool:
    return t.visible in (None, True)


def _x_kind(fig: go.Figure, traces: list[Any]) -> str:
    declared = _lookup(fig, "xaxis.type")
    if declared in ("category", "date", "linear"):
        return str(declared)
    for t in traces:
        for v in _values(t.x):
            if _missing(v):
                continue
            if _is_date(v):
                return "date"
            return "category" if isinstance(v, str) else "linear"
    return "linear"


def _categories(fig: go.Figure, traces: list[Any]) -> list[str]:
    order = _lookup(fig, "xaxis.categoryarray")
    seen: dict[str, None] = {}
    if _lookup(fig, "xaxis.categoryorder") == "array" and order is not None:
        seen.update(dict.fromkeys(str(v) for v in order))
    for t in traces:
        seen.update(dict.fromkeys(str(v) for v in _values(t.x) if not _missing(v)))
    return list(seen)


def draw_figure(
    c: Canvas, fig: go.Figure, x: float, y: float, width_pt: float, width_px: int, height_px: int, font: str
) -> None:
    """Draw `fig` as a `width_px` x `height_px` figure scaled to `width_pt` points, its lower left corner at (x, y)."""
    p = _Painter(c, x, y, width_pt / width_px, height_px, font)
    c.saveState()
    try:
        _draw(fig, p, width_px, height_px)
    finally:
        c.restoreState()


def _draw(fig: go.Figure, p: _Painter, W: float, H: float) -> None:  # noqa: N803 (figure width and height)
    base_size = float(_lookup(fig, "font.size", 12))
    ink = colour(_lookup(fig, "font.color", "#444444"))
    margin = {k: float(_lookup(fig, f"margin.{k}", d)) for k, d in (("l", 80), ("r", 80), ("t", 100), ("b", 80))}
    left, right, top, bottom = margin["l"], W - margin["r"], margin["t"], H - margin["b"]
    plot_w, plot_h = right - left, bottom - top

    # Title and subtitle in the top margin, from the left edge as the template places them.
    title_size = float(_lookup(fig, "title.font.size", base_size * 1.2))
    title_lines = text_of(_lookup(fig, "title.text"))
    ty = 19 + title_size  # where Plotly puts a title and its subtitle in the top margin
    if title_lines:
        p.text(title_lines, 3, ty, title_size, ink, "start")
        ty += title_size * 1.3 * (len(title_lines) - 1)
    sub = text_of(_lookup(fig, "title.subtitle.text"))
    if sub:
        sub_size = float(_lookup(fig, "title.subtitle.font.size", base_size))
        p.text(sub, 3, ty + 11 + sub_size, sub_size, ink, "start")

    for a in fig.layout.annotations:
        size = float(a.font.size or base_size)
        lines = text_of(a.text)
        ax = left + float(a.x if a.x is not None else 0.5) * plot_w
        ay = bottom - float(a.y if a.y is not None else 0.5) * plot_h
        first = ay - (len(lines) - 1) * size * 1.3 / 2 + size * 0.35
        p.text(lines, ax, first, size, colour(a.font.color) or ink, "middle")

    traces = [t for t in fig.data if _trace_shown(t)]
    if not traces:
        return
    kind = _x_kind(fig, traces)
    cats = _categories(fig, traces) if kind == "category" else []
    cat_index = {v: i for i, v in enumerate(cats)}
    bars = [t for t in traces if t.type == "bar"]
    barmode = _lookup(fig, "barmode", "group")
    bargap = float(_lookup(fig, "bargap", 0.2))
    groups = list(dict.fromkeys(t.offsetgroup or f"#{i}" for i, t in enumerate(bars))) if barmode == "group" else []

    def xnum(v: Any) -> float | None:
        if _missing(v):
            return None
        if kind == "category":
            return float(cat_index[str(v)])
        if kind == "date":
            return _to_days(v)
        return float(v)

    # The x range: the data's, or one slot per category.
    if kind == "category":
        x_lo, x_hi = -0.5, len(cats) - 0.5
    else:
        xs = [xnum(v) for t in traces for v in _values(t.x)]
        xs_ok = [v for v in xs if v is not None]
        x_lo, x_hi = (min(xs_ok), max(xs_ok)) if xs_ok else (0.0, 1.0)
        if x_hi == x_lo:
            x_lo, x_hi = x_lo - 1, x_hi + 1

    def X(v: float) -> float:  # noqa: N802
        return left + (v - x_lo) / (x_hi - x_lo) * plot_w

    # Bar tops (stacked ones added up) decide the y range with the other traces' values.
    stack: dict[float, float] = {}
    bar_rects: list[tuple[Any, int, float, float, float, float]] = []  # trace, point, x0, x1, y0, y1
    slot = 1.0 - bargap
    for t in bars:
        g = t.offsetgroup or f"#{bars.index(t)}"
        for i, (xv, yv) in enumerate(zip(_values(t.x), _values(t.y))):
            xc = xnum(xv)
            if xc is None or _missing(yv):
                continue
            if barmode == "group" and groups:
                w = slot / len(groups)
                x0 = xc - slot / 2 + groups.index(g) * w
            else:
                w = slot
                x0 = xc - slot / 2
            y0 = stack.get(xc, 0.0) if barmode == "stack" else 0.0
            y1 = y0 + float(yv)
            if barmode == "stack":
                stack[xc] = y1
            bar_rects.append((t, i, x0, x0 + w, y0, y1))

    y_range = _lookup(fig, "yaxis.range")
    if y_range is not None and len(y_range) == 2 and None not in y_range:
        y_lo, y_hi = float(y_range[0]), float(y_range[1])
    else:
        ys = [r[4] for r in bar_rects] + [r[5] for r in bar_rects]
        ys += [float(v) for t in traces if t.type == "scatter" for v in _values(t.y) if not _missing(v)]
        if not ys:
            ys = [0.0, 1.0]
        y_lo, y_hi = min(ys), max(ys)
        if bar_rects or _lookup(fig, "yaxis.rangemode") == "tozero":
            y_lo, y_hi = min(y_lo, 0.0), max(y_hi, 0.0)
        span = (y_hi - y_lo) or 1.0
        has_text = any(
            (t.type == "scatter" and "text" in (t.mode or "")) or (t.type == "bar" and t.text is not None)
            for t in traces
        )
        y_hi += span * (0.12 if has_text else 0.05)
        if y_lo < 0:
            y_lo -= span * 0.05

    def Y(v: float) -> float:  # noqa: N802
        return bottom - (v - y_lo) / (y_hi - y_lo) * plot_h

    x_visible = _lookup(fig, "xaxis.visible", True) is not False
    y_visible = _lookup(fig, "yaxis.visible", True) is not False
    tick_size = float(_lookup(fig, "yaxis.tickfont.size", base_size))

    # y grid and tick labels.
    if y_visible:
        step = nice_step(y_hi - y_lo, plot_h, 40)
        grid = colour(_lookup(fig, "yaxis.gridcolor", "#eeeeee"))
        fmt, suffix = _lookup(fig, "yaxis.tickformat"), _lookup(fig, "yaxis.ticksuffix", "") or ""
        v = math.ceil(y_lo / step - 1e-9) * step
        while v <= y_hi + 1e-9:
            py = Y(v)
            if _lookup(fig, "yaxis.showgrid", True) is not False:
                p.stroke(grid, 1)
                p.path([(left, py), (right, py)], stroke=True, fill=False)
            p.text([tick_label(v, fmt, suffix)], left - 6, py + tick_size * 0.35, tick_size, ink, "end")
            v += step

    # Bars below the lines, as Plotly layers them.
    for t, i, x0, x1, y0, y1 in bar_rects:
        fills = t.marker.color
        fc = colour(fills[i] if isinstance(fills, (list, tuple, np.ndarray)) else fills) if fills is not None else None
        line_c = t.marker.line.color
        lc = colour(line_c[i] if isinstance(line_c, (list, tuple, np.ndarray)) else line_c) if line_c else None
        lw = float(t.marker.line.width or 0)
        corners = [(X(x0), Y(y0)), (X(x1), Y(y0)), (X(x1), Y(y1)), (X(x0), Y(y1))]
        if fc is not None and fc.alpha > 0:
            p.fill(fc)
            p.path(corners, stroke=False, fill=True, close=True)
        if lc is not None and lw > 0:
            inset = lw / 2  # Plotly strokes the outline inside the bar's slot
            inner = [
                (X(x0) + inset, Y(y0)),
                (X(x1) - inset, Y(y0)),
                (X(x1) - inset, Y(y1) + inset),
                (X(x0) + inset, Y(y1) + inset),
            ]
            p.stroke(lc, lw)
            p.path(inner, stroke=True, fill=False, close=True)
    for t, i, x0, x1, _y0, y1 in bar_rects:
        labels = _values(t.text) if isinstance(t.text, (list, tuple, np.ndarray)) else [t.text] * (i + 1)
        label = text_of(labels[i]) if i < len(labels) and labels[i] else []
        if label and (t.textposition in (None, "outside", "auto")):
            size = float(t.textfont.size or base_size)
            p.text(label[:1], X((x0 + x1) / 2), Y(y1) - 4, size, ink, "middle")

    # Scatter traces in order: filled bands, lines, markers, text.
    for t in traces:
        if t.type != "scatter":
            continue
        mode = t.mode or "lines"
        xs_t, ys_t = _values(t.x), _values(t.y)
        pts: list[tuple[float, float] | None] = []
        for xv, yv in zip(xs_t, ys_t):
            xc = xnum(xv)
            if xc is None or _missing(yv):
                pts.append(None)
                continue
            if kind == "category" and barmode == "group" and groups and t.offsetgroup in groups:
                w = slot / len(groups)
                xc = xc - slot / 2 + (groups.index(t.offsetgroup) + 0.5) * w
            pts.append((X(xc), Y(float(yv))))
        line_w = float(t.line.width if t.line.width is not None else 2)
        if t.fill == "toself":
            fc = colour(t.fillcolor)
            ok = [q for q in pts if q is not None]
            if fc is not None and len(ok) > 2:
                p.fill(fc)
                p.path(ok, stroke=False, fill=True, close=True)
        if "lines" in mode and line_w > 0:
            p.stroke(colour(t.line.color), line_w, _dash(t.line.dash, line_w))
            run: list[tuple[float, float]] = []
            for q in [*pts, None]:
                if q is None:
                    if len(run) > 1:
                        if t.line.shape == "hv":
                            run = [r for a, b in zip(run, run[1:]) for r in (a, (b[0], a[1]))] + [run[-1]]
                        p.path(run, stroke=True, fill=False)
                    run = []
                else:
                    run.append(q)
        if "markers" in mode:
            size = float(t.marker.size or 6) / 2
            mc = colour(t.marker.color if isinstance(t.marker.color, str) else t.line.color)
            for q in pts:
                if q is None:
                    continue
                qx, qy = q
                if t.marker.symbol == "diamond":
                    shape = [(qx, qy - size * 1.3), (qx + size * 1.3, qy), (qx, qy + size * 1.3), (qx - size * 1.3, qy)]
                else:
                    shape = [
                        (qx + size * math.cos(a / 8 * math.tau), qy + size * math.sin(a / 8 * math.tau))
                        for a in range(8)
                    ]
                p.fill(mc or HexColor("#1a1a1a"))
                p.path(shape, stroke=False, fill=True, close=True)
        if "text" in mode:
            labels = _values(t.text) if isinstance(t.text, (list, tuple, np.ndarray)) else [t.text] * len(pts)
            size = float(t.textfont.size or base_size)
            below = (t.textposition or "middle center").startswith("bottom")
            for q, lab in zip(pts, labels):
                if q is None or not lab:
                    continue
                gap = (float(t.marker.size or 6) / 2 + 4) if "markers" in mode else 4
                py = q[1] + gap + size if below else q[1] - gap
                p.text(text_of(lab)[:1], q[0], py, size, colour(t.textfont.color) or ink, "middle")

    # The x axis: its line, ticks and labels.
    if x_visible:
        axis_c = colour(_lookup(fig, "xaxis.linecolor", "#444444"))
        p.stroke(axis_c, 1)
        p.path([(left, bottom), (right, bottom)], stroke=True, fill=False)
        size = float(_lookup(fig, "xaxis.tickfont.size", base_size))
        ticks: list[tuple[float, str]] = []
        if kind == "category":
            ticks = [(float(i), text_of(v)[0] if text_of(v) else "") for i, v in enumerate(cats)]
        elif kind == "date":
            dtick = str(_lookup(fig, "xaxis.dtick", "M1"))
            every = int(dtick[1:]) if re.fullmatch(r"M\d+", dtick) else max(1, round((x_hi - x_lo) / 30.4 / 6))
            fmt = _lookup(fig, "xaxis.tickformat", "%b %Y")
            ticks = [(d, pd.Timestamp(d * 86_400e9).strftime(fmt)) for d in month_ticks(x_lo, x_hi, every)]
        else:
            step = nice_step(x_hi - x_lo, plot_w, 80)
            v = math.ceil(x_lo / step) * step
            while v <= x_hi + 1e-9:
                ticks.append((v, tick_label(v, _lookup(fig, "xaxis.tickformat"))))
                v += step
        for v, tick_text in ticks:
            px = X(v)
            p.stroke(axis_c, 1)
            p.path([(px, bottom), (px, bottom + 5)], stroke=True, fill=False)
            p.text([tick_text], px, bottom + 8 + size, size, ink, "middle")

    _legend(fig, p, traces, left, bottom, plot_w, plot_h, base_size, ink)


def _legend(
    fig: go.Figure,
    p: _Painter,
    traces: list[Any],
    left: float,
    bottom: float,
    plot_w: float,
    plot_h: float,
    base_size: float,
    ink: Color | None,
) -> None:
    """The horizontal legend at its paper position (under the plot in the briefing's charts)."""
    entries = [t for t in traces if t.showlegend is not False and t.name]
    if not entries or (len(entries) == 1 and fig.layout.showlegend is not True) or fig.layout.showlegend is False:
        return
    size = float(_lookup(fig, "legend.font.size", base_size))
    ly = float(_lookup(fig, "legend.y", 1.02))
    top = bottom - ly * plot_h  # yanchor "top": the legend hangs from its y
    if _lookup(fig, "legend.yanchor") == "bottom":
        top -= size * 1.6
    row_h = size * 1.6
    x = left + float(_lookup(fig, "legend.x", 0)) * plot_w
    cx, cy = x, top + row_h / 2
    for t in entries:
        label = " ".join(text_of(t.name))
        item_w = 40 + 5 + p.width(label, size) + 20
        if cx > x and cx + item_w > left + plot_w + 20:
            cx, cy = x, cy + row_h
        _symbol(p, t, cx, cy)
        p.text([label], cx + 45, cy + size * 0.35, size, ink, "start")
        cx += item_w


def _symbol(p: _Painter, t: Any, x: float, y: float) -> None:
    """A trace's legend sample, 40 px wide, centred on y."""
    if t.type == "bar":
        fills = t.marker.color
        first = fills[0] if isinstance(fills, (list, tuple, np.ndarray)) else fills
        line_c = t.marker.line.color
        lc = colour(line_c[0] if isinstance(line_c, (list, tuple, np.ndarray)) else line_c) if line_c else None
        box = [(x + 12, y + 8), (x + 28, y + 8), (x + 28, y - 8), (x + 12, y - 8)]
        fc = colour(first) if first is not None else None
        if fc is not None and fc.alpha > 0:
            p.fill(fc)
            p.path(box, stroke=False, fill=True, close=True)
        if lc is not None and (t.marker.line.width or 0) > 0:
            p.stroke(lc, 2)
            p.path(box, stroke=True, fill=False, close=True)
        return
    width = float(t.line.width if t.line.width is not None else 2)
    if t.fill == "toself" and t.fillcolor:
        fc = colour(t.fillcolor)
        if fc is not None:
            p.fill(fc)
            p.path([(x, y + 7), (x + 40, y + 7), (x + 40, y - 7), (x, y - 7)], stroke=False, fill=True, close=True)
    mode = t.mode or "lines"
    if "lines" in mode and width > 0:
        p.stroke(colour(t.line.color), min(width, 5), _dash(t.line.dash, min(width, 5)))
        p.path([(x, y), (x + 40, y)], stroke=True, fill=False)
    if "markers" in mode:
        mc = colour(t.marker.color if isinstance(t.marker.color, str) else t.line.color)
        p.fill(mc or HexColor("#1a1a1a"))
        s = 6.0
        p.path(
            [(x + 20, y - s), (x + 20 + s, y), (x + 20, y + s), (x + 20 - s, y)], stroke=False, fill=True, close=True
        )
