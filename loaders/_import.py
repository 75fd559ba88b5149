"""Deciding what becomes of each file handed to the store: load, compare, stage.

Loading (the slow part) can run in worker processes for big batches such as seeding the
demo store; the decision and the database write stay in the store's own process.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import shlex
import signal
import sys
import threading
import time
import types
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from loaders._archive import pack, sha256_of

PARALLEL_FROM = 32  # files; below this, starting worker processes costs more than it saves


@dataclass
class ImportOutcome:
    """What became of one file: status imported, replaced, unchanged, refused or unusable."""

    status: str
    source_name: str
    message: str
    kind: str | None = None
    as_of: date | None = None
    report: dict[str, Any] = field(default_factory=dict)
    sha256: str | None = None


@dataclass
class Loaded:
    """One file read and validated: the loader's result (None when unusable) and its packed bytes."""

    name: str
    result: Any = None
    error: str = ""
    sha256: str = ""
    packed: bytes = b""
    path: str = ""  # as the caller gave it: the check hint repeats it
    empty: bool = False  # no bytes but white space: no header, no rows


@dataclass
class Staged:
    """A file about to be written: its outcome, accepted rows and archived bytes."""

    outcome: ImportOutcome
    frame: pd.DataFrame | None = None
    packed: bytes = b""
    raw_path: str = ""


def as_date(value: object) -> date | None:
    """A date from a date, datetime, Timestamp or ISO text (None when it is none of those)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def load_one(job: tuple[str, str | None, Any, Any]) -> Loaded:
    """Validate one file with loaders.load and pack its bytes for the archive."""
    import loaders

    path, kind, facility, as_of = job
    name = Path(path).name
    try:
        result = loaders.load(path, kind=kind, facility=facility, as_of=as_of)
        data = Path(path).read_bytes()
    except loaders.LoadError as exc:
        empty = _is_blank(Path(path))
        return Loaded(name, error=str(exc), path=path, empty=empty)
    except OSError:
        return Loaded(name, error=f"cannot read {name}.", path=path)
    return Loaded(name, result, "", sha256_of(data), pack(data), path=path)


def _is_blank(path: Path) -> bool:
    """An empty export: the file exists and holds nothing but white space."""
    try:
        return path.is_file() and not path.read_bytes().strip()
    except OSError:
        return False


def _die_with_parent(parent: int) -> None:
    """Worker start: end this worker when the import that started it ends, even by kill -9.

    Linux delivers SIGKILL at once through PR_SET_PDEATHSIG; a thread watching the parent's
    id covers the rest (and the moment between the spawn and this call).
    """
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@contextmanager
def _main_not_rerun() -> Iterator[None]:
    """Hide the caller's __main__ while workers start: spawn would run the caller's script again in each."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")  # workers need only this module
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def load_all(paths: list[Path], kind: str | None, facility: Any, as_of: Any, workers: int | None) -> Iterator[Loaded]:
    """load_one over paths in order, in worker processes for big batches."""
    jobs = [(str(p), kind, facility, as_of) for p in paths]
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(jobs) >= PARALLEL_FROM else 1
    if workers <= 1:
        yield from map(load_one, jobs)
        return
    done, pool = 0, None
    try:
        # spawn, not fork: the parent may hold DuckDB and Arrow threads.
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_die_with_parent,
            initargs=(os.getpid(),),
        )
        with _main_not_rerun():
            results = pool.map(load_one, jobs, chunksize=4)  # submits every job: workers start here
        for item in results:
            done += 1
            yield item
    except (BrokenProcessPool, OSError, RuntimeError):
        yield from map(load_one, jobs[done:])  # workers unavailable: finish in this process
    finally:
        if pool is not None:  # also when the caller stops early: drop the loads not yet started
            pool.shutdown(wait=True, cancel_futures=True)


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def stage(
    loaded: Loaded,
    kind: str | None,
    as_of: Any,
    allow_rejects: bool,
    known: dict[tuple[str, date], tuple[str, str, int]],
    has_facility: bool = True,
    allow_empty: bool = False,
    hint: list[str] | None = None,
) -> Staged:
    """The outcome of one loaded file against the snapshots known so far (updated when it will be written).

    `hint`: the options (facility, as-of date) `popdash check` needs to see what this import saw.
    """
    name = loaded.name
    if loaded.empty:
        # No header: nothing says which export this was, so even --allow-empty cannot store it.
        return Staged(
            ImportOutcome("refused", name, "refused: the file is empty (no header row, no rows); nothing was written")
        )
    if loaded.result is None:
        return Staged(ImportOutcome("unusable", name, loaded.error))
    report = dict(loaded.result.report)
    got_kind = str(report.get("kind") or kind)
    if got_kind == "population" and not has_facility:
        # Unit names are checked against the facility: without one, bad units would slip in unseen.
        return Staged(
            ImportOutcome(
                "unusable",
                name,
                f"{name}: the store has no facility file yet; pass --facility F.toml to check unit names.",
            )
        )
    got_as_of = as_date(report.get("as_of")) or as_date(as_of)
    if got_as_of is None:
        return Staged(ImportOutcome("unusable", name, f"{name} has no as-of date; pass --as-of DATE."))
    base = ImportOutcome("", name, "", got_kind, got_as_of, report, loaded.sha256)
    what = f"{got_kind} snapshot of {got_as_of.isoformat()}"
    old = known.get((got_kind, got_as_of))
    rejected = int(report.get("rows_rejected") or 0)
    accepted = int(report.get("rows_accepted") or len(loaded.result.frame))
    if old is not None and old[0] == loaded.sha256:
        base.status, base.message = "unchanged", f"unchanged: this {what} is already in the store"
        return Staged(base)
    if int(report.get("rows_read") or 0) == 0 and not allow_empty:
        base.status = "refused"
        base.message = (
            "refused: the file has a header and no rows; an empty export never replaces a "
            "snapshot unless imported with --allow-empty"
        )
        return Staged(base)
    if rejected and not allow_rejects:
        command = ["popdash", "check", loaded.path or name, "--kind", got_kind, *(hint or [])]
        base.status = "refused"
        base.message = (
            f"refused: {_n(rejected, 'row')} rejected — run {shlex.join(command)} "
            "to see them, fix the file or import with --allow-rejects"
        )
        return Staged(base)
    kept = _n(accepted, "row") + (f", {rejected:,} rejected and kept in the raw archive" if rejected else "")
    if old is not None:
        base.status = "replaced"
        base.message = f"replaced the {what} (was {old[1]}, {_n(old[2], 'row')}) with this file ({kept})"
    else:
        base.status, base.message = "imported", f"imported {what} ({kept})"
    known[(got_kind, got_as_of)] = (loaded.sha256, name, accepted)  # a later file in the batch replaces it
    return Staged(base, loaded.result.frame, loaded.packed)
