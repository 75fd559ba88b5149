"""The store a command reads: `--store`, else $POPDASH_STORE, else the demo store (seeded on first use)."""

from __future__ import annotations

from loaders.store import Store, demo_store_path, resolve_store_path
from popdash.errors import InputError


def open_store(store_arg: str | None) -> Store:
    """The store named on the command line; the demo store is built from the sample data when absent."""
    path = resolve_store_path(store_arg)
    if path == demo_store_path():
        from sample_data.demo_store import ensure_demo_store

        return ensure_demo_store(path)
    if not path.is_dir():
        raise InputError(f"no store at {path}; import exports there first (popdash import --store).")
    return Store(path)
