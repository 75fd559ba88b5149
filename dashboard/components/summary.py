"""Small pure summaries for the morning page: freshness of each source, counts then and now.

No Streamlit, no clock: `today` is an argument.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from reports.snapshots import on_or_before


def count_on_or_before(series: pd.DataFrame, target: date) -> tuple[date, int] | None:
    """(date, population) of the day in force on `target` in a daily series, else None.

    The day is the one snapshot rule of every surface (reports.snapshots.on_or_before).
    """
    when = on_or_before(series["as_of_date"], target)
    if when is None:
        return None
    held = series.loc[series["as_of_date"] == pd.Timestamp(when), "population"]
    return when, int(held.iloc[0])


def comparisons(series: pd.DataFrame, as_of: date) -> dict[str, tuple[date, int] | None]:
    """The population yesterday, a week ago and a year ago (or the nearest earlier day held)."""
    try:
        year_ago = as_of.replace(year=as_of.year - 1)
    except ValueError:  # 29 February
        year_ago = as_of - timedelta(days=366)
    targets = {"yesterday": as_of - timedelta(days=1), "last week": as_of - timedelta(days=7), "last year": year_ago}
    return {name: count_on_or_before(series, t) for name, t in targets.items()}


def arrivals_within(designations: pd.DataFrame, as_of: date, days: int = 7) -> pd.DataFrame:
    """Pending designations expected to arrive within `days` days: 0 <= (date - as-of) <= days."""
    if designations.empty or "expected_arrival_date" not in designations:
        return designations.iloc[0:0]
    lag = (designations["expected_arrival_date"] - pd.Timestamp(as_of)).dt.days
    due = designations[(lag >= 0) & (lag <= days)]
    return due.sort_values("expected_arrival_date", kind="stable")
