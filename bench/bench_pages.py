"""Server-side render time of every dashboard page on two years of sample history.

Builds a demo store of 730 days once (in a temporary folder), then for each page runs the real
app with Streamlit's AppTest: once with every cache empty ("first"), then several times with
the caches warm ("cached", median). Run by hand: `python bench/bench_pages.py [--days N] [--runs N]`.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

from dashboard.navigation import VIEW_FILES

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"
PAGES = VIEW_FILES


def _app():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=900)
    at.run()  # registers the pages' URL paths so switch_page finds them
    return at


def _time_page(page: str, runs: int) -> tuple[float, float, str]:
    import streamlit as st

    at = _app()
    st.cache_data.clear()
    st.cache_resource.clear()
    t = time.perf_counter()
    at.switch_page(PAGES[page]).run()
    first = time.perf_counter() - t
    problem = f"{len(at.exception)} exception(s)" if at.exception else ""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t)
    return first, statistics.median(times), problem


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--store", help="reuse a store folder (built there when empty)")
    args = ap.parse_args()

    from loaders.store import Store
    from sample_data.demo_store import ensure_demo_store

    folder = Path(args.store) if args.store else Path(tempfile.mkdtemp(prefix="popdash-bench-pages-")) / "demo"
    t = time.perf_counter()
    ensure_demo_store(folder, days=args.days, seed=7)
    store = Store(folder)
    rows = int(store.query("SELECT count(*) AS n FROM population")["n"].iloc[0])
    print(
        f"store: {args.days} days, {len(store.as_of_dates('population'))} roster snapshots, "
        f"{rows:,} roster rows (ready in {time.perf_counter() - t:.1f} s)"
    )
    os.environ["POPDASH_STORE"] = str(folder)
    logging.disable(logging.WARNING)  # AppTest runs outside a server and says so on every run

    print(f"{'page':<16}{'first (s)':>11}{'cached, median of ' + str(args.runs) + ' (s)':>32}")
    for page in PAGES:
        first, cached, problem = _time_page(page, args.runs)
        print(f"{page:<16}{first:>11.2f}{cached:>32.2f}  {problem}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
