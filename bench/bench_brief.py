"""Time and peak memory of `popdash brief --out x.pdf` on two years of sample history.

Builds a demo store of `--days` days once (in a temporary folder, or reuses `--store`), then
runs the real command line in a fresh process `--runs` times: wall time (median) and peak
resident memory (/usr/bin/time -v when present, else the children's getrusage). With
`--profile` it runs once more under cProfile and prints where the time goes.
Goal (issue 13): under 5 s and under 300 MB. Run by hand: `python bench/bench_brief.py`.
"""

from __future__ import annotations

import argparse
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS, GOAL_MB = 5.0, 300.0
TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def _command(store: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "popdash.cli", "brief", "--store", str(store), "--out", str(out)]


def _one_run(store: Path, out: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MB) of one `popdash brief` in its own process.

    CPU time (user + system) is reported beside wall time: on a busy machine the wall time
    measures the queue for the processor as much as the command.
    """
    cmd = _command(store, out)
    if TIME:
        cmd = [TIME, "-v", *cmd]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    t = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"popdash brief failed: {done.stderr.strip().splitlines()[-1:]}")
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    kb = int(found.group(1)) if found else max(before, usage.ru_maxrss)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    print(f"  run: {seconds:.1f} s wall, {cpu:.1f} s CPU, {kb / 1024:.0f} MB peak", flush=True)
    return seconds, cpu, kb / 1024


def _profile(store: Path, out: Path, top: int) -> None:
    prof = out.with_suffix(".prof")
    cmd = [
        sys.executable,
        "-m",
        "cProfile",
        "-o",
        str(prof),
        "-m",
        "popdash.cli",
        "brief",
        "--store",
        str(store),
        "--out",
        str(out),
    ]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    stats = pstats.Stats(str(prof))
    total = stats.total_tt
    print(f"\ncProfile of one run (total {total:.1f} s); popdash functions by cumulative time:", flush=True)
    rows = []
    for (file, line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        if str(ROOT) in file and "bench" not in file:
            rows.append((ct, f"{Path(file).relative_to(ROOT)}:{line} {name}"))
    for ct, where in sorted(rows, reverse=True)[:top]:
        print(f"  {ct:6.2f} s  {where}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--store", help="an existing store (default: a fresh demo store of --days days)")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(args.store) if args.store else Path(tmp) / "demo"
        if not args.store:
            from sample_data.demo_store import ensure_demo_store

            t = time.perf_counter()
            ensure_demo_store(store, days=args.days, seed=7)
            print(f"demo store of {args.days} days built in {time.perf_counter() - t:.0f} s")
        out = Path(tmp) / "briefing.pdf"
        env_note = "(/usr/bin/time -v)" if TIME else "(getrusage of children)"
        runs = [_one_run(store, out) for _ in range(args.runs)]
        secs = [s for s, _, _ in runs]
        peak = max(m for _, _, m in runs)
        print(
            f"popdash brief --out x.pdf, {args.runs} runs: median {statistics.median(secs):.1f} s wall, "
            f"{statistics.median([c for _, c, _ in runs]):.1f} s CPU, peak {peak:.0f} MB {env_note}; "
            f"goal under {GOAL_SECONDS:.0f} s and {GOAL_MB:.0f} MB; PDF {out.stat().st_size // 1024} kB"
        )
        if args.profile:
            _profile(store, out, args.top)


if __name__ == "__main__":
    main()
