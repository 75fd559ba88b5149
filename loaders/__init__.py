"""Reading what people hand over: CSV exports (`load`) and the facility and rules files.

`load(path, kind=None, facility=None, as_of=None)` returns a `LoadResult` with `.frame`
(accepted rows, canonical columns) and `.report` (the `popdash check --format json` dict);
an unusable file raises `LoadError`. See data-contract.md and docs/architecture.md.
"""

from loaders._load import LoadResult, load
from loaders._schema import KINDS, hint_absent
from loaders.config import ConfigError, Facility, Rules, load_facility, load_rules
from loaders.errors import LoadError

__all__ = [
    "ConfigError",
    "Facility",
    "KINDS",
    "LoadError",
    "LoadResult",
    "Rules",
    "hint_absent",
    "load",
    "load_facility",
    "load_rules",
]
