"""The /briefing download buttons in a real browser: each click builds its file, and the file is whole."""

from __future__ import annotations

from conftest import settle


def test_downloads_build_whole_files(server, page, tmp_path):
    from pptx import Presentation
    from pypdf import PdfReader

    page.goto(f"{server}/briefing")
    # Streamlit's own signals, generous bounds: the first run projects the population, slow on a
    # busy machine; the first file also starts the export browser.
    settle(page, timeout=600_000)
    page.wait_for_selector(".js-plotly-plot", timeout=300_000)
    files = {}
    for label, suffix in (("PDF", "pdf"), ("PowerPoint", "pptx")):
        with page.expect_download(timeout=600_000) as download:
            page.get_by_role("button", name=label).click()
        assert download.value.suggested_filename.startswith("briefing_XMP_")
        files[suffix] = tmp_path / f"b.{suffix}"
        download.value.save_as(files[suffix])
    pages = PdfReader(files["pdf"]).pages
    slides = Presentation(files["pptx"]).slides
    assert len(pages) == len(slides) >= 5
    assert "FCC Example" in pages[0].extract_text()
