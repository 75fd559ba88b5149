"""The history store: every imported snapshot, in one folder (docs/architecture.md, "The store").

<store>/popdash.duckdb holds the tables, <store>/raw/ every file handed over (gzip, named by
SHA-256), facility.toml / rules.toml the configuration in force, SAMPLE marks the demo store
and VERSION changes on every committed import (the dashboard's cache key).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from loaders import _store_schema as schema
from loaders._archive import archive_packed, write_atomic
from loaders._duck import StoreBusy, StoreError, connect, waiting_marker
from loaders._import import ImportOutcome, Loaded, Staged, load_all, stage
from loaders._import import as_date as _as_date
from loaders.config import ConfigError, Facility, Rules, load_facility, load_rules
from loaders.store_path import STORE_ENV, demo_store_path, resolve_store_path

__all__ = [
    "DEMO_REFUSAL",
    "STORE_ENV",
    "ImportOutcome",
    "Store",
    "StoreBusy",
    "StoreError",
    "demo_store_path",
    "resolve_store_path",
]

DB_NAME = "popdash.duckdb"
PAUSE_ENV = "POPDASH_TEST_PAUSE_IN_TRANSACTION"
CHUNK_FILES = 64  # files committed together while the demo store is built (elsewhere: one file per commit)
# An import keeps its write connection across files (opening and closing one per file cost about
# 200 ms, mostly DuckDB's checkpoint on close). A page or import that finds the store held leaves
# a marker file beside the database (loaders._duck.waiting_marker); the import lets go after the
# file it is writing, so the page waits for one file, not the whole import. Without a marker (a
# reader that may not write the folder) it still lets go every HOLD_SECONDS. Between two holds the
# store stays free for READER_GAP_SECONDS: longer than a waiting reader's retry interval.
HOLD_SECONDS = 5.0
READER_GAP_SECONDS = 0.15
DEMO_REFUSAL = (
    "This is the demo store, which holds only sample data; pass --store PATH "
    "(or set POPDASH_STORE) to import your own files."
)


class Store:
    """One history store folder; connections are opened per call and closed at once."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"The store {self.path} is a file, not a folder.")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"The store folder {self.path} cannot be created ({exc.strerror}).") from None
        self.db = self.path / DB_NAME
        self.raw_dir = self.path / "raw"
        self._seeding = False  # set only by ensure_demo_store: lets sample files in
        # The snapshots table and the check reports read so far, for one store version: opening the
        # database costs more than most queries, and pages ask for the as-of dates many times.
        self._memo: tuple[str, dict[str, Any]] = ("", {})
        if not self.db.exists():
            self._create()

    # ---- creation and housekeeping -------------------------------------------------
    def _create(self) -> None:
        # Built under a temporary name and renamed: a killed first start leaves no half database.
        tmp = self.path / f".{DB_NAME}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
        con = duckdb.connect(str(tmp))
        try:
            con.execute(schema.SNAPSHOTS_DDL)
            for kind in schema.KINDS:
                con.execute(schema.table_ddl(kind))
            con.execute("CHECKPOINT")
        finally:
            con.close()
        try:
            os.link(tmp, self.db)  # never replaces: if another process won the race, keep its database
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}.wal").unlink(missing_ok=True)

    def _read(self) -> contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]:
        return connect(self.db, read_only=True)

    @property
    def is_sample(self) -> bool:
        """True for the demo store of sample data."""
        return (self.path / "SAMPLE").exists()

    def version(self) -> str:
        """Changes whenever the content changes; cheap enough to call on every page run."""
        try:
            return (self.path / "VERSION").read_text(encoding="utf-8").strip() or "0"
        except FileNotFoundError:
            return "0"

    def _bump_version(self) -> None:
        write_atomic(self.path / "VERSION", f"{time.time_ns()}-{uuid.uuid4().hex[:8]}\n".encode())

    def facility(self) -> Facility:
        """The facility config in force (<store>/facility.toml)."""
        path = self.path / "facility.toml"
        if not path.exists():
            raise StoreError(f"The store at {self.path} has no facility file; import with --facility F.toml.")
        return load_facility(path)

    def rules(self) -> Rules:
        """The rules in force: <store>/rules.toml when present, else the shipped defaults."""
        path = self.path / "rules.toml"
        return load_rules(path if path.exists() else None)

    def set_facility(self, source: str | os.PathLike[str]) -> Facility:
        """Validate a facility TOML file and keep a copy as the store's facility.toml."""
        facility = load_facility(Path(source))
        data = Path(source).read_bytes()
        target = self.path / "facility.toml"
        if not (target.exists() and target.read_bytes() == data):
            write_atomic(target, data)
            self._bump_version()
        return facility

    # ---- queries ---------------------------------------------------------------------
    _SNAPSHOT_COLUMNS = (
        "snapshot_id, kind, as_of, source_name, sha256, raw_path, rows_read, rows_accepted, rows_rejected, imported_at"
    )

    def _snapshot_rows(self) -> pd.DataFrame:
        """Every row of the snapshots table but the reports, read once per store version.

        One query serves both the snapshot list and the catalog: opening the database costs more
        than reading the table, and a page's first render asks for both. The version is read
        before the table: an import in between leaves newer rows under the older version, which
        the next call (seeing the newer version) reads again.
        """
        memo = self._memo_for(self.version())
        rows = memo.get("snapshots")
        if rows is None:
            with self._read() as con:
                rows = con.execute(f"SELECT {self._SNAPSHOT_COLUMNS}, columns FROM snapshots ORDER BY kind, as_of").df()
            memo["snapshots"] = rows
        return rows

    def snapshots(self) -> pd.DataFrame:
        """One row per snapshot held, oldest as-of first."""
        df = self._snapshot_rows().drop(columns="columns")  # a new frame: callers may change it
        return df.astype({"kind": "str", "source_name": "str", "sha256": "str", "raw_path": "str"})

    def _memo_for(self, version: str) -> dict[str, Any]:
        """The memo of this store version (a new, empty one when the version moved on)."""
        held, memo = self._memo
        if held != version:
            memo = {}
            self._memo = (version, memo)  # one assignment: threads sharing this Store see old or new
        return memo

    def _catalog(self) -> dict[tuple[str, date], tuple[int, str]]:
        """(kind, as_of) -> (snapshot_id, its columns as JSON) of every snapshot, once per store version.

        The columns stay JSON until a frame is read: parsing thousands of lists for the one or two
        frames a page reads cost more than the query."""
        memo = self._memo_for(self.version())
        catalog = memo.get("catalog")
        if catalog is None:
            rows = self._snapshot_rows()
            keys = zip(rows["kind"].astype("str").tolist(), rows["as_of"].dt.date.tolist())
            catalog = dict(zip(keys, zip(rows["snapshot_id"].astype("int64").tolist(), rows["columns"].tolist())))
            memo["catalog"] = catalog
        return catalog

    def report(self, kind: str, as_of: date | str) -> dict[str, Any] | None:
        """The check report of the snapshot of kind and as-of date (None when absent)."""
        key = (_kind(kind), _as_date(as_of))
        reports = self._memo_for(self.version()).setdefault("reports", {})
        if key not in reports:
            with self._read() as con:
                row = con.execute("SELECT report FROM snapshots WHERE kind = ? AND as_of = ?", list(key)).fetchone()
            reports[key] = row[0] if row else None
        text = reports[key]
        return json.loads(text) if text is not None else None  # a fresh dict each call: callers may change it

    def as_of_dates(self, kind: str = "population") -> list[date]:
        """As-of dates of the snapshots of a kind, oldest first."""
        kind = _kind(kind)
        return [a for k, a in self._catalog() if k == kind]

    def latest_as_of(self, kind: str = "population") -> date | None:
        """The newest as-of date of a kind, None when the store has none."""
        dates = self.as_of_dates(kind)
        return dates[-1] if dates else None

    def frame(self, kind: str, as_of: date | str | None = None) -> pd.DataFrame:
        """One snapshot (the latest when as_of is None), with the columns its file had."""
        kind = _kind(kind)
        catalog = self._catalog()
        day = self.latest_as_of(kind) if as_of is None else _as_date(as_of)
        found = catalog.get((kind, day)) if day is not None else None
        if found is None:
            when = "" if as_of is None else f" for {_as_date(as_of)}"
            raise StoreError(f"The store holds no {kind} snapshot{when}.")
        snapshot_id, columns_json = found
        columns = json.loads(columns_json)
        with self._read() as con:
            types = _types_for(con, kind, columns)
            cols = [c for c in columns if c in types]
            sql = f'SELECT {_idents(cols)} FROM "{kind}" WHERE snapshot_id = ? ORDER BY line'
            df = con.execute(sql, [snapshot_id]).df()
        return schema.restore_dtypes(df, types)

    def history(
        self,
        kind: str = "population",
        columns: list[str] | None = None,
        start: date | str | None = None,
        end: date | str | None = None,
    ) -> pd.DataFrame:
        """Every snapshot of a kind between start and end (inclusive), with an as_of_date column."""
        kind = _kind(kind)
        where, params = _date_range(start, end)
        with self._read() as con:
            if columns is None:
                snap_where, _ = _date_range(start, end, "as_of")
                sql = f"SELECT columns FROM snapshots WHERE kind = ?{snap_where}"
                rows = con.execute(sql, [kind, *params]).fetchall()
                seen = {c for r in rows for c in json.loads(r[0])}
                types = _types_for(con, kind, seen)
                columns = [c for c in types if c in seen and c not in ("as_of_date", "snapshot_id")]
            types = _types_for(con, kind, columns)
            cols = ["as_of_date", *[c for c in _checked(columns, types, kind) if c != "as_of_date"]]
            order = "as_of_date, line" if "line" in types else "as_of_date"
            sql = f'SELECT {_idents(cols)} FROM "{kind}" WHERE TRUE{where} ORDER BY {order}'
            df = con.execute(sql, params).df()
        return schema.restore_dtypes(df, types)

    def population_by_day(
        self, by: list[str] | None = None, start: date | str | None = None, end: date | str | None = None
    ) -> pd.DataFrame:
        """Head count per as-of date, optionally split by roster columns: as_of_date, *by, population."""
        where, params = _date_range(start, end)
        with self._read() as con:
            types = _types_for(con, "population", by or [])
            by = [c for c in _checked(list(by or []), types, "population") if c != "as_of_date"]
            keys = _idents(["as_of_date", *by])
            sql = (
                f"SELECT {keys}, count(*) AS population FROM population WHERE TRUE{where} "
                f"GROUP BY {keys} ORDER BY {keys} NULLS LAST"
            )
            df = con.execute(sql, params).df()
        df = schema.restore_dtypes(df, types)
        return df.astype({"population": "int64"})

    def query(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        """Run a read-only SQL query against the store's tables."""
        with self._read() as con:
            return con.execute(sql, params or []).df()

    # ---- imports -----------------------------------------------------------------------
    def import_file(
        self,
        path: str | os.PathLike[str],
        kind: str | None = None,
        facility: str | os.PathLike[str] | Facility | None = None,
        as_of: date | str | None = None,
        allow_rejects: bool = False,
        allow_empty: bool = False,
    ) -> ImportOutcome:
        """Validate and store one file; an unusable file raises loaders.LoadError."""
        outcome = self.import_files([path], kind, facility, as_of, allow_rejects, allow_empty=allow_empty)[0]
        if outcome.status == "unusable":
            from loaders import LoadError

            raise LoadError(outcome.message)
        return outcome

    def import_files(
        self,
        paths: list[str | os.PathLike[str]],
        kind: str | None = None,
        facility: str | os.PathLike[str] | Facility | None = None,
        as_of: date | str | None = None,
        allow_rejects: bool = False,
        workers: int | None = None,
        allow_empty: bool = False,
        on_outcome: Callable[[ImportOutcome], None] | None = None,
    ) -> list[ImportOutcome]:
        """Validate and store files, one outcome each; each file is its own transaction.

        `on_outcome` hears of each file the moment its transaction has committed (or its refusal
        is decided), so a caller that prints it never prints more than the store holds. The
        decision (imported, replaced, unchanged) is taken inside the write transaction, under
        DuckDB's one-writer lock: two imports of one file at once end "imported" and "unchanged".
        Big batches are loaded in `workers` processes (default: up to two); 1 loads in this process.
        """
        if self.is_sample and not self._seeding:
            raise StoreError(DEMO_REFUSAL)
        fac = self._facility_for_import(facility)
        hint = _check_hint(facility, self.path / "facility.toml" if fac is not None else None, as_of)
        outcomes: list[ImportOutcome] = []
        # The demo store is built in a private folder renamed when complete: chunks are safe there.
        per_commit = CHUNK_FILES if self._seeding else 1
        loaded = load_all([Path(p) for p in paths], kind, fac, as_of, workers)
        with _Writer(self.db, readers=not self._seeding) as writer:
            while len(outcomes) < len(paths):
                batch = list(islice(loaded, per_commit))
                if not batch:
                    break
                done = self._commit(writer, batch, kind, as_of, allow_rejects, allow_empty, fac is not None, hint)
                for o in done:
                    if on_outcome is not None:
                        on_outcome(o)
                outcomes.extend(done)
        return outcomes

    def _facility_for_import(self, facility: str | os.PathLike[str] | Facility | None) -> Facility | None:
        if isinstance(facility, Facility):
            return facility
        if facility is not None:
            return self.set_facility(facility)
        try:
            return self.facility() if (self.path / "facility.toml").exists() else None
        except ConfigError as exc:
            raise StoreError(f"The store's facility file is not usable: {exc}") from None

    def _commit(
        self,
        writer: _Writer,
        batch: list[Loaded],
        kind: str | None,
        as_of: date | str | None,
        allow_rejects: bool,
        allow_empty: bool,
        has_facility: bool,
        hint: list[str],
    ) -> list[ImportOutcome]:
        """Decide and write a batch of loaded files in one transaction; their outcomes once committed."""
        con = writer.connection()
        con.execute("BEGIN TRANSACTION")
        try:
            known = _known_snapshots(con)
            staged = [stage(item, kind, as_of, allow_rejects, known, has_facility, allow_empty, hint) for item in batch]
            writing = [s for s in staged if s.outcome.status in ("imported", "replaced")]
            if not writing:
                con.execute("ROLLBACK")
                return [s.outcome for s in staged]
            # The raw bytes are archived before the rows: never lost, even if the write fails.
            for s in writing:
                s.raw_path = archive_packed(
                    self.raw_dir, s.packed, s.outcome.sha256 or "", s.outcome.source_name, durable=not self._seeding
                )
            self._write(con, writing, writer.types)
            _pause_for_tests()
            # Bumped before COMMIT too: readers wait for our lock, so none can cache the new
            # content under the old version, even if we die between COMMIT and the last bump.
            self._bump_version()
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
        self._bump_version()
        return [s.outcome for s in staged]

    def _write(self, con: duckdb.DuckDBPyConnection, staged: list[Staged], types: dict[str, dict[str, str]]) -> None:
        # A store made before the loaders learned a column gets it added.
        for kind in {s.outcome.kind for s in staged if s.outcome.kind}:
            have = types.get(kind)
            if have is None:
                have = types[kind] = _table_types(con, kind)
            for name, sql in schema.COLUMNS[kind].items():
                if name not in have:
                    con.execute(f'ALTER TABLE "{kind}" ADD COLUMN {_idents([name])} {sql}')
                    have[name] = sql
        row = con.execute("SELECT coalesce(max(snapshot_id), 0) + 1 FROM snapshots").fetchone()
        next_id = int(row[0]) if row else 1
        now = datetime.now(UTC).replace(tzinfo=None)
        groups: dict[tuple[str, tuple[str, ...]], list[pd.DataFrame]] = {}
        # Two files for one kind and as-of date in the same batch: the later one wins.
        last = {(s.outcome.kind, s.outcome.as_of): s for s in staged}
        for s in (s for s in staged if last[(s.outcome.kind, s.outcome.as_of)] is s):
            o, frame = s.outcome, s.frame
            assert frame is not None and o.kind and o.as_of
            old = con.execute(
                "SELECT snapshot_id FROM snapshots WHERE kind = ? AND as_of = ?", [o.kind, o.as_of]
            ).fetchone()
            if old:
                con.execute(f'DELETE FROM "{o.kind}" WHERE snapshot_id = ?', [old[0]])
                con.execute("DELETE FROM snapshots WHERE snapshot_id = ?", [old[0]])
            con.execute(
                "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    next_id,
                    o.kind,
                    o.as_of,
                    o.source_name,
                    o.sha256,
                    s.raw_path,
                    int(o.report.get("rows_read") or len(frame)),
                    int(o.report.get("rows_accepted") or len(frame)),
                    int(o.report.get("rows_rejected") or 0),
                    json.dumps(list(frame.columns)),
                    json.dumps(o.report, default=str),
                    now,
                ],
            )
            stamped = frame.assign(snapshot_id=next_id, as_of_date=pd.Timestamp(o.as_of))
            groups.setdefault((o.kind, tuple(stamped.columns)), []).append(stamped)
            next_id += 1
        for (kind, _cols), frames in groups.items():
            batch = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
            if batch.empty:  # an empty snapshot (--allow-empty): the snapshots row is all there is
                continue
            _add_missing_columns(con, kind, batch, types[kind])
            con.register("_batch", pa.Table.from_pandas(batch, preserve_index=False))
            try:
                con.execute(f'INSERT INTO "{kind}" BY NAME SELECT * FROM _batch')
            finally:
                con.unregister("_batch")


def _known_snapshots(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, date], tuple[str, str, int]]:
    rows = con.execute("SELECT kind, as_of, sha256, source_name, rows_accepted FROM snapshots").fetchall()
    return {(k, a): (s, n, r) for k, a, s, n, r in rows}


def _check_hint(facility: object, kept: Path | None, as_of: date | str | None) -> list[str]:
    """The options `popdash check` needs to see what the import saw (facility and as-of date)."""
    out: list[str] = []
    if isinstance(facility, (str, os.PathLike)):
        out += ["--facility", str(facility)]
    elif kept is not None and not isinstance(facility, Facility):
        out += ["--facility", str(kept)]
    if as_of not in (None, ""):
        out += ["--as-of", str(as_of)]
    return out


def _pause_for_tests() -> None:
    """Sleep inside the import transaction when a test asks to (the killed-import test)."""
    seconds = os.environ.get(PAUSE_ENV)
    if seconds:
        print("popdash: pausing inside the import transaction", file=sys.stderr, flush=True)
        time.sleep(float(seconds))


def _add_missing_columns(con: duckdb.DuckDBPyConnection, kind: str, batch: pd.DataFrame, types: dict[str, str]) -> None:
    """A loader may add a column the schema does not list; keep it rather than drop data.

    `types` is the table's columns as this import knows them, updated with each column added.
    """
    for name in batch.columns:
        if name not in types:
            sql = schema.sql_type_of(batch[name])
            con.execute(f'ALTER TABLE "{kind}" ADD COLUMN {_idents([name])} {sql}')
            types[name] = sql


class _Writer:
    """The write connection of one import: reused across its files, let go when someone waits."""

    def __init__(self, db: Path, readers: bool = True) -> None:
        self.db = db
        self.readers = readers  # False while the demo store is built in its private folder
        self.types: dict[str, dict[str, str]] = {}  # each table's columns, known to this import
        self._stack: contextlib.ExitStack | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._opened = 0.0
        self.marker = waiting_marker(db)

    def _asked(self) -> bool:
        """Someone waits for the store (a page, another import): checked between files, a stat each."""
        return self.readers and self.marker.exists()

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The open connection; let go first when someone waits for the store, or it was held HOLD_SECONDS."""
        if self._con is not None and (self._asked() or time.monotonic() - self._opened > HOLD_SECONDS):
            self.close()
            if self.readers:
                time.sleep(READER_GAP_SECONDS)
        if self._con is None:
            self.marker.unlink(missing_ok=True)  # asked of the holder before us, or of us: answered now
            self._stack = contextlib.ExitStack()
            self._con = self._stack.enter_context(connect(self.db, read_only=False))
            self._opened = time.monotonic()
        return self._con

    def close(self) -> None:
        if self._stack is not None:
            self._stack.close()
            self.marker.unlink(missing_ok=True)  # whoever waited can open it now
        self._stack, self._con = None, None

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _kind(kind: str) -> str:
    if kind not in schema.KINDS:
        raise StoreError(f"Unknown kind {kind!r}; expected one of {', '.join(schema.KINDS)}.")
    return kind


def _table_types(con: duckdb.DuckDBPyConnection, kind: str) -> dict[str, str]:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [kind],
    ).fetchall()
    return dict(rows)


def _types_for(con: duckdb.DuckDBPyConnection, kind: str, names: Iterable[str]) -> dict[str, str]:
    """Column types of a kind's table: the schema's when it covers names (no catalog query), else the table's."""
    static = {**schema.HOUSEKEEPING, **schema.COLUMNS[kind]}
    return static if all(n in static for n in names) else _table_types(con, kind)


def _checked(columns: list[str], types: dict[str, str], kind: str) -> list[str]:
    unknown = [c for c in columns if c not in types or c == "snapshot_id"]
    if unknown:
        raise StoreError(f"The {kind} table has no column {unknown[0]!r}.")
    return columns


def _idents(columns: list[str]) -> str:
    return ", ".join('"' + c.replace('"', '""') + '"' for c in columns)


def _date_range(start: date | str | None, end: date | str | None, column: str = "as_of_date") -> tuple[str, list[date]]:
    where = ""
    params: list[date] = []
    for value, op in ((start, ">="), (end, "<=")):
        if value is not None:
            day = _as_date(value)
            if day is None:
                raise StoreError(f"{str(value)[:40]!r} is not a date (use YYYY-MM-DD).")
            where, params = where + f" AND {column} {op} ?", [*params, day]
    return where, params
