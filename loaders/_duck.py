"""Short-lived DuckDB connections that wait politely for the one writer.

DuckDB lets one process write a database file, and while it does, no other process can
open the file at all. The dashboard reads while a `popdash import` may be writing, so
every use opens a connection, does its work and closes it, and a lock conflict is
retried for a few seconds before it becomes one clear sentence.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from loaders.errors import PopdashError

WAIT_SECONDS = 10.0


class StoreError(PopdashError):
    """The store cannot do what was asked; the message is one sentence."""


class StoreBusy(StoreError):
    """Another process held the store for longer than we were willing to wait."""


def _is_conflict(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() or "different configuration" in text


def waiting_marker(db: Path) -> Path:
    """The file a connection waiting for the store leaves beside it: the import holding the store
    lets go after the file it is writing (loaders.store._Writer) instead of at its next deadline."""
    return db.with_name(db.name + ".waiting")


def _ask_writer_to_yield(db: Path) -> None:
    # A folder this process may not write: the writer still lets go every HOLD_SECONDS.
    with contextlib.suppress(OSError):
        waiting_marker(db).touch()


@contextmanager
def connect(db: Path, read_only: bool, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to db, retried while another connection holds a conflicting lock."""
    deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(str(db), read_only=read_only)
            break
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_conflict(exc):
                raise StoreError(f"The store database {db} cannot be opened: {str(exc).splitlines()[0]}") from None
            _ask_writer_to_yield(db)
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"The store at {db.parent} is in use by another import; try again in a moment."
                ) from None
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 0.06)  # retried more often than an import leaves the store free between holds
    try:
        # No progress bar: it would print into the command's output and the server's log.
        con.execute("SET enable_progress_bar = false")
        yield con
    finally:
        con.close()
