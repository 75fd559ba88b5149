"""Small pure summaries for the morning page: freshness of each source, counts then and now.

No Streamlit, no clock: `today` is an argument.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd


def count_on_or_before(series: pd.DataFrame, target: date) -> tuple[date, int] | None:
    """(date, population) of the latest day on or before `target` in a daily series, else None."""
    s = series[series["as_of_date"] <= pd.Timestamp(target)]
    if s.empty:
        return None
    last = s.loc[s["as_of_date"].idxmax()]
    return pd.Timestamp(last["as_of_date"]).date(), int(last["population"])


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
