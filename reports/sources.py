"""Which sources a figure stands on, and whether each is missing or older than the roster.

One copy of the source names, their staleness limits and the words that say a source is
missing ("no designations export in the store") or behind ("designations are 12 days older
than the roster"), for the morning page, the briefing and the command line alike.
No store, no clock: callers pass the latest as-of date of each kind and `today`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

# How many days old a source may be before it stands out. The daily exports are run each
# night, so yesterday's is the newest a 07:30 check can have; national counts are refreshed
# weekly at best; the findings log changes per review and is never called stale.
STALE_AFTER_DAYS: dict[str, int | None] = {
    "population": 1,
    "designations": 1,
    "redesignations": 1,
    "facility_counts": 7,
    "findings": None,
}
SOURCE_NAMES = {
    "population": "Roster",
    "designations": "Designations",
    "redesignations": "Redesignations",
    "facility_counts": "National counts",
    "findings": "Findings log",
}


# The exports read beside the roster each morning: older than the roster means the figures
# drawn from them (pending moves, DESIG-LEVEL, transfers) describe another day.
ROSTER_DAY_SOURCES = ("designations", "redesignations")


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n:,} days"


def freshness(latest: dict[str, date | None], today: date) -> pd.DataFrame:
    """One row per source: its latest as-of date, days old at `today`, and whether it is stale."""
    rows: list[dict[str, Any]] = []
    for kind, limit in STALE_AFTER_DAYS.items():
        d = latest.get(kind)
        days = (today - d).days if d is not None else None
        stale = days is None or (limit is not None and days > limit)
        rows.append({"kind": kind, "source": SOURCE_NAMES[kind], "as_of": d, "days_old": days, "stale": stale})
    return pd.DataFrame(rows)


# What each figure of the briefing and the commands stands on, besides the roster. Pending in
# counts designations and redesignations IN; pending out only redesignations OUT; the
# projection's known arrivals come from both.
FIGURE_SOURCES: dict[str, tuple[str, ...]] = {
    "pending_in": ("designations", "redesignations"),
    "pending_out": ("redesignations",),
    "projected_arrivals": ("designations", "redesignations"),
    "reviews": ("findings",),
}


def figure_gaps(figure: str, latest: dict[str, date | None], roster_as_of: date) -> list[tuple[str, str]]:
    """(kind, words) for each source of `figure` (see FIGURE_SOURCES) missing or behind the roster."""
    out = []
    for kind in FIGURE_SOURCES[figure]:
        why = source_gap(kind, latest.get(kind), roster_as_of)
        if why is not None:
            out.append((kind, why))
    return out


def missing(gaps: list[tuple[str, str]], latest: dict[str, date | None]) -> list[str]:
    """The words of the gaps whose source is absent altogether (not merely behind)."""
    return [why for kind, why in gaps if latest.get(kind) is None]


def stale_sources(latest: dict[str, date | None], roster_as_of: date, today: date) -> pd.DataFrame:
    """One row per source needing an import (source, as_of, why), most urgent first.

    The roster is stale when older than its limit in `STALE_AFTER_DAYS` at `today`; the
    other sources as `source_gap` says.
    """
    rows: list[dict[str, Any]] = []
    roster_age = (today - roster_as_of).days
    if roster_age > (STALE_AFTER_DAYS["population"] or 0):
        rows.append(
            {
                "source": SOURCE_NAMES["population"],
                "as_of": roster_as_of,
                "why": f"the newest roster is {_days(roster_age)} old",
            }
        )
    for kind in STALE_AFTER_DAYS:
        if kind == "population":
            continue
        why = source_gap(kind, latest.get(kind), roster_as_of)
        if why is not None:
            rows.append({"source": SOURCE_NAMES[kind], "as_of": latest.get(kind), "why": why})
    return pd.DataFrame(rows, columns=["source", "as_of", "why"])


def source_gap(kind: str, latest: date | None, roster_as_of: date | None) -> str | None:
    """Why a figure drawn from `kind` cannot be shown as today's, in words; None when it can.

    "no designations export in the store" when the store holds none; "designations are 12 days
    older than the roster" when the latest is behind the roster by more than the source may be
    (designation exports: not at all; national counts: `STALE_AFTER_DAYS`; the findings log:
    never). Pages, the briefing and the commands say this instead of showing 0.
    """
    name = SOURCE_NAMES[kind].lower()
    if latest is None:
        return f"no {name} export in the store"
    if roster_as_of is None or kind == "population":
        return None
    behind = (roster_as_of - latest).days
    allowed = 0 if kind in ROSTER_DAY_SOURCES else STALE_AFTER_DAYS[kind]
    if allowed is not None and behind > allowed:
        return f"{name} are {_days(behind)} older than the roster"
    return None


def sentence(why: str) -> str:
    """The words of `source_gap` as a sentence: capital first letter, full stop."""
    return why[:1].upper() + why[1:] + "."
