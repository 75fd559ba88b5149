"""Server-side render time of every dashboard page on two years of sample history.

Builds a demo store of 730 days once (in a temporary folder, or `--store DIR`, reused as it is when
it already holds a roster), keeps its figures as an import does (reports.kept), then for each page
runs the real app with Streamlit's AppTest: once with every in-process cache empty ("first": the
first request after an import), then several times with the caches warm ("cached", median).
Wall seconds and the process's CPU seconds are both shown: on a busy machine the CPU time is the
steadier figure. Run by hand: `python bench/bench_pages.py [--days N] [--runs N] [--store DIR]`.
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


def _time_page(page: str, runs: int) -> tuple[tuple[float, float], tuple[float, float], str]:
    """((wall, cpu) of the first render, (wall, cpu) medians of the cached reruns, problem)."""
    import streamlit as st

    from dashboard import cached

    at = _app()
    st.cache_data.clear()
    st.cache_resource.clear()
    cached.forget_stores()
    t, c = time.perf_counter(), time.process_time()
    at.switch_page(PAGES[page]).run()
    first = (time.perf_counter() - t, time.process_time() - c)
    problem = f"{len(at.exception)} exception(s)" if at.exception else ""
    walls, cpus = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        at.run()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return first, (statistics.median(walls), statistics.median(cpus)), problem


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--store", help="reuse a store folder (built there when empty)")
    args = ap.parse_args()

    from loaders.store import Store
    from reports.kept import precompute
    from sample_data.demo_store import ensure_demo_store

    folder = Path(args.store) if args.store else Path(tempfile.mkdtemp(prefix="popdash-bench-pages-")) / "demo"
    t = time.perf_counter()
    # A store handed over is reused as it is (a demo store is otherwise rebuilt on a new day).
    if not ((folder / "popdash.duckdb").exists() and Store(folder).latest_as_of("population")):
        ensure_demo_store(folder, days=args.days, seed=7)
    store = Store(folder)
    k = time.perf_counter()
    kept = precompute(store)  # what `popdash import` does before it returns
    print(f"kept figures: {', '.join(kept) or 'already kept'} ({time.perf_counter() - k:.1f} s)")
    rows = int(store.query("SELECT count(*) AS n FROM population")["n"].iloc[0])
    print(
        f"store: {args.days} days, {len(store.as_of_dates('population'))} roster snapshots, "
        f"{rows:,} roster rows (ready in {time.perf_counter() - t:.1f} s)"
    )
    os.environ["POPDASH_STORE"] = str(folder)
    logging.disable(logging.WARNING)  # AppTest runs outside a server and says so on every run

    print(
        f"{'page':<16}{'first wall':>11}{'first cpu':>10}{'cached wall':>12}{'cached cpu':>11}  (s; cached: median of {args.runs})"
    )
    for page in PAGES:
        first, cached, problem = _time_page(page, args.runs)
        print(f"{page:<16}{first[0]:>11.2f}{first[1]:>10.2f}{cached[0]:>12.2f}{cached[1]:>11.2f}  {problem}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
