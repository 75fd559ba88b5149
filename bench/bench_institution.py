"""The institution projection measured on the sample history and on an unseen one.

Run by hand: `python bench/bench_institution.py [--days 730]`.

Two histories are generated and imported into temporary stores, then projected as
`popdash project` does (reports.projection.project_store):

- "sample": the shipped sample data (seed 7, default flow rates), which the tests use;
- "unseen": another seed and other flow rates (a shrinking population, a larger yearly swing,
  slower refill, more arrivals by transfer, a longer designation lag, shorter sentences),
  which no test and no choice of the model has seen.

For each: the rolling-origin track record (MAPE at 7 / 30 / 90 days of the projection and of
"same as last count", 80 % and 95 % band coverage) per facility, level and unit rows; then,
for the facility row, what the known flows said against what happened (mean per origin), to
show which flow is mistimed where the projection does not beat the last count.
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

from sample_data._flow import FlowRates  # noqa: E402

UNSEEN = FlowRates(growth=-90.0, swing=35.0, pull=0.04, transfer_share=0.4, designation_lag=16.0, sentence_scale=0.8)
UNSEEN_SEED = 2031
HORIZONS = (7, 30, 90)


def _store(tmp: Path, name: str, days: int, seed: int, rates: FlowRates | None):
    from loaders.store import Store
    from sample_data import generate

    out = tmp / f"{name}-files"
    t = time.perf_counter()
    generate(out, days=days, seed=seed, rates=rates)
    store = Store(tmp / name)
    files = (
        sorted((out / "roster").glob("roster_*.csv"))
        + sorted(out.glob("designations_*.csv"))
        + sorted(out.glob("redesignations_*.csv"))
    )
    store.import_files(files, facility=out / "facility.toml")
    print(f"{name}: {days} days generated and imported in {time.perf_counter() - t:.0f} s")
    return store


def _track(store, name: str) -> pd.DataFrame:
    from reports.projection import project_store

    t = time.perf_counter()
    _, rec = project_store(store, 90)
    print(f"\n{name}: projection and track record in {time.perf_counter() - t:.1f} s")
    print(f"  {'rows':<15}{'horizon':>8}{'pairs':>7}{'MAPE':>8}{'last':>8}{'cover80':>9}{'cover95':>9}")
    for r in rec.itertuples():
        better = "beats" if r.mape < r.mape_naive else "LOSES"
        print(
            f"  {r.group:<15}{r.horizon:>8}{r.n:>7}{r.mape:>7.2f}%{r.mape_naive:>7.2f}%{r.coverage_80:>8.1f}%"
            f"{r.coverage_95:>8.1f}%  {better}"
        )
    return rec


def _flows(store, name: str, stride: int = 7, warmup: int = 56) -> None:
    """Facility row: known releases vs what left, and the arrivals nobody had announced yet."""
    from analytics.projection.flows import known_events

    hist = store.history("population", columns=["register_number", "unit", "security_level", "projected_release_date"])
    hist["as_of_date"] = pd.to_datetime(hist["as_of_date"])
    days = sorted(hist["as_of_date"].unique())
    people = {d: set(g["register_number"]) for d, g in hist.groupby("as_of_date")}
    facility = store.facility()
    rows = []
    for k in range(warmup, len(days) - max(HORIZONS), stride):
        day = days[k]
        roster = hist[hist["as_of_date"] == day]
        ev = known_events(roster, day, max(HORIZONS), facility)
        for h in HORIZONS:
            later = people.get(day + pd.Timedelta(days=h))
            if later is None:
                continue
            now = people[day]
            rel = ev[(ev["kind"] == "release") & (ev["day"] <= h)]
            left, came = now - later, later - now
            rows.append(
                {
                    "h": h,
                    "known_releases": -rel["delta"].sum(),
                    "left": len(left),
                    "arrived": len(came),
                    "net": len(later) - len(now),
                    "known_net": rel["delta"].sum(),
                    "cur": len(now),
                }
            )
    df = pd.DataFrame(rows)
    print(f"\n{name}: facility flows per origin (mean over {df['h'].eq(7).sum()} origins)")
    print(
        f"  {'horizon':>8}{'known releases':>16}{'left':>7}{'arrived':>9}{'net':>7}{'known net':>11}"
        f"{'MAPE last+known':>17}"
    )
    for h, g in df.groupby("h"):
        cur = g["cur"].to_numpy(float)
        act = cur + g["net"].to_numpy()
        mape_known = np.mean(np.abs(cur + g["known_net"].to_numpy() - act) / act) * 100
        print(
            f"  {h:>8}{g['known_releases'].mean():>16.1f}{g['left'].mean():>7.1f}{g['arrived'].mean():>9.1f}"
            f"{g['net'].mean():>7.1f}{g['known_net'].mean():>11.1f}{mape_known:>16.2f}%"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--only", choices=("sample", "unseen"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, seed, rates in (("sample", 7, None), ("unseen", UNSEEN_SEED, UNSEEN)):
            if args.only and args.only != name:
                continue
            store = _store(Path(tmp), name, args.days, seed, rates)
            _track(store, name)
            _flows(store, name)


if __name__ == "__main__":
    main()
