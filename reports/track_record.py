"""How far the projection's bands are backed by its track record, decided from the backtest itself.

A band is measured at a horizon only when the backtest scored at least one origin at a
horizon that long or longer (a row of the track record with n > 0 and an error). Beyond the
longest scored horizon, and everywhere when none is scored, the bands are the model's
assumption: every surface draws and labels them as assumed.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from analytics.briefing import NO_TRACK_RECORD, Crossing


def backed_days(record: pd.DataFrame | None) -> int | None:
    """The longest horizon (days) with a scored origin in the track record; None when there is none."""
    if record is None or record.empty or "horizon" not in record.columns:
        return None
    scored = record[(record["n"].fillna(0) > 0) & record["mape"].notna()]
    return int(scored["horizon"].max()) if len(scored) else None


def band_kind(dates: pd.Series, as_of: date, backed: int | None) -> pd.Series:
    """'measured' for projected days within the backed horizon, else 'assumed'."""
    limit = pd.Timestamp(as_of + timedelta(days=backed or 0))
    measured = pd.to_datetime(dates) <= limit if backed else pd.Series(False, index=dates.index)
    return measured.map({True: "measured", False: "assumed"}).astype("str")


def band_label(backed: int | None, horizon: int) -> str:
    """How a crossing sentence names the 80 % band over `horizon` days: '80 %', or 'assumed 80 %'
    when the track record does not back it that far (the briefing and /capacity alike)."""
    return "80 %" if backed is not None and backed >= horizon else "assumed 80 %"


def band_note(backed: int | None, horizon: int) -> str | None:
    """The words that go with bands not all measured; None when the whole horizon is backed."""
    if backed is None:
        return f"{NO_TRACK_RECORD} The bands are assumed, not measured."
    if backed < horizon:
        return f"The bands beyond {backed} days are assumed: the backtest has scored no projection that far ahead."
    return None


def crossing_caveat(c: Crossing, population: int, as_of: date, backed: int | None) -> str | None:
    """The sentence that goes after a crossing date lying beyond the backed horizon; None within it.

    The date said is the mean's crossing, else the first day the 80 % band's top passes; a
    population over the capacity already has no date. One copy of these words for /capacity and
    the briefing, so both say the same of the same date.
    """
    when = c.mean or c.early80
    if when is None or population > c.capacity:
        return None
    ahead = (when - as_of).days
    if backed is not None and ahead <= backed:
        return None
    if backed is None:
        return "That date rests on assumed bands: there is no track record yet."
    return (
        f"That date is {ahead} days ahead, beyond the {backed} days the track record has tested: "
        "it rests on assumed bands."
    )
