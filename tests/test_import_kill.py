"""`popdash import` keeps its word under kill -9 and when two run at once (issue 14, item 3).

The unit of atomicity is one file: its line is printed and flushed once it has committed. So
after a kill the store holds every file whose line was printed, and of the rest at most the one
that was being written (the next in command order), never half of one.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from loaders._archive import sha256_of
from loaders.store import PAUSE_ENV, Store
from tests.test_store import FACILITY, HEADER

ROOT = Path(__file__).resolve().parent.parent
FILES = 6
KILLS = 12
BUDGET_SECONDS = 90  # on a loaded machine, stop early, but only after a few kills
MIN_KILLS = 4


def _write_round(folder: Path, trial: int) -> list[Path]:
    """Six rosters for six days; their content changes each trial, so each import replaces a day."""
    paths = []
    for day in range(FILES):
        rows = [f"{10000 + trial:05d}-{day:03d},A1,MEDIUM,IN,2026-01-05"]
        rows += [f"{20000 + n:05d}-{day:03d},A2,MEDIUM,OUT,2025-02-0{1 + n % 9}" for n in range(day + 1)]
        path = folder / f"roster_2026-10-{day + 1:02d}.csv"
        path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _import(paths: list[Path], store: Path, **env: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "popdash", "import", *map(str, paths), "--store", str(store)]
    return subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _held(store: Path) -> dict[str, str]:
    """as-of date -> SHA-256 of the file the store holds for it; every snapshot's rows all there."""
    s = Store(store)
    snaps = s.snapshots()
    for _, snap in snaps.iterrows():
        assert len(s.frame("population", snap["as_of"])) == snap["rows_accepted"]
    return {str(a)[:10]: sha for a, sha in zip(snaps["as_of"], snaps["sha256"])}


@pytest.mark.slow
def test_kill_at_random_moments_leaves_what_was_printed(tmp_path: Path):
    rng = random.Random(14)
    store = tmp_path / "store"
    Store(store).set_facility(FACILITY)
    src = tmp_path / "in"
    src.mkdir()
    before: dict[str, str] = {}
    deadline = time.monotonic() + BUDGET_SECONDS
    for trial in range(KILLS):
        paths = _write_round(src, trial)
        shas = {p.name: sha256_of(p.read_bytes()) for p in paths}
        wait_lines = rng.randrange(FILES)  # kill after this many lines (0: during start-up or loading)
        proc = _import(paths, store)
        printed = []
        try:
            for _ in range(wait_lines):
                line = proc.stdout.readline()
                if not line:
                    break
                printed.append(line)
            time.sleep(rng.uniform(0.2, 2.5) if wait_lines == 0 else rng.uniform(0, 0.06))
            proc.send_signal(signal.SIGKILL)
            out, _ = proc.communicate(timeout=30)
        finally:
            proc.kill()
            proc.wait()
        printed += out.splitlines(keepends=True)
        said = [line.split(":", 1)[0] for line in printed if ": imported" in line or ": replaced" in line]
        held = _held(store)
        day = {p.name: f"2026-10-{i + 1:02d}" for i, p in enumerate(paths)}
        for name in said:  # every line printed is in the store
            assert held[day[name]] == shas[name], (trial, name)
        unsaid = [p.name for p in paths if p.name not in said]
        newer = [n for n in unsaid if held.get(day[n]) == shas[n]]
        assert newer in ([], unsaid[:1]), (trial, newer)  # at most the file in flight, and only it
        for n in unsaid[1:]:  # the others are as they were before this import
            assert held.get(day[n]) == before.get(day[n]), (trial, n)
        before = held
        if trial + 1 >= MIN_KILLS and time.monotonic() > deadline:
            break
    # After all that, the same import finishes and agrees with the store.
    done = _import(_write_round(src, trial), store)
    out, err = done.communicate(timeout=60)
    assert done.returncode == 0, err
    assert len(out.splitlines()) == FILES and len(_held(store)) == FILES


def test_two_identical_imports_at_once_end_imported_and_unchanged(tmp_path: Path):
    store = tmp_path / "store"
    Store(store).set_facility(FACILITY)
    paths = _write_round(tmp_path, 0)[:2]
    # Each pauses inside its write transaction, so the two are certain to overlap.
    procs = [_import(paths, store, **{PAUSE_ENV: "0.5"}) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    lines = [line for out, _ in outs for line in out.splitlines()]
    for p in paths:
        said = sorted(line.split(": ", 1)[1].split(" ", 1)[0] for line in lines if line.startswith(p.name))
        assert said == ["imported", "unchanged:"], lines
    assert len(Store(store).snapshots()) == 2


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process parents from /proc (Linux)")
def test_worker_processes_die_with_a_killed_import(tmp_path: Path):
    store = tmp_path / "store"
    Store(store).set_facility(FACILITY)
    paths: list[Path] = []
    for trial in range(6):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        paths += _write_round(folder, trial)
    code = "import sys; from loaders.store import Store; Store(sys.argv[1]).import_files(sys.argv[2:], workers=2)"
    env = {**os.environ, PAUSE_ENV: "60"}
    with subprocess.Popen(
        [sys.executable, "-c", code, str(store), *map(str, paths)], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert "pausing inside the import transaction" in proc.stderr.readline()
            workers = _children(proc.pid)
            assert workers, "the import started no worker processes"
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait()
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)]


def test_a_reader_gets_in_while_a_long_import_runs(tmp_path: Path):
    # An import keeps its write connection across files but lets go after the file it is writing
    # when a reader leaves word that it waits; without word it holds the store for 5 s, longer than
    # this reader waits (4 s), so the reads below pass only when the word is heard (import ~6 s).
    from loaders._duck import connect

    store = tmp_path / "store"
    Store(store).set_facility(FACILITY)
    src = tmp_path / "src"
    src.mkdir()
    paths = []
    for day in range(12):
        path = src / f"roster_2026-10-{day + 1:02d}.csv"
        path.write_text(f"{HEADER}\n{30000 + day:05d}-001,A1,MEDIUM,IN,2026-01-05\n", encoding="utf-8")
        paths.append(path)
    proc = _import(paths, store, **{PAUSE_ENV: "0.5"})
    try:
        assert "pausing inside the import transaction" in (proc.stderr.readline() if proc.stderr else "")
        reads = 0
        while proc.poll() is None:
            with connect(store / "popdash.duckdb", read_only=True, wait=4.0) as con:  # StoreBusy after 4 s
                con.execute("SELECT count(*) FROM snapshots").fetchone()
            reads += 1
            time.sleep(0.2)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 0, err
    assert len(out.splitlines()) == 12
    assert reads >= 3  # the store was read several times during the import, none refused
