"""Benchmark: `loaders.load` of a 160,000-row roster against `pyarrow.csv.read_csv` of the same file,
with Unix (LF) and Windows (CRLF) line endings side by side.

Run by hand: `python bench/bench_load.py [--rows N] [--repeat 5]`. Prints the medians and the
ratios (goal: <= 3.0 for both; CRLF should cost no more than LF). The roster has every
population column with realistic, fictional values.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.csv as pacsv

from loaders import load, load_facility

ROOT = Path(__file__).resolve().parent.parent
FACILITY = ROOT / "sample_data" / "facility.toml"
LAST = [
    "ALVAREZ",
    "BRANNOCK",
    "CARDWELL",
    "DUNMORE",
    "ESPINAL",
    "FAIRWEATHER",
    "GALLOWAY",
    "HOLLISTER",
    "IBARRA",
    "JESSUP",
    "KINCAID",
    "LOCKHART",
    "MERRIWEATHER",
    "NORTHCUTT",
    "OKAFOR",
    "PEÑALOSA",
]
FIRST = ["AARON", "BENITO", "CALVIN", "DESHAWN", "EMILIO", "FLOYD", "GUSTAVO", "HAROLD", "ISAIAS", "JEROME"]
PSF = [
    "",
    "",
    "",
    "",
    "SEX OFFENDER",
    "DEPORTABLE ALIEN",
    "GREATEST SEVERITY",
    "SERIOUS ESCAPE",
    "SEX OFFENDER;DEPORTABLE ALIEN",
    "LENGTH OF SENTENCE",
]


def _dates(rng: np.random.Generator, n: int, start: str, days: int) -> pd.Series:
    d = pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, days, n), unit="D")
    return pd.Series(d.strftime("%m/%d/%Y"))


def make_roster(path: Path, rows: int, seed: int = 1, newline: str = "\n") -> None:
    """Write a roster export with every column of the population kind (line ends `newline`)."""
    rng = np.random.default_rng(seed)
    units = [u.name for u in load_facility(FACILITY).units]
    reg = rng.choice(10**8, size=rows, replace=False)
    df = pd.DataFrame(
        {
            "Register Number": [f"{r // 1000:05d}-{r % 1000:03d}" for r in reg],
            "Unit": rng.choice(units, rows),
            "Sec Lvl": rng.choice(
                ["MINIMUM", "LOW", "MEDIUM", "HIGH", "UNASSIGNED"], rows, p=[0.15, 0.35, 0.4, 0.05, 0.05]
            ),
            "Custody": rng.choice(["IN", "OUT", "COMMUNITY", "MAXIMUM"], rows, p=[0.5, 0.3, 0.15, 0.05]),
            "Arrival Date": _dates(rng, rows, "2018-01-01", 3000),
            "Last Name": rng.choice(LAST, rows),
            "First Name": rng.choice(FIRST, rows),
            "Sex": "M",
            "DOB": _dates(rng, rows, "1950-01-01", 20000),
            "Quarters": [f"{q:03d}{c}" for q, c in zip(rng.integers(1, 200, rows), rng.choice(list("LU"), rows))],
            "Security Points": rng.integers(0, 40, rows).astype(str),
            "PSF": rng.choice(PSF, rows),
            "MGTV": rng.choice(["", "", "", "", "", "", "GREATER SECURITY", "LESSER SECURITY"], rows),
            "MGTV Exp": "",
            "MSL": "",
            "Med Care Lvl": rng.choice(["1", "2", "CL2", "3"], rows, p=[0.6, 0.3, 0.05, 0.05]),
            "MH Care Lvl": rng.choice(["1", "2", "MH2"], rows, p=[0.7, 0.25, 0.05]),
            "Init Class Date": _dates(rng, rows, "2018-01-20", 3000),
            "Last Review": _dates(rng, rows, "2025-06-01", 500),
            "Proj Rel Date": _dates(rng, rows, "2027-01-01", 7000),
            "Release Method": rng.choice(["GCT REL", "FULL TERM", "DUE PROCESS"], rows),
            "Detainer": rng.choice(["N", "N", "N", "Y"], rows),
            "CIM": rng.choice(["", "", "", "", "SEPARATION"], rows),
            "Case Manager": rng.choice(["CM LOPEZ", "CM NGUYEN", "CM OKORO", "CM SMITH"], rows),
        }
    )
    has_exp = df["MGTV"] != ""
    df.loc[has_exp, "MGTV Exp"] = _dates(rng, int(has_exp.sum()), "2026-06-01", 600).to_numpy()
    df.to_csv(path, index=False, lineterminator=newline)


def _medians(fns: list, repeat: int) -> list[float]:
    """Median wall time of each function; runs interleaved so a busy machine hurts both alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, out in zip(fns, times):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=160_000, help="roster rows (default 160,000)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of each reader (default 5)")
    args = ap.parse_args()
    facility = load_facility(FACILITY)
    with tempfile.TemporaryDirectory() as tmp:
        lf, crlf = Path(tmp) / "roster_2026-11-22.csv", Path(tmp) / "roster_crlf_2026-11-22.csv"
        make_roster(lf, args.rows)
        make_roster(crlf, args.rows, newline="\r\n")
        for path in (lf, crlf):
            result = load(path, kind="population", facility=facility)
            assert result.report["rows_accepted"] == args.rows, result.report["errors"][:3]
        size = lf.stat().st_size
        raw_lf, ours_lf, raw_crlf, ours_crlf = _medians(
            [
                lambda: pacsv.read_csv(lf),
                lambda: load(lf, kind="population", facility=facility),
                lambda: pacsv.read_csv(crlf),
                lambda: load(crlf, kind="population", facility=facility),
            ],
            args.repeat,
        )
    print(f"rows {args.rows:,}  columns 24  {size / 1e6:.1f} MB (LF)")
    print(f"median of {args.repeat}, interleaved        LF          CRLF")
    print(f"pyarrow.csv.read_csv          {raw_lf * 1000:8.1f} ms   {raw_crlf * 1000:8.1f} ms")
    print(f"loaders.load                  {ours_lf * 1000:8.1f} ms   {ours_crlf * 1000:8.1f} ms")
    print(f"ratio to pyarrow              {ours_lf / raw_lf:8.2f}      {ours_crlf / raw_crlf:8.2f}   (goal <= 3.0)")
    print(f"CRLF / LF load time           {ours_crlf / ours_lf:8.2f}")


if __name__ == "__main__":
    main()
