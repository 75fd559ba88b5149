"""Backtest of the projection models: MAPE against "same as last count" and band coverage.

Run by hand: `python bench/bench_projection.py [--days 730] [--skip-sample]`.

1. Public facility counts (bench/data/, see bench/data/README.md): 36 federal facilities,
   2023-09 to 2024-03, the series model as `popdash project --series` runs it; a development
   part and a held-out part (every second facility of the second extract) reported apart.
2. The sample history (sample_data.generate): the daily head count as a series, and the
   institution model (releases, arrivals, moves plus measured drift) over its roster history.
3. Synthetic random walks with and without drift (40 series) and counts pulled back toward
   a level (30 series), as calibration and skill checks.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.projection.series import series_track_record  # noqa: E402
from popdash.commands.project import read_series  # noqa: E402


def _show(title: str, rec: pd.DataFrame, seconds: float) -> None:
    print(f"\n{title}  ({seconds:.1f} s)")
    print(f"  {'horizon':>7} {'pairs':>6} {'MAPE':>7} {'naive':>7} {'cover80':>8} {'cover95':>8}")
    for r in rec.itertuples():
        print(
            f"  {r.horizon:>7} {r.n:>6} {r.mape:>6.2f}% {r.mape_naive:>6.2f}% {r.coverage_80:>7.1f}% {r.coverage_95:>7.1f}%"
        )


def public_counts() -> None:
    data = ROOT / "bench" / "data"
    first = read_series(data / "bop_facility_counts_2023_2024.csv")
    more = read_series(data / "bop_more_facilities_2023_2024.csv")
    # held out: every second of the 29 further facilities (sorted by name), never used to choose the model
    names = sorted(more["facility"].unique())
    held = more[more["facility"].isin(names[1::2])]
    develop = pd.concat([first, more[~more["facility"].isin(names[1::2])]], ignore_index=True)
    # six months of counts: projections are scored from four weeks after the first origin
    for title, frame in (
        (f"7 facilities ({len(first['facility'].unique())}, the first extract)", first),
        (f"development part ({develop['facility'].nunique()} facilities)", develop),
        (f"HELD-OUT part ({held['facility'].nunique()} facilities)", held),
        (
            f"all ({develop['facility'].nunique() + held['facility'].nunique()} facilities)",
            pd.concat([develop, held], ignore_index=True),
        ),
    ):
        t = time.perf_counter()
        rec = series_track_record(frame, warmup=28)
        _show(f"Public BOP facility counts, {title}, series model", rec, time.perf_counter() - t)


def synthetic(seed: int = 11) -> None:
    rng = np.random.default_rng(seed)
    frames = []
    for i in range(40):
        drift = rng.normal(0, 0.6) if i % 2 else 0.0
        base = rng.uniform(300, 3000)
        y = base + np.cumsum(rng.normal(drift, base * 0.003, 730))
        frames.append(
            pd.DataFrame(
                {
                    "date": pd.date_range("2024-01-01", periods=730),
                    "facility": f"S{i}",
                    "population": np.maximum(0, np.round(y)),
                }
            )
        )
    t = time.perf_counter()
    rec = series_track_record(pd.concat(frames))
    _show("Synthetic random walks, half with drift (series model)", rec, time.perf_counter() - t)


def managed(seed: int = 4) -> None:
    rng = np.random.default_rng(seed)
    frames = []
    for i in range(30):
        target = rng.uniform(300, 3000)
        y = np.empty(730)
        y[0] = target
        for t in range(1, 730):
            y[t] = y[t - 1] + 0.03 * (target - y[t - 1]) + rng.normal(0, target * 0.005)
        frames.append(
            pd.DataFrame(
                {"date": pd.date_range("2024-01-01", periods=730), "facility": f"M{i}", "population": np.round(y)}
            )
        )
    t = time.perf_counter()
    rec = series_track_record(pd.concat(frames))
    _show("Synthetic counts pulled toward a level, 30 series (series model)", rec, time.perf_counter() - t)


def sample_history(days: int) -> None:
    try:
        from sample_data import generate
    except ImportError:
        print("\nSample history: sample_data.generate is not available; skipped.")
        return
    import loaders
    from analytics.projection.institution import Inputs, project_institution
    from loaders.config import load_facility

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t = time.perf_counter()
        generate(out, days=days, seed=7)
        print(f"\nSample data generated ({days} days) in {time.perf_counter() - t:.1f} s")
        facility = load_facility(out / "facility.toml")
        rosters = []
        for f in sorted((out / "roster").glob("roster_*.csv")):
            rosters.append(loaders.load(f, kind="population", facility=facility).frame)
        history = pd.concat(rosters, ignore_index=True)

        def latest(kind):
            files = sorted(out.glob(f"{kind}_*.csv"))
            return loaders.load(files[-1], kind=kind, facility=facility).frame if files else None

        def all_of(kind):
            files = sorted(out.glob(f"{kind}_*.csv"))
            return (
                pd.concat([loaders.load(f, kind=kind, facility=facility).frame for f in files], ignore_index=True)
                if files
                else None
            )

    counts = history.groupby("as_of_date").size().rename("population").reset_index()
    counts = counts.rename(columns={"as_of_date": "date"}).assign(facility=facility.facility.name)
    t = time.perf_counter()
    _show("Sample history: daily head count (series model)", series_track_record(counts), time.perf_counter() - t)
    as_of = history["as_of_date"].max()
    inp = Inputs(
        roster=history[history["as_of_date"] == as_of],
        as_of=as_of,
        facility=facility,
        designations=latest("designations"),
        redesignations=latest("redesignations"),
        history=history,
        designation_history=all_of("designations"),
        redesignation_history=all_of("redesignations"),
    )
    t = time.perf_counter()
    _, rec = project_institution(inp, horizon=90)
    seconds = time.perf_counter() - t
    for group in ("facility", "security_level", "unit"):
        _show(f"Sample history: institution model, {group} rows", rec[rec["group"] == group], seconds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--skip-sample", action="store_true")
    args = ap.parse_args()
    public_counts()
    synthetic()
    managed()
    if not args.skip_sample:
        sample_history(args.days)


if __name__ == "__main__":
    main()
