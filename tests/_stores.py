"""Test stores built once and reused across test runs: each is kept in the temp folder under a key
made of its parameters, the day, and a checksum of the code that shapes a store (sample_data/,
loaders/), and every test session gets its own copy (a server writes its audit log into a store).

Several processes may ask for one store at once (the workers of `make test`, other checkouts):
a lock file per key makes the first build it and the others wait, then copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loaders.store import Store

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(tempfile.gettempdir()) / f"popdash-test-stores-{os.getuid()}"
# Code whose change changes what a built store holds.
_SOURCES = ("sample_data", "loaders", "tests/browser/hostile.py")
# Stores of other code versions are removed once this old (other checkouts may be using theirs).
_KEEP_SECONDS = 2 * 24 * 3600


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for source in _SOURCES:
        path = ROOT / source
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.is_file() and f.suffix in (".py", ".toml", ".csv") and "__pycache__" not in f.parts:
                digest.update(str(f.relative_to(ROOT)).encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def _prune(keep: Path) -> None:
    """Remove other versions' stores nobody has used for a while."""
    now = time.time()
    for old in CACHE.iterdir():
        if old == keep or now - old.stat().st_mtime <= _KEEP_SECONDS:
            continue
        if old.name.endswith(".lock"):
            old.unlink(missing_ok=True)  # a lock nobody took for days (held locks are renewed below)
        elif not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` between processes (released by the system if the holder dies)."""
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cached_store(name: str, params: dict[str, object], build: Callable[[Path], Path], dest: Path) -> Path:
    """A copy at `dest` of the store `build(folder)` makes (it returns the store's path inside
    `folder`); built only when no run of the same code built it today with these parameters."""
    key = "-".join([name, *(f"{k}{v}" for k, v in sorted(params.items())), dt.date.today().isoformat(), _fingerprint()])
    entry = CACHE / key
    CACHE.mkdir(parents=True, exist_ok=True)
    lock = CACHE / f".{key}.lock"
    with _locked(lock):
        os.utime(lock)
        if not (entry / "done").exists():
            building = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=CACHE))
            try:
                store = build(building)
                (building / "done").write_text(str(store.relative_to(building)), encoding="utf-8")
                with contextlib.suppress(OSError):  # a run without the lock finished first: keep its store
                    os.replace(building, entry)
            finally:
                shutil.rmtree(building, ignore_errors=True)
            _prune(entry)
        os.utime(entry)
    inner = (entry / "done").read_text(encoding="utf-8")
    shutil.copytree(entry / inner, dest)
    return dest


def demo_store(dest: Path, days: int, seed: int = 7) -> Path:
    """A copy at `dest` of the demo store (SAMPLE) of `days` days of sample history for `seed`."""
    from sample_data.demo_store import ensure_demo_store

    def build(folder: Path) -> Path:
        return ensure_demo_store(folder / "demo", days=days, seed=seed).path

    return cached_store("demo", {"days": days, "seed": seed}, build, dest)


def sample_files_store(folder: Path, files: Path, rosters: int | None = None, logs: bool = False) -> Store:
    """A new store at `folder` from `sample_data.generate` output: the first `rosters` rosters (all
    when None), every designations and redesignations export, and with `logs` the findings log and
    the facility counts. Rejected rows are allowed; one process loads (tests run two at once)."""
    from loaders.store import Store

    store = Store(folder)
    facility = store.set_facility(files / "facility.toml")
    paths = sorted((files / "roster").glob("roster_*.csv"))[:rosters]
    store.import_files(paths, "population", facility, allow_rejects=True, workers=1)
    for kind in ("designations", "redesignations"):
        store.import_files(sorted(files.glob(f"{kind}_*.csv")), kind, facility, allow_rejects=True, workers=1)
    if logs:
        for kind, name in (("findings", "findings.csv"), ("facility_counts", "facility_counts.csv")):
            store.import_files([files / name], kind, facility, allow_rejects=True, workers=1)
    return store
