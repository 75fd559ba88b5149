"""The raw archive and atomic file writes of the store.

Every file handed over is kept byte for byte (gzip), named by its SHA-256, so nothing a
user gave the store is ever lost, rejected rows included. Files are written to a
temporary name in the same folder and renamed: a killed process never leaves half a file.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes, durable: bool = True) -> None:
    """Write bytes to path so that readers see the old content or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:  # the demo store is built in a scratch folder: no need to wait for the disk
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def raw_name(sha256: str, source_name: str) -> str:
    """Archive file name: <sha256>.<ext>.gz, the extension of the source (csv when none)."""
    ext = Path(source_name).suffix.lower().lstrip(".")
    ext = ext if ext.isalnum() and len(ext) <= 8 else "csv"
    return f"{sha256}.{ext}.gz"


def pack(data: bytes) -> bytes:
    """Gzip for the archive: level 1 (fast; these are text exports) and mtime 0, so equal bytes pack equal."""
    return gzip.compress(data, compresslevel=1, mtime=0)


def archive_packed(raw_dir: Path, packed: bytes, sha256: str, source_name: str, durable: bool = True) -> str:
    """Keep a packed copy in raw_dir (once per content); returns the archive file name."""
    name = raw_name(sha256, source_name)
    target = raw_dir / name
    if not target.exists():
        write_atomic(target, packed, durable)
    return name
