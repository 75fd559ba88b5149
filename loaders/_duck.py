"""Short-lived DuckDB connections that wait politely for the one writer.

DuckDB lets one process write a database file, and while it does, no other process can
open the file at all. The dashboard reads while a `popdash import` may be writing, so
every use opens a connection, does its work and closes it, and a lock conflict is
retried for a few seconds before it becomes one clear sentence.
"""

from __future__ import annotations

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
