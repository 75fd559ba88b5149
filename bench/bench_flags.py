"""Benchmark: evaluate_flags (and work_queue) on a generated 160,000-row roster, median of five runs.

Run by hand: `python bench/bench_flags.py [ROWS]`. The roster is made here, vectorised, with a
realistic share of every kind of violation (mismatched levels, PSFs including unknown names,
expired and expiring MGTVs, late classifications and reviews, wrong custody, high care levels).
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

from analytics.flags import evaluate_flags  # noqa: E402
from analytics.workqueue import work_queue  # noqa: E402
from loaders.config import load_facility, load_rules  # noqa: E402

AS_OF = pd.Timestamp("2026-11-22")
PSF_NAMES = [
    "SEX OFFENDER",
    "DSG",
    "GREATEST SEVERITY OFFENSE",
    "DEPORTABLE ALIEN",
    "SLG",
    "SERIOUS ESCAPE",
    "PRISON DISTURBANCE",
    "VIOLENT BEHAVIOR",
    "STA",
    "NOT IN THE RULES FILE",
]
PSF_WEIGHTS = [0.30, 0.02, 0.20, 0.20, 0.12, 0.04, 0.03, 0.04, 0.04, 0.01]
MGTV_NAMES = ["POPULATION MANAGEMENT", "JUDICIAL RECOMMENDATION", "WORK CADRE", "GREATER SECURITY", "LOCAL CODE"]
LEVELS = np.array(["MINIMUM", "LOW", "MEDIUM", "HIGH"])
CUSTODY = np.array(["MAXIMUM", "IN", "OUT", "COMMUNITY"])


def _days(rng: np.random.Generator, low: int, high: int, n: int) -> np.ndarray:
    """Dates as-of + U[low, high) days."""
    return (AS_OF + pd.to_timedelta(rng.integers(low, high, n), unit="D")).to_numpy(dtype="datetime64[us]")


def _blank(values: np.ndarray, rng: np.random.Generator, share: float) -> np.ndarray:
    out = values.copy()
    out[rng.random(len(values)) < share] = np.datetime64("NaT")
    return out


def generate(n: int, facility, seed: int = 11) -> pd.DataFrame:
    """A canonical roster frame of n inmates with a realistic mix of violations."""
    rng = np.random.default_rng(seed)
    units = np.array([u.name for u in facility.units])
    cap = np.array([u.rated_capacity for u in facility.units], dtype=float)
    unit = units[rng.choice(len(units), n, p=cap / cap.sum())]
    unit_level = pd.Series(unit).map(facility.unit_levels).to_numpy()
    rank = pd.Series(unit_level).map({lv: i for i, lv in enumerate(LEVELS)}).fillna(2).to_numpy(dtype=int)
    scored = np.clip(rank + rng.choice([-1, 0, 1], n, p=[0.06, 0.88, 0.06]), 0, 3)
    level = LEVELS[scored].astype(object)
    psf = np.array(PSF_NAMES, dtype=object)[rng.choice(len(PSF_NAMES), n, p=PSF_WEIGHTS)]
    second = np.array(PSF_NAMES, dtype=object)[rng.choice(len(PSF_NAMES), n, p=PSF_WEIGHTS)]
    two = rng.random(n) < 0.05
    psf = np.where(two, psf + ";" + second, psf)
    none = rng.random(n) < np.where(unit_level == "MINIMUM", 0.98, 0.6)  # camps hold few PSF cases
    psf = np.where(none, None, psf)
    has_mgtv = rng.random(n) < 0.08
    mgtv = np.where(has_mgtv, np.array(MGTV_NAMES, dtype=object)[rng.integers(0, len(MGTV_NAMES), n)], None)
    mgtv_exp = np.where(has_mgtv, _blank(_days(rng, -90, 365, n), rng, 0.3), np.datetime64("NaT"))
    allowed = {
        "MINIMUM": ["OUT", "COMMUNITY"],
        "LOW": ["IN", "OUT"],
        "MEDIUM": ["IN", "OUT"],
        "HIGH": ["MAXIMUM", "IN"],
        "ADMINISTRATIVE": ["MAXIMUM", "IN"],
    }
    custody = np.array([allowed[lv][i % 2] for i, lv in enumerate(unit_level)], dtype=object)
    wrong = rng.random(n) < 0.02
    custody[wrong] = CUSTODY[rng.integers(0, 4, wrong.sum())]
    arrival = _days(rng, -3000, 0, n)
    level[(rng.random(n) < 0.5) & (arrival > np.datetime64("2026-09-01"))] = "UNASSIGNED"  # recent arrivals
    initial = _blank(arrival + np.timedelta64(20, "D"), rng, 0.02)
    review = _blank(_days(rng, -185, 0, n), rng, 0.05)
    return pd.DataFrame(
        {
            "register_number": pd.Series([f"{10000 + i // 1000:05d}-{i % 1000:03d}" for i in range(n)], dtype="str"),
            "unit": pd.Series(unit, dtype="str"),
            "security_level": pd.Series(level, dtype="str"),
            "custody": pd.Series(custody, dtype="str"),
            "arrival_date": arrival,
            "sex": pd.Series(np.where(rng.random(n) < 0.97, "M", "F"), dtype="str"),
            "psf": pd.Series(psf, dtype="str"),
            "mgtv": pd.Series(mgtv, dtype="str"),
            "mgtv_expires": pd.Series(mgtv_exp).astype("datetime64[us]"),
            "medical_care_level": pd.Series(rng.choice([1, 2, 3, 4], n, p=[0.5, 0.48, 0.015, 0.005])).astype("Int64"),
            "mental_health_care_level": pd.Series(rng.choice([1, 2, 3, 4], n, p=[0.6, 0.39, 0.008, 0.002])).astype(
                "Int64"
            ),
            "initial_classification_date": initial,
            "last_program_review_date": review,
            "projected_release_date": _blank(_days(rng, -30, 365 * 35, n), rng, 0.02),
            "case_manager": pd.Series(
                np.array(["CM A", "CM B", "CM C", "CM D"], dtype=object)[rng.integers(0, 4, n)], dtype="str"
            ),
            "cim": pd.Series(np.where(rng.random(n) < 0.02, "SEPARATION", None), dtype="str"),
            "line": np.arange(2, n + 2),
        }
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 160_000
    facility, rules = load_facility(ROOT / "sample_data" / "facility.toml"), load_rules()
    roster = generate(n, facility)
    times, cpu, report = [], [], None
    for _ in range(5):
        start, start_cpu = time.perf_counter(), time.process_time()
        report = evaluate_flags(roster, facility, rules, AS_OF)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    # CPU time as well: on a shared machine the wall clock also measures the neighbours.
    print(
        f"evaluate_flags on {n:,d} rows: median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}; CPU median {statistics.median(cpu):.3f} s) "
        f"over 5 runs; {len(report.flags):,d} flags"
    )
    print(report.flags["rule"].value_counts().to_string())
    times = []
    for _ in range(5):
        start = time.perf_counter()
        queue = work_queue(roster, rules, AS_OF)
        times.append(time.perf_counter() - start)
    print(
        f"work_queue on {n:,d} rows: median {statistics.median(times):.3f} s over 5 runs; {len(queue.items):,d} tasks"
    )


if __name__ == "__main__":
    main()
