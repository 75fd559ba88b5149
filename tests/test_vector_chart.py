"""The PDF's charts drawn as vectors from the briefing's Plotly figures (reports.briefing.vector_chart):
Plotly's tick steps, formats and month ticks, colours and labels, what it declines to draw, and a
PDF whose charts carry their own words and no picture."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from reports.briefing import charts, vector_chart
from reports.briefing.pdf import fonts


@pytest.mark.parametrize(
    ("span", "length", "step"),
    [
        (200.0, 300.0, 50.0),  # 300 px / 40 = 7.5 ticks, + 1: rough step 23.5, rounded up to 5 x 10
        (1.1, 210.0, 0.2),  # 6.25 ticks: rough 0.18, up to 2 x 0.1
        (1.1, 150.0, 0.5),  # never fewer than 4 + 1 ticks: rough 0.22, up to 5 x 0.1
        (900.0, 400.0, 100.0),
        (45.0, 400.0, 5.0),
    ],
)
def test_nice_step_rounds_as_plotly_does(span, length, step):
    assert vector_chart.nice_step(span, length, 40) == pytest.approx(step)


@pytest.mark.parametrize(
    ("value", "fmt", "suffix", "text"),
    [
        (1856.0, ",d", "", "1,856"),
        (1856.4, ",d", "", "1,856"),
        (0.5, ".1f", " %", "0.5 %"),
        (-3.0, ",d", "", "\u22123"),
        (0.0, ",d", "", "0"),
        (12345.0, None, "", "12,345"),
        (2.5, None, "", "2.5"),
    ],
)
def test_tick_labels_follow_the_axis_format(value, fmt, suffix, text):
    assert vector_chart.tick_label(value, fmt, suffix) == text


def _days(text: str) -> float:
    return pd.Timestamp(text).value / 86_400e9


@pytest.mark.parametrize(
    ("start", "end", "every", "first", "count"),
    [
        ("2025-12-02", "2027-03-01", 2, "2026-01-01", 8),  # Jan, Mar ... Jan 2027, Mar 2027 (on the end)
        ("2025-12-02", "2027-02-28", 2, "2026-01-01", 7),  # one day short of March: no tick for it
        ("2026-01-01", "2026-03-31", 1, "2026-01-01", 3),  # a tick on the first day itself
        ("2026-02-15", "2026-12-31", 3, "2026-04-01", 3),  # counted from January: Apr, Jul, Oct
    ],
)
def test_month_ticks(start, end, every, first, count):
    ticks = vector_chart.month_ticks(_days(start), _days(end), every)
    assert len(ticks) == count and ticks[0] == _days(first)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("Rated capacity 1,856", ["Rated capacity 1,856"]),
        ("a<br>b", ["a", "b"]),
        ("Unit &lt;A&gt; &amp; B", ["Unit <A> & B"]),  # an escaped label is drawn as the text it was
        ("<b>bold</b> words", ["bold words"]),
        (None, []),
    ],
)
def test_text_of_plotly_labels(text, lines):
    assert vector_chart.text_of(text) == lines


@pytest.mark.parametrize(
    ("value", "rgb", "alpha"),
    [
        ("#c8423b", (0xC8 / 255, 0x42 / 255, 0x3B / 255), 1.0),
        ("rgba(31,78,121,0.25)", (31 / 255, 78 / 255, 121 / 255), 0.25),
        ("rgb(255, 255, 255)", (1.0, 1.0, 1.0), 1.0),
        ("rgba(255,255,255,0)", (1.0, 1.0, 1.0), 0.0),
    ],
)
def test_colours(value, rgb, alpha):
    c = vector_chart.colour(value)
    assert c is not None
    assert (c.red, c.green, c.blue) == pytest.approx(rgb) and c.alpha == pytest.approx(alpha)


@pytest.mark.parametrize(
    ("figure", "drawn"),
    [
        (go.Figure(go.Scatter(x=[1, 2], y=[3, 4], mode="lines")), True),
        (go.Figure(go.Bar(x=["a"], y=[1])), True),
        (go.Figure(go.Pie(values=[1, 2])), False),  # a kind of trace the briefing does not use
        (go.Figure(go.Bar(x=[1], y=["a"], orientation="h")), False),
        (go.Figure(go.Scatter(x=[1, 2], y=[3, 4], fill="tozeroy")), False),
        (go.Figure().add_hline(y=3), False),  # shapes are left to the browser export
    ],
)
def test_supported_declines_what_it_cannot_draw(figure, drawn):
    assert vector_chart.supported(figure) is drawn


def _pdf_text(fig: go.Figure) -> tuple[str, PdfReader]:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(960, 540))
    regular, _ = fonts()
    vector_chart.draw_figure(c, fig, 40, 40, 880, 1000, 500, regular)
    c.showPage()
    c.save()
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    return reader.pages[0].extract_text(), reader


def test_a_chart_page_carries_its_words_and_no_picture():
    as_of = date(2026, 11, 22)
    history = pd.DataFrame({"as_of_date": pd.date_range(end=as_of, periods=120), "population": range(1700, 1820)})
    proj = pd.DataFrame(
        {
            "date": pd.date_range(as_of, periods=60),
            "mean": [1820.0 + i for i in range(60)],
            "lo80": [1810.0 + i for i in range(60)],
            "hi80": [1830.0 + i for i in range(60)],
            "lo95": [1800.0 + i for i in range(60)],
            "hi95": [1840.0 + i for i in range(60)],
        }
    )
    fig = charts.population_trend(history, proj, 1856, 1998, as_of, sample=True)
    assert vector_chart.supported(fig)
    text, reader = _pdf_text(fig)
    flat = " ".join(text.split())
    for words in ("Population and capacity", "As of 22 Nov 2026 · SAMPLE DATA", "Rated capacity 1,856", "Projected"):
        assert words in flat, words
    assert "Operational capacity 1,998" in flat
    assert "1,800" in flat and "Jan 2027" in flat  # y and x tick labels in the axis formats
    resources = reader.pages[0]["/Resources"]
    assert "/XObject" not in resources  # vectors and text only: no embedded picture


def test_bars_label_their_heights_and_a_missing_chart_says_why():
    mix = pd.DataFrame({"level": ["LOW", "MEDIUM"], "inmates": [649, 800], "beds": [672, 864]})
    text, _ = _pdf_text(charts.level_mix(mix, date(2026, 11, 22)))
    flat = " ".join(text.split())
    assert all(n in flat for n in ("649", "672", "800", "864", "Low", "Medium", "Rated beds (outlined)"))
    text, _ = _pdf_text(charts.missing("Findings", ["no findings log export in the store"], date(2026, 11, 22)))
    assert "No findings log export in the store" in " ".join(text.split())
