"""An uploaded export as a file for the loaders, for as long as a check or an import needs it.

Rosters carry names and birth dates: no copy may outlive the check or the import, whatever
its outcome. The folder is removed on leaving (success, refusal, exception, or the rerun that
interrupts a page); a server stopped in the middle (kill -9, a crash) cannot remove its own, so
each folder carries its process id and the next upload removes those of processes that ended.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = "popdash-upload-"
# Folders of older versions carry no process id: removed once nobody can still be reading them.
_LEGACY_SECONDS = 3600


def safe_name(name: str) -> str:
    """The uploaded file's own name, without any folder part (the as-of date may be in it)."""
    base = Path(name.replace("\\", "/")).name.strip() or "upload.csv"
    return "".join(ch for ch in base if ch.isalnum() or ch in "._- ") or "upload.csv"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive, and its folder is not ours anyway
    return True


def sweep(folder: str | Path | None = None) -> list[Path]:
    """Remove this user's upload folders left by processes that ended; returns what was removed."""
    root = Path(folder or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(root.glob(PREFIX + "*"))
    except OSError:
        return removed
    for entry in entries:
        try:
            st = entry.lstat()
        except OSError:
            continue
        if st.st_uid != os.getuid() or not entry.is_dir():
            continue
        owner = entry.name[len(PREFIX) :].split("-", 1)[0]
        if owner.isdigit():
            if int(owner) == os.getpid() or _alive(int(owner)):
                continue
        elif time.time() - st.st_mtime < _LEGACY_SECONDS:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


@contextmanager
def upload_file(raw: bytes, name: str) -> Iterator[Path]:
    """The upload as a file under its own name (the as-of date may be in it), removed on leaving."""
    sweep()
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-") as folder:
        path = Path(folder) / safe_name(name)
        path.write_bytes(raw)
        yield path
