"""Ten people at once: concurrent sessions against a real `popdash serve` on the demo store.

Starts `popdash serve` on the two-year demo store (built on first use) with
$POPDASH_TIMING_LOG set, so the server writes one line per script run: the page, the seconds the
script took on the server and the session. One session visits every page once (the warm-up:
the shared caches are filled, as on a server up since the morning); then N browser sessions
(one headless Chromium, one context each) visit every page in turn for a bounded time, each waiting for Streamlit's own
"script finished" signal. Reported per page: server-side script time (median, p95), the count of
runs, and errors (an exception or an error box on the page). Each session also opens /explore
grouped by a column of its own and checks the page shows that column, not another session's.

Run by hand: `python bench/bench_sessions.py [--sessions 10] [--seconds 60] [--store DIR]`.
Goal: p95 under 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PAGES = ["morning", "briefing", "designations", "capacity", "national", "explore", "program-review", "data"]
# /explore grouped by a column of the session's own: another session's choice must never show.
OWN_GROUPING = [
    "unit",
    "security_level",
    "custody",
    "sex",
    "psf",
    "case_manager",
    "medical_care_level",
    "mental_health_care_level",
    "release_method",
    "detainer",
]
READY = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && document.querySelector('[data-testid=stMain] [data-testid=stElementContainer]') !== null
        && document.querySelectorAll('[data-testid=stSkeleton]').length === 0;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(log: Path, store: str | None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "POPDASH_TIMING_LOG": str(log), "PYTHONUNBUFFERED": "1"}
    where = ["--store", store] if store else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "popdash", "serve", "--port", str(port), *where],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 900  # the first start builds the two-year demo store
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc, url
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("popdash serve did not come up")


async def _session(
    browser, url: str, n: int, until: float, errors: list[str], shared: list[str], one_pass: bool = False
) -> int:
    """Visit every page in turn until `until` (or once, `one_pass`); the number of pages visited."""
    context = await browser.new_context(viewport={"width": 1500, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(600_000)
    own = OWN_GROUPING[n % len(OWN_GROUPING)]
    visits = 0
    try:
        # Each session starts on a page of its own, so even a short run under load measures every
        # page (all starting on /morning measured /morning alone).
        order = PAGES[n % len(PAGES) :] + PAGES[: n % len(PAGES)]
        while one_pass or time.monotonic() < until:
            for name in order:
                if time.monotonic() >= until and not one_pass:
                    break
                link = f"{url}/{name}" + (f"?by1={own}" if name == "explore" else "")
                await page.goto(link)
                await page.wait_for_function(READY, polling=100)
                visits += 1
                if await page.locator("[data-testid=stException], [data-testid=stAlertContentError]").count():
                    errors.append(f"session {n}: error on /{name}")
                if name == "explore":
                    box = page.locator("[data-testid=stSelectbox]").filter(has_text="Group by").first
                    if await box.locator("input").input_value() != own:
                        shared.append(f"session {n}: /explore grouped by another session's column")
            if one_pass:
                break
    except Exception as exc:  # noqa: BLE001 - a failing session is reported, the others go on
        errors.append(f"session {n}: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    finally:
        await context.close()
    return visits


async def _drive(url: str, sessions: int, seconds: float, warm: Path) -> tuple[int, list[str], list[str]]:
    from playwright.async_api import async_playwright

    from reports.briefing.render import OFFLINE_FLAGS

    errors: list[str] = []
    shared: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu", *OFFLINE_FLAGS]
        )
        # One session first visits every page once: the caches shared by every session are
        # filled, as on a server that has been up since the morning. Its runs are reported apart.
        await _session(browser, url, len(OWN_GROUPING) - 1, time.monotonic() + 1e-9, errors, shared, one_pass=True)
        print(f"warm-up pass done ({len(warm.read_text().splitlines())} script runs)", flush=True)
        warm.write_text("", encoding="utf-8")
        until = time.monotonic() + seconds
        visits = await asyncio.gather(*(_session(browser, url, n, until, errors, shared) for n in range(sessions)))
        await browser.close()
    return sum(visits), errors, shared


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def report(log: Path) -> tuple[dict[str, list[float]], int]:
    """Script seconds per page from the timing log; the number of distinct sessions in it."""
    times: dict[str, list[float]] = defaultdict(list)
    sessions = set()
    for line in log.read_text(encoding="utf-8").splitlines():
        page, seconds, session = line.split("\t")
        times[page].append(float(seconds))
        sessions.add(session)
    return times, len(sessions)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=60, help="how long each session keeps visiting pages")
    ap.add_argument("--store", help="serve this store (e.g. a two-year demo store built by bench_pages.py)")
    args = ap.parse_args()
    # Stopped from outside (a time limit): unwind, so the server started below is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with tempfile.TemporaryDirectory(prefix="popdash-bench-") as tmp:
        log = Path(tmp) / "timing.tsv"
        log.touch()
        proc, url = _start(log, args.store)
        try:
            started = time.monotonic()
            visits, errors, shared = asyncio.run(_drive(url, args.sessions, args.seconds, log))
            wall = time.monotonic() - started
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        times, seen = report(log)
    print(
        f"{args.sessions} sessions for {args.seconds:.0f} s after a warm-up pass ({wall:.0f} s wall in all), "
        f"{visits} page visits, "
        f"{seen} server sessions, {os.cpu_count()} CPUs"
    )
    print(f"{'page':<16}{'runs':>6}{'median s':>10}{'p95 s':>8}")
    every: list[float] = []
    for page in [*PAGES, *sorted(set(times) - set(PAGES))]:
        if page in times:
            t = times[page]
            every += t
            print(f"{page:<16}{len(t):>6}{statistics.median(t):>10.2f}{_p95(t):>8.2f}")
    if every:
        print(f"{'all pages':<16}{len(every):>6}{statistics.median(every):>10.2f}{_p95(every):>8.2f}")
    print(f"errors: {len(errors)}" + "".join(f"\n  {e}" for e in errors[:20]))
    print(f"state shared between sessions: {len(shared)}" + "".join(f"\n  {s}" for s in shared[:20]))
    return 1 if errors or shared else 0


if __name__ == "__main__":
    sys.exit(main())
