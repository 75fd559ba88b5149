"""Figures of one day's roster: flags, occupancy, the classification work queue and the day's movements.

Each takes a snapshot source (a `Store`, or the dashboard's cached view of one) and an
as-of date that has a population snapshot; the pages and the command line show the result.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd

from analytics.capacity import CapacityView, capacity_view
from analytics.flags import FlagReport, evaluate_flags
from analytics.level_counts import level_counts as count_levels
from analytics.movements import Movements, compare_snapshots
from analytics.workqueue import WorkQueue, work_queue
from reports.snapshots import SnapshotSource, latest_on_or_before, on_or_before


def flags(source: SnapshotSource, as_of: date) -> FlagReport:
    """The flags of the roster at `as_of`, with that day's designations when there are any."""
    roster = source.frame("population", as_of=as_of)
    same_day = latest_on_or_before(source, "designations", as_of) == as_of
    designations = source.frame("designations", as_of=as_of) if same_day else None
    return evaluate_flags(roster, source.facility(), source.rules(), as_of, designations=designations)


def movements(
    source: SnapshotSource, as_of: date, flags_at: Callable[[date], FlagReport] | None = None
) -> Movements | None:
    """Movements from the previous roster to `as_of`; None when there is no earlier roster.

    `flags_at` gives the FlagReport of a day (the dashboard passes its cached one).
    """
    flags_of = flags_at or (lambda day: flags(source, day))
    before = [d for d in source.as_of_dates("population") if d < as_of]
    if not before:
        return None
    prev = max(before)
    redesignated = latest_on_or_before(source, "redesignations", as_of)
    f0, f1 = flags_of(prev).flags, flags_of(as_of).flags
    if not {prev, as_of} <= set(source.as_of_dates("designations")):
        # DESIG-LEVEL needs that day's designations: compared on one side only it would
        # show every inbound mismatch as new (or cleared).
        f0, f1 = f0[f0["rule"] != "DESIG-LEVEL"], f1[f1["rule"] != "DESIG-LEVEL"]
    return compare_snapshots(
        source.frame("population", as_of=prev),
        source.frame("population", as_of=as_of),
        redesignations=source.frame("redesignations", as_of=redesignated) if redesignated else None,
        flags_before=f0,
        flags_after=f1,
        as_of_before=prev,
        as_of_after=as_of,
    )


def capacity(source: SnapshotSource, as_of: date) -> CapacityView:
    """Occupancy per unit, level and facility at `as_of`."""
    return capacity_view(source.frame("population", as_of=as_of), source.facility())


def classification_work(source: SnapshotSource, as_of: date, flag_report: FlagReport | None = None) -> WorkQueue:
    """Classification work overdue or coming due at `as_of`; MGTV expiries are the MGTV-EXPIRING flags'.

    `flag_report`: that day's flags when the caller already has them (else computed here).
    """
    report = flag_report if flag_report is not None else flags(source, as_of)
    return work_queue(source.frame("population", as_of=as_of), source.rules(), as_of, flags=report.flags)


def level_counts(source: SnapshotSource, as_of: date) -> pd.DataFrame:
    """Inmates per level by housing, required and scored level at `as_of` (analytics.level_counts)."""
    return count_levels(source.frame("population", as_of=as_of), source.facility(), source.rules(), as_of)


__all__ = ["capacity", "classification_work", "flags", "level_counts", "movements", "on_or_before"]
