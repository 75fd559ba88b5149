"""`popdash sample --out DIR [--days N] [--seed S] [--end DAY]`: write the synthetic sample data set."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from popdash.errors import InputError


def run(args: argparse.Namespace) -> int:
    """Generate the fictional FCC Example data into --out and say what was written."""
    from sample_data import generate

    if args.days < 1:
        raise InputError("--days must be at least 1.")
    try:
        end = dt.date.fromisoformat(args.end) if getattr(args, "end", None) else dt.date.today()
    except ValueError:
        raise InputError(f"--end must be a date written YYYY-MM-DD, not {args.end!r}.") from None
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} exists and is not a folder.")
    try:
        summary = generate(out, days=args.days, seed=args.seed, end=end)
    except OSError as exc:
        raise InputError(f"cannot write the sample data to {out}: {exc.strerror or exc}.") from None
    except ValueError as exc:
        raise InputError(f"{exc}.") from None
    print(
        f"Wrote FICTIONAL sample data for FCC Example to {summary['out_dir']}:\n"
        f"  {summary['roster_files']} daily rosters {summary['start']} to {summary['end']} "
        f"({summary['roster_rows']:,} rows; population {summary['population_first']:,} -> "
        f"{summary['population_last']:,})\n"
        f"  {summary['designations']} pending designations, {summary['redesignations']} redesignations, "
        f"{summary['findings']} findings, {summary['facility_counts']:,} facility counts\n"
        f"  seed {summary['seed']}; see README.txt in the folder."
    )
    return 0
