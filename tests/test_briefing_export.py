"""The briefing as PDF and PPTX: structure, takeaways, and no identity anywhere, metadata included.

Built once per session from the 60-day demo store, with one warm export browser.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from reports.briefing import render

pytestmark = pytest.mark.skipif(
    render.chromium_path() is None, reason="no Chromium installed: charts cannot be drawn (apt-get install chromium)"
)

REGISTER = re.compile(r"\d{5}-\d{3}")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def export_browser():
    yield
    render.stop()


@pytest.fixture(scope="session")
def store(page_store):
    from loaders.store import Store

    return Store(page_store)


@pytest.fixture(scope="session")
def briefing(briefing_inputs):
    from reports.briefing import assemble

    return assemble(briefing_inputs)


@pytest.fixture(scope="session")
def identities(store) -> list[str]:
    """Every name on the roster history (inmates and case managers), upper case."""
    hist = store.history("population")
    names: set[str] = set()
    for col in ("last_name", "first_name", "case_manager"):
        if col in hist.columns:
            names |= {n.strip().upper() for n in hist[col].dropna().unique() if len(n.strip()) >= 3}
    if {"last_name", "first_name"} <= set(hist.columns):
        full = hist[["last_name", "first_name"]].dropna().drop_duplicates()
        names |= {f"{a}, {b}".upper() for a, b in full.itertuples(index=False)}
    assert names, "the sample roster should carry names for this test to mean anything"
    return sorted(names)


def assert_no_identity(text: str, identities: list[str]) -> None:
    assert not REGISTER.search(text), "a register number pattern in the briefing"
    upper = re.sub(r"\s+", " ", text.upper())
    words = set(re.findall(r"[A-Z][A-Z'.-]*", upper))
    found = [
        n
        for n in identities
        if (
            n in words
            if re.fullmatch(r"[A-Z'.-]+", n)
            else n in upper and re.search(rf"(?<![A-Z]){re.escape(n)}(?![A-Z])", upper)
        )
    ]
    assert not found, f"{len(found)} roster name(s) in the briefing"


@pytest.fixture(scope="session")
def pdf_path(briefing, export_browser, tmp_path_factory) -> Path:
    from reports.briefing.pdf import write_pdf

    path = tmp_path_factory.mktemp("brief") / "briefing.pdf"
    write_pdf(briefing, path)
    return path


@pytest.fixture(scope="session")
def pptx_path(briefing, export_browser, tmp_path_factory) -> Path:
    from reports.briefing.pptx import write_pptx

    path = tmp_path_factory.mktemp("brief") / "briefing.pptx"
    write_pptx(briefing, path)
    return path


def test_briefing_content(briefing):
    assert briefing.is_sample and briefing.facility_name == "FCC Example"
    assert [s.key for s in briefing.slides] == ["population", "levels", "pipeline", "reviews"]
    assert briefing.takeaways[0].startswith("Population ")
    assert all(t.endswith(".") for t in briefing.takeaways)
    assert "SAMPLE DATA" in briefing.subtitle and "SAMPLE DATA" in briefing.sources_line
    for slide in briefing.slides:
        subtitle = slide.figure.layout.title.subtitle.text
        assert re.fullmatch(r"As of \d{1,2} \w{3} \d{4} · SAMPLE DATA", subtitle), slide.key


def test_briefing_texts_carry_no_identity(briefing, identities):
    assert_no_identity("\n".join(briefing.texts()), identities)
    for slide in briefing.slides:  # what the chart draws: its traces and titles, not the theme's colour names
        fig = slide.figure
        drawn = [fig.layout.title.text, fig.layout.title.subtitle.text, *(repr(t.to_plotly_json()) for t in fig.data)]
        assert_no_identity("\n".join(drawn), identities)


def test_pdf_pages_takeaways_and_metadata(pdf_path, briefing, identities):
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    pages = [_flat(p.extract_text()) for p in reader.pages]
    assert len(pages) == 1 + len(briefing.slides) + 1  # title, one per chart, capacity and track record
    assert "FCC Example" in pages[0] and "SAMPLE DATA" in pages[0]
    assert all(t in pages[0] for t in briefing.takeaways), "the title page lists the takeaways"
    for page, takeaway in zip(pages[1:], briefing.takeaways):
        assert takeaway in page
    assert "Capacity crossing and track record" in pages[-1]
    assert briefing.track_line in pages[-1]
    assert all(briefing.sources_line[:40] in p for p in pages), "the sources footer is on every page"
    meta = reader.metadata
    assert meta.author == "popdash" and meta.title == briefing.title
    assert_no_identity("\n".join(pages), identities)
    assert_no_identity(" ".join(str(v) for v in meta.values()), identities)


def test_pdf_uses_dejavu(pdf_path):
    from pypdf import PdfReader

    fonts = {
        str(f.get_object()["/BaseFont"])
        for p in PdfReader(pdf_path).pages
        for f in (p["/Resources"].get("/Font") or {}).values()
    }
    assert any("DejaVuSans" in f for f in fonts), fonts


def test_pptx_slides_takeaways_and_properties(pptx_path, briefing, identities):
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation(pptx_path)
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    slides = list(prs.slides)
    assert len(slides) == 1 + len(briefing.slides) + 1
    texts = [[sh.text_frame.text.replace("\u00a0", " ") for sh in s.shapes if sh.has_text_frame] for s in slides]
    for slide_texts, takeaway in zip(texts[1:], briefing.takeaways):
        assert slide_texts[0] == takeaway  # a real text box, first on its slide
    pictures = [sum(1 for sh in s.shapes if sh.shape_type == 13) for s in slides]  # 13 = PICTURE
    assert pictures == [0] + [1] * len(briefing.slides) + [int(briefing.track_figure is not None)]
    cp = prs.core_properties
    assert (cp.author, cp.last_modified_by) == ("popdash", "popdash")
    assert_no_identity("\n".join(t for ts in texts for t in ts), identities)


def test_pptx_package_xml_carries_no_identity(pptx_path, identities):
    with zipfile.ZipFile(pptx_path) as z:
        xml = "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels")))
        app = z.read("docProps/app.xml").decode("utf-8")
    assert_no_identity(xml, identities)
    assert "<Application>popdash</Application>" in app and "<Company></Company>" in app


def test_briefing_without_projection_or_reviews(facility, export_browser, tmp_path):
    """A new store: a week of counts, no findings log, designation exports with no pending moves."""
    from datetime import date

    import pandas as pd
    from pptx import Presentation
    from pypdf import PdfReader

    from reports.briefing import BriefingInputs, assemble
    from reports.briefing.pdf import write_pdf
    from reports.briefing.pptx import write_pptx

    as_of = date(2026, 11, 22)
    inputs = BriefingInputs(
        facility_name="FCC Example",
        facility_code="XMP",
        as_of=as_of,
        is_sample=False,
        facility=facility,
        series=pd.DataFrame({"as_of_date": pd.date_range(end=as_of, periods=8), "population": [1700] * 7 + [1712]}),
        level_counts=pd.Series({"LOW": 700, "MEDIUM": 1012}),
        pipeline=pd.DataFrame({"level": ["LOW"], "pending_in": [0], "pending_out": [0]}),
        reviews=pd.DataFrame(
            {"review_date": pd.Series([], dtype="datetime64[us]"), "discipline": [], "findings": [], "repeats": []}
        ),
        latest={"designations": as_of, "redesignations": as_of, "findings": None},
    )
    b = assemble(inputs)
    assert b.takeaways == [
        "Population 1,712, up 12 on last week; 92 % of rated capacity.",
        "By required security level (points and PSF floors): Minimum 0 for 256 beds (0 %), "
        "Low 700 for 672 (104 %), "
        "Medium 1,012 for 864 (117 %).",
        "Nothing pending in or out.",  # both exports are there and list nobody: a true zero
        "Program Review findings not shown: no findings log export in the store.",
    ]
    assert b.capacity_lines == () and b.track_figure is None and "SAMPLE" not in b.subtitle
    write_pdf(b, tmp_path / "b.pdf")
    write_pptx(b, tmp_path / "b.pptx")
    pages = [_flat(p.extract_text()) for p in PdfReader(tmp_path / "b.pdf").pages]
    assert len(pages) == 6 and "No projection is available for this date." in pages[-1]
    assert "findings not shown: no findings log export in the store." in pages[4]  # the slide says why
    assert "Missing or behind: no findings log export in the store." in pages[-1]
    deck = Presentation(tmp_path / "b.pptx")
    assert len(deck.slides) == 6
    deck_text = _flat(" ".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame))
    assert "Program Review findings not shown: no findings log export in the store." in deck_text
