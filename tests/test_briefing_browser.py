"""The /briefing download buttons in a real browser: each click builds its file, and the file is whole."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]

if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (the test extra)")


@pytest.fixture(scope="module")
def server(page_store):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "popdash", "serve", "--port", str(port), "--store", str(page_store)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("popdash serve did not come up within 60 s")
            time.sleep(0.3)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_downloads_build_whole_files(server, tmp_path):
    from pptx import Presentation
    from pypdf import PdfReader

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.goto(f"{server}/briefing")
        # Generous waits: the first run projects the population, slow on a busy machine.
        page.wait_for_selector(".js-plotly-plot", timeout=300_000)
        page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=300_000)
        files = {}
        for label, suffix in (("PDF", "pdf"), ("PowerPoint", "pptx")):
            with page.expect_download(timeout=300_000) as download:
                page.get_by_role("button", name=label).click()
            assert download.value.suggested_filename.startswith("briefing_XMP_")
            files[suffix] = tmp_path / f"b.{suffix}"
            download.value.save_as(files[suffix])
        browser.close()
    pages = PdfReader(files["pdf"]).pages
    slides = Presentation(files["pptx"]).slides
    assert len(pages) == len(slides) >= 5
    assert "FCC Example" in pages[0].extract_text()
