"""Pure analytics over the loaders' canonical frames: the functions the pages and commands call.

Names are imported lazily from their modules (PEP 562), so importing one function does not
load every module (scipy, for instance). To export a function, add it to both
`__all__` (kept sorted) and `_MODULES`; tests/test_analytics_api.py checks the two agree.
"""
from __future__ import annotations

import importlib

__all__ = [
    "capacity_sheet",
    "capacity_view",
    "compare_snapshots",
    "crowding_pct",
    "designation_ages",
    "designation_pipeline",
    "diff_flags",
    "evaluate_flags",
    "national_view",
    "project_population",
    "redesignation_summary",
    "work_queue",
]

# name -> module under analytics/ that defines it
_MODULES = {
    "capacity_sheet": "capacity",
    "capacity_view": "capacity",
    "compare_snapshots": "movements",
    "crowding_pct": "capacity",
    "designation_ages": "pipeline",
    "designation_pipeline": "pipeline",
    "diff_flags": "movements",
    "evaluate_flags": "flags",
    "national_view": "national",
    "project_population": "pipeline",
    "redesignation_summary": "pipeline",
    "work_queue": "workqueue",
}


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'analytics' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"analytics.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
