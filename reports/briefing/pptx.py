"""The briefing as a 16:9 PowerPoint deck: title slide, one chart per slide under its
takeaway (a real text box, editable), the capacity crossing and track-record slide,
and the sources line at the foot of every slide.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.presentation import Presentation as Deck
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from analytics.safe_text import plain_literal
from reports.briefing import render
from reports.briefing.build import Briefing, keep_together

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
FONT = "DejaVu Sans"
INK, MUTED, ALERT = RGBColor(0x1A, 0x1A, 0x1A), RGBColor(0x6B, 0x72, 0x80), RGBColor(0xC8, 0x42, 0x3B)
BLANK_LAYOUT = 6  # "Blank" in python-pptx's default template


def _text(
    slide: Slide,
    text: str,
    left: int,
    top: int,
    width: int,
    height: int,
    size: int,
    bold: bool = False,
    colour: RGBColor = INK,
) -> Shape:
    # Lengths arrive as plain EMU ints (sums of Inches); python-pptx types its arguments as Length.
    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    tf = box.text_frame
    tf.word_wrap = True
    p = tf.paragraphs[0]
    run = p.add_run()
    run.text = keep_together(plain_literal(text))
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
    run.font.color.rgb = colour
    return box


def _footer(slide: Slide, b: Briefing, page: int) -> None:
    _text(
        slide,
        b.sources_line,
        MARGIN,
        HEIGHT - Inches(0.45),
        WIDTH - 2 * MARGIN - Inches(1),
        Inches(0.3),
        10,
        colour=MUTED,
    )
    _text(
        slide,
        f"{b.facility_code} · {page}",
        WIDTH - MARGIN - Inches(1),
        HEIGHT - Inches(0.45),
        Inches(1),
        Inches(0.3),
        10,
        colour=MUTED,
    )


def _notes(slide: Slide, notes: tuple[str, ...], top: int, width: int) -> None:
    """Short lines under a chart, one paragraph each."""
    box = _text(slide, notes[0], MARGIN, top, width, Inches(0.3) * len(notes), 12)
    for text in notes[1:]:
        run = box.text_frame.add_paragraph().add_run()
        run.text = keep_together(plain_literal(text))
        run.font.size, run.font.name, run.font.color.rgb = Pt(12), FONT, INK


def _picture(slide: Slide, png: bytes, top: int, bottom: int) -> None:
    """Fit the image between top and bottom, centred."""
    box_w, box_h = WIDTH - 2 * MARGIN, bottom - top
    pic = slide.shapes.add_picture(io.BytesIO(png), MARGIN, Emu(top))
    scale = min(box_w / pic.width, box_h / pic.height)
    pic.width, pic.height = Emu(int(pic.width * scale)), Emu(int(pic.height * scale))
    pic.left = Emu(int((WIDTH - pic.width) / 2))


def _properties(prs: Deck, b: Briefing) -> None:
    # Set every field that could otherwise carry a person or a template's default.
    cp = prs.core_properties
    cp.title = b.title
    cp.author = "popdash"
    cp.last_modified_by = "popdash"
    cp.subject = f"Population briefing as of {b.as_of.isoformat()}" + (" (sample data)" if b.is_sample else "")
    cp.keywords = f"population; briefing; {b.facility_code}"
    cp.comments = ""
    cp.category = "briefing"
    cp.revision = 1
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    cp.created = cp.modified = now


_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>popdash</Application><PresentationFormat>Widescreen</PresentationFormat>"
    "<Slides>{slides}</Slides><Company></Company><Manager></Manager></Properties>"
)


def _app_properties(prs: Deck) -> None:
    # python-pptx's template ships extended properties of its own ("Microsoft Macintosh
    # PowerPoint", 4:3, 0 slides); state ours instead, with no company or manager.
    for part in prs.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = _APP_XML.format(slides=len(prs.slides)).encode()  # noqa: SLF001 - no public setter


def write_pptx(b: Briefing, out: Path | str | io.BytesIO) -> None:
    """Write the briefing as a PPTX deck to a path or a binary buffer."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    layout = prs.slide_layouts[BLANK_LAYOUT]
    inner = WIDTH - 2 * MARGIN

    s = prs.slides.add_slide(layout)
    _text(s, b.facility_name, MARGIN * 2, Inches(0.5), WIDTH - 4 * MARGIN, Inches(0.8), 40, bold=True)
    _text(
        s,
        f"Warden's briefing · population as of {b.as_of.day} {b.as_of:%B %Y}",
        MARGIN * 2,
        Inches(1.3),
        WIDTH - 4 * MARGIN,
        Inches(0.5),
        20,
        colour=MUTED,
    )
    if b.is_sample:
        _text(
            s,
            "SAMPLE DATA: a fictional facility; nothing here is real.",
            MARGIN * 2,
            Inches(1.85),
            WIDTH - 4 * MARGIN,
            Inches(0.4),
            16,
            bold=True,
            colour=ALERT,
        )
    box = _text(s, f"1. {b.takeaways[0]}", MARGIN * 2, Inches(2.5), WIDTH - 4 * MARGIN, Inches(4.2), 17)
    box.text_frame.paragraphs[0].space_after = Pt(10)
    for n, text in enumerate(b.takeaways[1:], 2):
        para = box.text_frame.add_paragraph()
        para.space_after = Pt(10)
        run = para.add_run()
        run.text = keep_together(plain_literal(f"{n}. {text}"))
        run.font.size, run.font.name, run.font.color.rgb = Pt(17), FONT, INK
    _footer(s, b, 1)

    page = 1
    for slide in b.slides:
        page += 1
        s = prs.slides.add_slide(layout)
        size = 24 if len(slide.takeaway) <= 120 else 20  # three lines at most above the chart
        _text(s, slide.takeaway, MARGIN, Inches(0.3), inner, Inches(1.2), size, bold=True)
        # Lines under the chart (the scenario section's events and crossings) take what they need.
        notes_h = Inches(0.3) * len(slide.notes)
        _picture(s, render.figure_png(slide.figure), Inches(1.6), HEIGHT - Inches(0.55) - notes_h)
        if slide.notes:
            _notes(s, slide.notes, HEIGHT - Inches(0.55) - notes_h, inner)
        _footer(s, b, page)

    page += 1
    s = prs.slides.add_slide(layout)
    _text(s, "Capacity crossing and track record", MARGIN, Inches(0.3), inner, Inches(0.6), 28, bold=True)
    lines = list(b.capacity_lines) or ["No projection is available for this date."]
    box = _text(s, lines[0], MARGIN, Inches(1.0), inner, Inches(1.6), 18)
    box.text_frame.paragraphs[0].space_after = Pt(8)
    for text in [*lines[1:], b.track_line, *b.gaps_lines]:
        para = box.text_frame.add_paragraph()
        para.space_after = Pt(8)
        run = para.add_run()
        run.text = keep_together(plain_literal(text))
        run.font.size, run.font.name, run.font.color.rgb = Pt(18), FONT, INK
    if b.track_figure is not None:
        _picture(s, render.figure_png(b.track_figure, height=400), Inches(2.7), HEIGHT - Inches(0.55))
    _footer(s, b, page)

    _properties(prs, b)
    _app_properties(prs)
    prs.save(out if isinstance(out, io.BytesIO) else str(out))


def pptx_bytes(b: Briefing) -> bytes:
    """The deck as bytes (the page's download button)."""
    buf = io.BytesIO()
    write_pptx(b, buf)
    return buf.getvalue()
