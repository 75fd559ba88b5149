"""Benchmark of the history store: seeding two years of daily rosters and the by-day queries.

Run by hand: `python bench/bench_store.py [--days 730] [--rows 1800]`. Prints the time to
import every daily roster (one CSV per day, ~1.3 million rows in all), then the median of five
runs of population_by_day() in total and split by a column. With the sample generator present
it also times ensure_demo_store(), the first start of `popdash serve`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.config import load_facility  # noqa: E402
from loaders.store import Store  # noqa: E402
from sample_data.demo_store import ensure_demo_store  # noqa: E402

FACILITY = ROOT / "sample_data" / "facility.toml"
END = date(2026, 11, 20)


def write_rosters(folder: Path, days: int, rows: int, seed: int = 7) -> list[Path]:
    """Daily roster CSVs: the same register numbers drift between units and levels day by day."""
    rng = np.random.default_rng(seed)
    units = [u.name for u in load_facility(FACILITY).units]
    regs = pd.Series([f"{n:05d}-{n % 997:03d}" for n in rng.choice(99999, rows * 2, replace=False)])
    levels = np.array(["MINIMUM", "LOW", "MEDIUM", "HIGH", "UNASSIGNED"])
    custody = np.array(["IN", "OUT", "COMMUNITY", "MAXIMUM"])
    arrival = pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 2000, rows * 2), unit="D")
    paths = []
    for i in range(days):
        day = END - timedelta(days=days - 1 - i)
        pick = np.sort(rng.choice(rows * 2, rows, replace=False))
        frame = pd.DataFrame(
            {
                "Reg No": regs.to_numpy()[pick],
                "Unit": rng.choice(units, rows),
                "Sec Lvl": rng.choice(levels, rows, p=[0.2, 0.3, 0.4, 0.05, 0.05]),
                "Custody": rng.choice(custody, rows, p=[0.5, 0.4, 0.08, 0.02]),
                "Arrival Date": arrival[pick].strftime("%m/%d/%Y"),
                "Sex": "M",
                "Points": rng.integers(0, 30, rows),
                "PRD": (pd.Timestamp(day) + pd.to_timedelta(rng.integers(30, 4000, rows), unit="D")).strftime(
                    "%Y-%m-%d"
                ),
            }
        )
        path = folder / f"roster_{day.isoformat()}.csv"
        frame.to_csv(path, index=False)
        paths.append(path)
    return paths


def median_of_five(fn) -> tuple[float, object]:  # noqa: ANN001
    times, result = [], None
    for _ in range(5):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--rows", type=int, default=1800)
    ap.add_argument("--skip-demo", action="store_true", help="do not time ensure_demo_store()")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        folder = Path(tmp)
        (folder / "csv").mkdir()
        start = time.perf_counter()
        paths = write_rosters(folder / "csv", args.days, args.rows)
        print(f"wrote {len(paths)} roster files in {time.perf_counter() - start:.1f} s")

        store = Store(folder / "store")
        store.set_facility(FACILITY)
        start = time.perf_counter()
        outcomes = store.import_files(paths, "population")
        took = time.perf_counter() - start
        assert {o.status for o in outcomes} == {"imported"}, {o.status for o in outcomes}
        total = store.query("SELECT count(*) AS n FROM population")["n"].iloc[0]
        print(
            f"import of {len(paths)} daily rosters ({total:,} rows): {took:.1f} s "
            f"({took / len(paths) * 1000:.0f} ms per file)"
        )

        for label, call in [
            ("population_by_day()", lambda: store.population_by_day()),
            ('population_by_day(["security_level"])', lambda: store.population_by_day(["security_level"])),
            ('population_by_day(["unit", "custody"])', lambda: store.population_by_day(["unit", "custody"])),
            ("frame('population') latest", lambda: store.frame("population")),
            ('history(columns=["unit"]) (all days)', lambda: store.history(columns=["unit"])),
        ]:
            secs, out = median_of_five(call)
            print(f"{label}: median of five {secs * 1000:.1f} ms ({len(out):,} rows out)")

        if not args.skip_demo:
            import sample_data

            if not hasattr(sample_data, "generate"):
                print("sample_data.generate is not available: demo seeding not timed")
                return
            start = time.perf_counter()
            sample_data.generate(folder / "sample")
            print(f"sample_data.generate() alone: {time.perf_counter() - start:.1f} s")
            start = time.perf_counter()
            demo = ensure_demo_store(folder / "demo")
            took = time.perf_counter() - start
            rows = demo.query("SELECT count(*) AS n FROM population")["n"].iloc[0]
            print(
                f"ensure_demo_store() (generate + import everything): {took:.1f} s for {len(demo.as_of_dates()):,} days, {rows:,} roster rows"
            )


if __name__ == "__main__":
    main()
