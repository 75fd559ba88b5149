"""Which snapshot a page, a command or the briefing reads for an as-of date.

One rule for every surface: a kind's snapshot "as of" a day is its latest snapshot on or
before that day (a designations export of Monday still holds on Wednesday).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

import pandas as pd

from loaders.config import Facility, Rules
from loaders.errors import PopdashError


class SnapshotSource(Protocol):
    """What the read side needs of a store: `loaders.store.Store`, or the dashboard's cached view of one."""

    def as_of_dates(self, kind: str = "population") -> list[date]: ...

    def frame(self, kind: str, as_of: date | None = None) -> pd.DataFrame: ...

    def facility(self) -> Facility: ...

    def rules(self) -> Rules: ...


class NoSnapshotError(PopdashError):
    """The store holds no snapshot of the kind asked for; the message says what to import."""


NO_POPULATION = "the store holds no population snapshot yet; import a roster first."


def on_or_before(dates: Iterable[date | pd.Timestamp], as_of: date) -> date | None:
    """The latest of `dates` on or before `as_of`, or None when every date is later (or there is none)."""
    if isinstance(dates, (pd.Series, pd.Index)) and pd.api.types.is_datetime64_any_dtype(dates):
        # A daily series of two years: compared as a whole, not one Timestamp at a time (the
        # morning page asks three times a run). Normalised: a time of day does not move the day.
        stamps = pd.DatetimeIndex(dates).normalize()
        earlier = stamps[stamps <= pd.Timestamp(as_of)]
        return earlier.max().date() if len(earlier) else None
    days = [pd.Timestamp(d).date() for d in dates]
    earlier = [d for d in days if d <= as_of]
    return max(earlier) if earlier else None


def latest_on_or_before(store: SnapshotSource, kind: str, as_of: date) -> date | None:
    """The as-of date of the snapshot of `kind` in force on `as_of` (None when the store has none then)."""
    return on_or_before(store.as_of_dates(kind), as_of)


def frame_on_or_before(store: SnapshotSource, kind: str, as_of: date) -> tuple[pd.DataFrame | None, date | None]:
    """(frame, its as-of date) of the snapshot of `kind` in force on `as_of`; (None, None) when there is none."""
    when = latest_on_or_before(store, kind, as_of)
    return (None, None) if when is None else (store.frame(kind, as_of=when), when)
