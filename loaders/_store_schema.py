"""Column types of the store's tables: the canonical columns of data-contract.md per kind.

Every optional column of a kind exists as a nullable column, so snapshots whose files
had different column sets live in one table; which columns a file really had is kept
per snapshot (snapshots.columns) so "column absent" survives a round trip.
"""

from __future__ import annotations

import pandas as pd

from loaders._schema import KINDS, SPECS

_T, _D, _I, _B = "VARCHAR", "DATE", "BIGINT", "BOOLEAN"
TEXT = pd.StringDtype("pyarrow")  # the loaders' text dtype: missing is <NA>
_SQL = {"date": _D, "release": _D, "int": _I, "care": _I, "bool": _B, "derived_bool": _B}


def _columns(kind: str) -> dict[str, str]:
    # The loader's column specs are the single source; "name" is split into last/first.
    return {c.name: _SQL.get(c.type, _T) for c in SPECS[kind] if c.name not in ("name", "as_of_date")}


COLUMNS: dict[str, dict[str, str]] = {kind: _columns(kind) for kind in KINDS}
# Every table also carries these: the snapshot, the source line, the snapshot's as-of date.
HOUSEKEEPING = {"snapshot_id": "BIGINT", "line": "BIGINT", "as_of_date": _D}

SNAPSHOTS_DDL = """
CREATE TABLE IF NOT EXISTS snapshots (
    snapshot_id BIGINT PRIMARY KEY,
    kind VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    source_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    raw_path VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_accepted BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    columns VARCHAR NOT NULL,
    report VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    UNIQUE (kind, as_of)
)"""


def table_ddl(kind: str) -> str:
    """CREATE TABLE statement of one kind's table."""
    cols = {**HOUSEKEEPING, **COLUMNS[kind]}
    body = ",\n    ".join(f'"{name}" {sql}' for name, sql in cols.items())
    return f'CREATE TABLE IF NOT EXISTS "{kind}" (\n    {body}\n)'


def sql_type_of(series: pd.Series) -> str:
    """DuckDB type for a column the schema does not know (a loader's extra column)."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return _B
    if pd.api.types.is_integer_dtype(series.dtype):
        return _I
    if pd.api.types.is_float_dtype(series.dtype):
        return "DOUBLE"
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return _D
    return _T


def restore_dtypes(frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    """Give columns read back from DuckDB the dtypes of a loaders frame."""
    casts: dict[str, object] = {}
    for name in frame.columns:
        sql = types.get(name)
        if name in ("line", "snapshot_id"):
            casts[name] = "int64"
        elif sql in (_I, "INTEGER"):
            casts[name] = "Int64"
        elif sql == _B:
            casts[name] = "boolean"
        elif sql == _D:
            casts[name] = "datetime64[ns]"
        elif sql == _T:
            casts[name] = TEXT
    return frame.astype(casts) if casts else frame
