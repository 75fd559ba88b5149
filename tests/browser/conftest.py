"""Browser fixtures: a real `popdash serve` on a free port and Debian's chromium (no browser download).

Every test under tests/browser/ skips with the reason where chromium or playwright is missing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from reports.briefing.render import OFFLINE_FLAGS

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
# The test browser makes no traffic of its own either (the outbound test records it).
# Test servers also listen on 127.0.0.2 (a non-loopback-looking address that cannot be reached from outside).
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    *(f"{f}, EXCLUDE 127.0.0.2" if f.startswith("--host-resolver-rules=") else f for f in OFFLINE_FLAGS),
]
# Waits follow Streamlit's own signals; the bound is generous because a loaded machine is slow.
SETTLE_MS = 240_000


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    reason = None
    if not CHROMIUM.exists():
        reason = "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "browser tests need playwright (the test extra)"
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(argv: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def _healthy(url: str, proc: subprocess.Popen, deadline: float) -> bool:
    """Poll Streamlit's health check until "ok"; False when the server ended first (its port was taken)."""
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return True
        except OSError:
            pass
        if proc.poll() is not None:
            return False
        if time.monotonic() > deadline:
            pytest.fail("popdash serve did not come up within 180 s")
        time.sleep(0.3)


@contextlib.contextmanager
def serving(store_path, *extra: str, port: int | None = None, host: str = "127.0.0.1", prefix: tuple[str, ...] = ()):
    """A freshly started `popdash serve` on a free port (`extra` arguments added, run under `prefix`,
    e.g. strace); its URL. Stopped on exit.

    Another process (a second test worker, another checkout) may take a free port between the
    look-up and the server's bind: a server that ends before it is healthy gets a new port.
    """
    deadline = time.monotonic() + 180  # a loaded machine starts Streamlit slowly
    tries = 1 if port else 3
    for _ in range(tries):
        at = port or _free_port()
        argv = [
            *prefix,
            sys.executable,
            "-m",
            "popdash",
            "serve",
            "--port",
            str(at),
            "--store",
            str(store_path),
            *extra,
        ]
        proc = _start(argv)
        url = f"http://{host}:{at}"
        try:
            if _healthy(url, proc, deadline):
                yield url
                return
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
    pytest.fail(f"popdash serve ended before it came up ({tries} ports tried)")


def settle(pg, timeout: float = SETTLE_MS) -> None:
    """Wait until the script has drawn something, finished, and every placeholder is filled:
    Streamlit's own signals (the app's script state, no skeleton left), never a fixed sleep."""
    pg.wait_for_selector("[data-testid=stMain] [data-testid=stElementContainer]", timeout=timeout)
    pg.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid=stApp]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && document.querySelectorAll('[data-testid=stSkeleton]').length === 0;
        }""",
        timeout=timeout,
        polling=100,
    )


@pytest.fixture(scope="session")
def server(page_store):
    """`popdash serve` on the page fixture store, shared by every test of the session (its caches warm)."""
    with serving(page_store) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright for the session: the sync API refuses a second one while the first runs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """One Chromium for the session; each test gets its own context (cookies, storage) through `page`."""
    b = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
    yield b
    b.close()


def new_context(browser, **options):
    """A browser context (a fresh visitor) whose clicks, locators and downloads wait as long as a page may take."""
    context = browser.new_context(**{"viewport": {"width": 1500, "height": 1000}, "accept_downloads": True, **options})
    context.set_default_timeout(SETTLE_MS)
    return context


@pytest.fixture()
def page(browser):
    context = new_context(browser)
    pg = context.new_page()
    yield pg
    context.close()
