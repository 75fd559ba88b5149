"""Which store to use: --store, else $POPDASH_STORE, else the demo store's folder.

Only the path lives here; building the demo store from the sample data is
`sample_data.demo_store.ensure_demo_store`, called by the front ends.
"""

from __future__ import annotations

import os
from pathlib import Path

STORE_ENV = "POPDASH_STORE"


def demo_store_path() -> Path:
    """$XDG_DATA_HOME/popdash/demo, by default ~/.local/share/popdash/demo."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "popdash" / "demo"


def resolve_store_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """--store, else $POPDASH_STORE, else the demo store."""
    value = cli_value or os.environ.get(STORE_ENV)
    return Path(value).expanduser() if value else demo_store_path()
