"""The briefing as a landscape 16:9 PDF: title page, one chart per page under its takeaway,
the capacity crossing and track-record page, and a sources footer on every page.
"""

from __future__ import annotations

import io
from pathlib import Path

import plotly.graph_objects as go
from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from analytics.safe_text import plain_literal
from reports.briefing import render, vector_chart
from reports.briefing.build import Briefing, keep_together

PAGE = (960.0, 540.0)  # 13.33 x 7.5 in, the shape of a 16:9 slide
MARGIN = 40.0
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
INK, MUTED, ALERT = HexColor("#1a1a1a"), HexColor("#6b7280"), HexColor("#c8423b")
TRACK_HEIGHT = 400  # the track-record chart is lower: it shares its page with the crossing sentences


def fonts() -> tuple[str, str]:
    """(regular, bold): DejaVu Sans when installed (it has the en dash and minus sign), else Helvetica."""
    try:
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(DEJAVU / "DejaVuSans-Bold.ttf")))
        return "DejaVuSans", "DejaVuSans-Bold"
    except OSError:  # reportlab raises TTFError (an OSError) for a missing file
        return "Helvetica", "Helvetica-Bold"


def _lines(
    c: Canvas, text: str, font: str, size: float, x: float, y: float, width: float, leading: float | None = None
) -> float:
    """Draw wrapped text from the top at y; return the y below it."""
    leading = leading or size * 1.25
    c.setFont(font, size)
    for line in simpleSplit(keep_together(plain_literal(text)), font, size, width):
        c.drawString(x, y - size, line)
        y -= leading
    return y


def _footer(c: Canvas, b: Briefing, page: int, regular: str) -> None:
    w, _ = PAGE
    c.setFillColor(MUTED)
    c.setFont(regular, 9)
    c.drawString(MARGIN, 18, plain_literal(b.sources_line))
    c.drawRightString(w - MARGIN, 18, plain_literal(f"{b.facility_code} · {page}"))
    c.setFillColor(INK)


def _title_page(c: Canvas, b: Briefing, regular: str, bold: str) -> None:
    """Facility, date, SAMPLE DATA when it is, and the takeaways in brief."""
    w, h = PAGE
    x, width = MARGIN * 1.5, w - MARGIN * 3
    y = _lines(c, b.facility_name, bold, 40, x, h - MARGIN * 1.5, width)
    c.setFillColor(MUTED)
    y = _lines(c, f"Warden's briefing · population as of {b.as_of.day} {b.as_of:%B %Y}", regular, 20, x, y - 4, width)
    if b.is_sample:
        c.setFillColor(ALERT)
        y = _lines(c, "SAMPLE DATA: a fictional facility; nothing here is real.", bold, 16, x, y - 6, width)
    c.setFillColor(INK)
    y -= 24
    for n, text in enumerate(b.takeaways, 1):
        c.setFont(bold, 17)
        c.drawString(x, y - 17, f"{n}.")
        y = _lines(c, text, regular, 17, x + 26, y, width - 26, 22) - 10


def _chart(c: Canvas, fig: go.Figure, top: float, box_w: float, box_h: float, regular: str, height: int) -> float:
    """Draw `fig` centred under `top` within the box, as vectors when it can be, else as kaleido's
    picture; return the height it took."""
    w, _ = PAGE
    scale = min(box_w / render.WIDTH, box_h / height)
    dw, dh = render.WIDTH * scale, height * scale
    if vector_chart.supported(fig):
        vector_chart.draw_figure(c, fig, (w - dw) / 2, top - dh, dw, render.WIDTH, height, regular)
    else:
        img = ImageReader(io.BytesIO(render.figure_png(fig, height=height)))
        c.drawImage(img, (w - dw) / 2, top - dh, dw, dh)
    return dh


def _chart_page(c: Canvas, title: str, fig: go.Figure, regular: str, bold: str, notes: tuple[str, ...] = ()) -> None:
    w, h = PAGE
    y = _lines(c, title, bold, 22, MARGIN, h - MARGIN + 8, w - 2 * MARGIN, 27)
    # Lines under the chart (the scenario section's events and crossings) take what they need.
    note_lines = [ln for n in notes for ln in simpleSplit(keep_together(plain_literal(n)), regular, 12, w - 2 * MARGIN)]
    reserved = 15.0 * len(note_lines) + (10 if note_lines else 0)
    dh = _chart(c, fig, y - 8, w - 2 * MARGIN, y - 40 - 8 - reserved, regular, render.HEIGHT)
    y = y - 8 - dh - 10
    for n in notes:
        y = _lines(c, n, regular, 12, MARGIN, y, w - 2 * MARGIN, 15)


def _capacity_page(c: Canvas, b: Briefing, fig: go.Figure | None, regular: str, bold: str) -> None:
    w, h = PAGE
    y = _lines(c, "Capacity crossing and track record", bold, 26, MARGIN, h - MARGIN + 8, w - 2 * MARGIN)
    lines = list(b.capacity_lines) or ["No projection is available for this date."]
    for text in [*lines, b.track_line, *b.gaps_lines]:
        y = _lines(c, text, regular, 18, MARGIN, y - 8, w - 2 * MARGIN, 23)
    if fig is not None:
        _chart(c, fig, y - 12, w - 2 * MARGIN, y - 40 - 12, regular, TRACK_HEIGHT)


def write_pdf(b: Briefing, out: Path | str | io.BytesIO) -> None:
    """Write the briefing as a PDF to a path or a binary buffer."""
    regular, bold = fonts()
    c = Canvas(out if isinstance(out, io.BytesIO) else str(out), pagesize=PAGE, pageCompression=1)
    c.setTitle(b.title)
    c.setAuthor("popdash")
    c.setCreator("popdash")
    c.setSubject(f"Population briefing as of {b.as_of.isoformat()}" + (" (sample data)" if b.is_sample else ""))
    c.setKeywords(["population", "briefing", b.facility_code])
    page = 1
    _title_page(c, b, regular, bold)
    _footer(c, b, page, regular)
    for slide in b.slides:
        c.showPage()
        page += 1
        _chart_page(c, slide.takeaway, slide.figure, regular, bold, slide.notes)
        _footer(c, b, page, regular)
    c.showPage()
    page += 1
    _capacity_page(c, b, b.track_figure, regular, bold)
    _footer(c, b, page, regular)
    c.save()


def pdf_bytes(b: Briefing) -> bytes:
    """The PDF as bytes (the page's download button)."""
    buf = io.BytesIO()
    write_pdf(b, buf)
    return buf.getvalue()
