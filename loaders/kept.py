"""Results kept beside the store: files written once per store version and read back (docs/architecture.md).

`<store>/kept/<name>.<version>.zip` holds one result: `meta.json` (name, store version, format,
the names of its frames and small values) and one Parquet file per frame. Only `reports.kept`
decides what is kept; this module only writes and reads the files:

- a file is written under a temporary name in the same folder and renamed into place, so a killed
  writer leaves at most a temporary file, which is never read (and removed once its process is gone);
- a file is read only when its name and its own meta.json both carry the store's current version;
  a file that cannot be read whole is treated as absent and removed;
- files take the permissions of the store's database file, and never leave the store folder
  (no temporary file elsewhere): they may hold what the store holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import stat
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

KEPT_DIR = "kept"
FORMAT = 1  # bumped when the layout of a kept file changes: older files are then not read
LOCK_WAIT_SECONDS = 300.0  # after this long behind another process's computation, compute anyway
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_SAFE_VERSION = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
DB_NAME = "popdash.duckdb"


@dataclass(frozen=True)
class Kept:
    """One kept result: named frames and small JSON values."""

    frames: dict[str, pd.DataFrame]
    meta: dict[str, Any] = field(default_factory=dict)


def kept_dir(store_path: Path) -> Path:
    """The folder of kept results inside a store."""
    return Path(store_path) / KEPT_DIR


def kept_path(store_path: Path, name: str, version: str) -> Path:
    """Where the result `name` of store version `version` is kept."""
    return kept_dir(store_path) / f"{_checked_name(name)}.{_version_tag(version)}.zip"


def read_kept(store_path: Path, name: str, version: str) -> Kept | None:
    """The kept result for this version, or None (absent, another version, or not readable whole)."""
    path = kept_path(store_path, name, version)
    try:
        with zipfile.ZipFile(path) as zf:
            meta = json.loads(zf.read("meta.json"))
            if meta.get("format") != FORMAT or meta.get("name") != name or meta.get("version") != version:
                return None
            frames = {f: pd.read_parquet(io.BytesIO(zf.read(f"{f}.parquet"))) for f in meta["frames"]}
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged file is never trusted: drop it, compute again
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        return None
    return Kept(frames, meta.get("values", {}))


def write_kept(
    store_path: Path, name: str, version: str, frames: dict[str, pd.DataFrame], values: dict[str, Any] | None = None
) -> Path:
    """Keep a result for this version (atomically); older versions' files of the same name go."""
    folder = kept_dir(store_path)
    _make_folder(Path(store_path), folder)
    meta = {"format": FORMAT, "name": name, "version": version, "frames": list(frames), "values": values or {}}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for key, frame in frames.items():
            part = io.BytesIO()
            frame.to_parquet(part, index=False)
            zf.writestr(f"{key}.parquet", part.getvalue())
        zf.writestr("meta.json", json.dumps(meta, default=str))  # last: its presence marks the file whole
    target = kept_path(store_path, name, version)
    tmp = folder / f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _file_mode(Path(store_path)))
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), _file_mode(Path(store_path)))  # the umask would otherwise narrow it
            fh.write(buf.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    remove_others(Path(store_path), version, name)
    return target


def remove_others(store_path: Path, version: str, name: str | None = None) -> None:
    """Remove kept files of other versions (of one name, or of every name) and dead writers' temporary files."""
    folder = kept_dir(store_path)
    if not folder.is_dir():
        return
    tag = _version_tag(version)
    for path in folder.iterdir():
        if path.suffix == ".zip" and not path.name.startswith("."):
            stem_name, _, rest = path.name.partition(".")
            if (name is None or stem_name == name) and rest != f"{tag}.zip":
                path.unlink(missing_ok=True)
        elif path.name.endswith(".tmp") and _writer_gone(path.name):
            path.unlink(missing_ok=True)


def kept_names(store_path: Path, version: str) -> list[str]:
    """Names of the results kept for this version (whether each reads whole is checked on reading)."""
    folder = kept_dir(store_path)
    suffix = f".{_version_tag(version)}.zip"
    if not folder.is_dir():
        return []
    return sorted(p.name[: -len(suffix)] for p in folder.iterdir() if p.name.endswith(suffix) and p.name[0] != ".")


@contextlib.contextmanager
def computing(store_path: Path, name: str, wait: float = LOCK_WAIT_SECONDS) -> Iterator[bool]:
    """Hold the right to compute `name` in this store: a second process waits for the first instead of
    doing the same work on the same cores. Yields False when the wait ran out (the caller computes anyway)."""
    try:
        import fcntl
    except ImportError:  # no advisory locks on this system: each process computes for itself
        yield False
        return
    folder = kept_dir(store_path)
    try:
        _make_folder(Path(store_path), folder)
        fd = os.open(folder / f".{_checked_name(name)}.lock", os.O_RDWR | os.O_CREAT, _file_mode(Path(store_path)))
    except OSError:  # a read-only store: compute without keeping
        yield False
        return
    try:
        deadline = time.monotonic() + wait
        held = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.05)
        try:
            yield held
        finally:
            if held:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _checked_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a kept result name: {name!r}")
    return name


def _version_tag(version: str) -> str:
    # VERSION is written by the store, but a file name must not depend on a hand-edited one.
    return version if _SAFE_VERSION.match(version) else hashlib.sha256(version.encode()).hexdigest()[:32]


def _file_mode(store_path: Path) -> int:
    """The permission bits of the store's database file (owner read and write when it has none yet)."""
    try:
        return stat.S_IMODE((store_path / DB_NAME).stat().st_mode)
    except OSError:
        return 0o600


def _make_folder(store_path: Path, folder: Path) -> None:
    if folder.is_dir():
        return
    folder.mkdir(exist_ok=True)
    with contextlib.suppress(OSError):  # the same reach as the store folder itself
        os.chmod(folder, stat.S_IMODE(store_path.stat().st_mode))


def _writer_gone(tmp_name: str) -> bool:
    """A temporary file's writer (its process id is in the name) is no longer running."""
    parts = tmp_name.split(".")
    pid = parts[-3] if len(parts) >= 3 else ""
    if not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
