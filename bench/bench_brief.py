"""Time and peak memory of `popdash brief --out x.pdf` on two years of sample history.

Builds a demo store of `--days` days once (in a temporary folder, or reuses `--store`), then
runs the real command line in a fresh process `--runs` times: wall time and CPU time (median)
and peak memory. With `--profile` it runs once more under cProfile and prints where the time goes.

Memory is sampled from /proc every 20 ms over the whole process tree: the Python process and
the export Chromium kaleido starts as its child (several processes of its own). Three peaks
are printed: the Python process alone (resident set), the tree's resident sets added up
(shared pages counted in every process that maps them, an upper bound) and the tree's
proportional set size (shared pages divided among the processes mapping them: what the tree
costs the machine). The goal applies to the tree's proportional size. CPU time is the command's
and its reaped children's (getrusage); a Chromium process kaleido does not wait for is left out.
Goal (issue 13): under 5 s and under 300 MB. Run by hand: `python bench/bench_brief.py`.
"""

from __future__ import annotations

import argparse
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS, GOAL_MB = 5.0, 300.0
SAMPLE_SECONDS = 0.02


def _command(store: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "popdash.cli", "brief", "--store", str(store), "--out", str(out)]


def _tree(root: int) -> list[int]:
    """The process `root` and every descendant, from the parent ids in /proc."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                    # the command name may hold spaces and parentheses: split after the last ")"
                    parent[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(child for child, ppid in parent.items() if ppid == pid)
    return out


def _kb(pid: int, path: str, field: str) -> int:
    try:
        with open(f"/proc/{pid}/{path}", encoding="ascii") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeMemory(threading.Thread):
    """Peak memory of a process tree, sampled until the root process ends (kB)."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.python_rss = self.tree_rss = self.tree_pss = 0
        self.processes = 1
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            pids = _tree(self.root)
            rss = [_kb(p, "status", "VmRSS:") for p in pids]
            pss = sum(_kb(p, "smaps_rollup", "Pss:") for p in pids)
            self.python_rss = max(self.python_rss, rss[0] if rss else 0)
            self.tree_rss = max(self.tree_rss, sum(rss))
            self.tree_pss = max(self.tree_pss, pss)
            self.processes = max(self.processes, len(pids))
            self.done.wait(SAMPLE_SECONDS)


def _one_run(store: Path, out: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MB of the process tree) of one `popdash brief` in its own process.

    CPU time (user + system) is reported beside wall time: on a busy machine the wall time
    measures the queue for the processor as much as the command.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = usage.ru_utime + usage.ru_stime
    t = time.perf_counter()
    proc = subprocess.Popen(_command(store, out), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    mem = TreeMemory(proc.pid)
    mem.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - t
    mem.done.set()
    mem.join()
    if proc.returncode != 0:
        raise SystemExit(f"popdash brief failed: {err.strip().splitlines()[-1:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    print(
        f"  run: {seconds:.1f} s wall, {cpu:.1f} s CPU; peak memory: Python {mem.python_rss / 1024:.0f} MB, "
        f"tree of {mem.processes} processes {mem.tree_pss / 1024:.0f} MB proportional "
        f"({mem.tree_rss / 1024:.0f} MB resident added up)",
        flush=True,
    )
    return seconds, cpu, mem.tree_pss / 1024


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
        runs = [_one_run(store, out) for _ in range(args.runs)]
        secs = [s for s, _, _ in runs]
        peak = max(m for _, _, m in runs)
        print(
            f"popdash brief --out x.pdf, {args.runs} runs: median {statistics.median(secs):.1f} s wall, "
            f"{statistics.median([c for _, c, _ in runs]):.1f} s CPU, peak {peak:.0f} MB (process tree, proportional); "
            f"goal under {GOAL_SECONDS:.0f} s and {GOAL_MB:.0f} MB; PDF {out.stat().st_size // 1024} kB"
        )
        if args.profile:
            _profile(store, out, args.top)


if __name__ == "__main__":
    main()
