"""Every page in a real browser against a real `popdash serve`: it loads, draws its charts, shows
no exception; the briefing shows no register number; an /explore link reopens the same view.

Uses Debian's chromium (no browser download); skips with the reason where it is missing.
"""
from __future__ import annotations

import contextlib
import os
import re
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
ROOT = Path(__file__).resolve().parents[2]
# page -> does it draw at least one chart?
PAGES = {"morning": True, "briefing": True, "explore": True, "designations": True, "capacity": True,
         "program-review": True, "data": False, "national": True}
REGISTER = re.compile(r"\b\d{5}-\d{3}\b")

if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (the test extra)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(page_store):
    """`popdash serve` on a free port, on the page fixture store; stopped after the module."""
    with _serving(page_store) as url:
        yield url


@contextlib.contextmanager
def _serving(page_store):
    """A freshly started `popdash serve` on a free port; its URL."""
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "popdash", "serve", "--port", str(port), "--store", str(page_store)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
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


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM),
                              args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()


def settle(pg, timeout: float = 90_000) -> None:
    """Wait until the script has drawn something, finished, and every placeholder has been filled."""
    pg.wait_for_selector("[data-testid=stMain] [data-testid=stElementContainer]", timeout=timeout)
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    while pg.locator("[data-testid=stSkeleton]").count() and time.monotonic() < deadline:
        time.sleep(0.2)
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_with_its_charts_and_no_exception(server, page, name):
    page.goto(f"{server}/{name}")
    settle(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert "SAMPLE DATA" in page.inner_text("[data-testid=stMain]")
    if PAGES[name]:
        page.wait_for_selector(".js-plotly-plot", timeout=30_000)
        assert page.locator(".js-plotly-plot").count() >= 1
    assert "Traceback" not in page.inner_text("body")


@pytest.mark.parametrize(("path", "title"), [("program-review", "Program Review"), ("morning", "Morning check")])
def test_first_deep_link_opens_its_page(page_store, page, path, title):
    """The first request a fresh server gets is a link to a page: that page opens, no "Page not found"."""
    with _serving(page_store) as url:
        page.goto(f"{url}/{path}")
        settle(page)
        assert page.locator("h1").first.inner_text().strip() == title
        assert "Page not found" not in page.inner_text("body")
        assert page.locator("[data-testid=stSidebarNav]").count() == 1


def test_briefing_shows_no_register_number(server, page):
    page.goto(f"{server}/briefing")
    settle(page)
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    text = page.inner_text("body")
    assert not REGISTER.search(text), REGISTER.search(text).group(0)
    # Chart text (axis labels, hover templates) counts too.
    svg = " ".join(page.locator(".js-plotly-plot").all_text_contents())
    assert not REGISTER.search(svg)


def _choose(pg, label: str, option: str) -> None:
    box = pg.locator("[data-testid=stSelectbox]").filter(has_text=label).first
    box.locator("input").click()
    pg.keyboard.type(option)
    pg.locator("[role=option]").filter(has_text=re.compile(f"^{re.escape(option)}$")).first.click()
    settle(pg)


def _selected(pg, label: str) -> str:
    box = pg.locator("[data-testid=stSelectbox]").filter(has_text=label).first
    return box.locator("input").input_value()


def test_explore_link_reopens_the_same_view(server, browser, page):
    page.goto(f"{server}/explore")
    settle(page)
    _choose(page, "Group by", "security_level")
    _choose(page, "Column 1", "unit_level")
    page.wait_for_function("() => location.search.includes('by1=security_level') && location.search.includes('f1=unit_level')",
                           timeout=15_000)
    link = page.url
    table = page.locator("[data-testid=stDataFrame]").first.inner_text()
    other = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    try:
        other.goto(link)
        settle(other)
        assert _selected(other, "Group by") == "security_level"
        assert _selected(other, "Column 1") == "unit_level"
        assert other.locator("[data-testid=stDataFrame]").first.inner_text() == table
        assert "by1=security_level" in other.url
    finally:
        other.context.close()
