"""Capacity benchmark: occupancy per unit / level / facility on a 160,000-row roster, and the
capacity sheet on a large facility_counts frame. Run by hand: `python bench/bench_capacity.py`.

Prints the median of five runs of each step.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.capacity import capacity_sheet, capacity_view, crowding_pct  # noqa: E402
from loaders.config import load_facility  # noqa: E402

ROSTER_ROWS = 160_000
FACILITIES, DAYS = 122, 3_650  # about every federal institution, ten years of daily counts
RUNS = 5


def _roster(facility, rng: np.random.Generator) -> pd.DataFrame:
    units = np.array([u.name for u in facility.units])
    return pd.DataFrame(
        {
            "register_number": pd.Series([f"{i:05d}-{i % 1000:03d}" for i in range(ROSTER_ROWS)], dtype="str"),
            "unit": pd.Series(rng.choice(units, ROSTER_ROWS), dtype="str"),
            "security_level": pd.Series(rng.choice(["MINIMUM", "LOW", "MEDIUM", "HIGH"], ROSTER_ROWS), dtype="str"),
        }
    )


def _counts(rng: np.random.Generator) -> pd.DataFrame:
    n = FACILITIES * DAYS
    dates = pd.date_range("2016-11-23", periods=DAYS, freq="D")
    rated = rng.integers(0, 2_000, FACILITIES)
    pop = rng.integers(0, 2_500, n)
    pending = rng.integers(0, 60, (2, n))
    return pd.DataFrame(
        {
            "line": np.arange(2, n + 2),
            "facility": pd.Series(np.repeat([f"FCI PLACE {i}" for i in range(FACILITIES)], DAYS), dtype="str"),
            "date": np.tile(dates.to_numpy(), FACILITIES),
            "population": pd.array(pop, dtype="Int64"),
            "rated_capacity": pd.array(np.repeat(rated, DAYS), dtype="Int64"),
            "pending_in": pd.array(pending[0], dtype="Int64"),
            "pending_out": pd.array(pending[1], dtype="Int64"),
        }
    )


def _median(fn) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    rng = np.random.default_rng(7)
    facility = load_facility(ROOT / "sample_data" / "facility.toml")
    roster = _roster(facility, rng)
    counts = _counts(rng)
    print(f"roster rows: {len(roster):,}; facility_counts rows: {len(counts):,}; median of {RUNS} runs")
    print(
        f"capacity_view (unit, level, facility) on {len(roster):,} rows: {_median(lambda: capacity_view(roster, facility)):.4f} s"
    )
    print(f"capacity_sheet (latest date of {len(counts):,} rows): {_median(lambda: capacity_sheet(counts)):.4f} s")
    print(
        f"crowding_pct over all {len(counts):,} rows: "
        f"{_median(lambda: crowding_pct(counts['population'], counts['rated_capacity'])):.4f} s"
    )


if __name__ == "__main__":
    main()
