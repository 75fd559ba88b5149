"""Cached scenarios: the store's planned events applied to the cached projection (reports.scenarios).

Keyed on (store path, store version, events version): an event added, switched or deleted on
/capacity shows at once, and an import recomputes them as it does everything else. Like
`dashboard.cached`, the objects are shared between sessions: read them, never modify them.
"""

from __future__ import annotations

import streamlit as st

from dashboard import cached
from loaders.events import PlannedEvent, events_version, list_events
from reports.scenarios import ScenarioContext, ScenarioRuns, run_scenarios, scenario_context

_SMALL = 8


def events_key() -> str:
    """Changes whenever a planned event is added, switched on or off, or deleted (a cheap query)."""
    return events_version(cached.store())


def key() -> tuple[str, str, str]:
    """(path, store version, events version): the cache key of everything a scenario changes."""
    path, version = cached.key()
    return path, version, events_key()


@st.cache_resource(max_entries=_SMALL)
def _context(path: str, version: str) -> ScenarioContext:
    return scenario_context(cached.store())


@st.cache_resource(max_entries=_SMALL * 2)
def _events(path: str, version: str, plans: str) -> tuple[PlannedEvent, ...]:
    return tuple(list_events(cached.store()))


def events() -> tuple[PlannedEvent, ...]:
    """Every planned event of the store (on and off), oldest date first."""
    return _events(*key())


@st.cache_resource(max_entries=_SMALL, show_spinner="Applying the planned events...")
def _runs(path: str, version: str, plans: str) -> ScenarioRuns:
    planned = _events(path, version, plans)
    if not any(e.enabled for e in planned):
        return ScenarioRuns(())
    baseline, _, _ = cached.projection()
    return run_scenarios(baseline, _context(path, version), planned)


def runs() -> ScenarioRuns:
    """Every scenario with an event switched on, applied to the cached baseline projection."""
    return _runs(*key())
