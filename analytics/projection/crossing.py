"""Capacity crossing: the first projected day over each capacity definition.

"Over" means strictly above the capacity (crowding above 0 %). A row whose current count is
already over says "already over"; one that stays at or under capacity through the horizon
says None.
"""

from __future__ import annotations

import pandas as pd

from loaders.config import Facility

ALREADY_OVER = "already over"


def capacities(facility: Facility) -> pd.DataFrame:
    """group, key, definition (rated / operational), capacity for the facility, each level and unit."""
    rows = [
        ("facility", facility.facility.name, "rated", facility.rated_capacity),
        ("facility", facility.facility.name, "operational", facility.operational_capacity),
    ]
    for u in facility.units:
        oper = u.operational_capacity if u.operational_capacity is not None else u.rated_capacity
        level = facility.unit_level(u.name)
        rows += [
            ("unit", u.name.strip().upper(), "rated", u.rated_capacity),
            ("unit", u.name.strip().upper(), "operational", oper),
            ("security_level", level, "rated", u.rated_capacity),
            ("security_level", level, "operational", oper),
        ]
    df = pd.DataFrame(rows, columns=["group", "key", "definition", "capacity"])
    return df.groupby(["group", "key", "definition"], as_index=False, sort=False)["capacity"].sum()


def first_over(projection: pd.DataFrame, column: str, capacity: float | pd.Series) -> pd.Timestamp | None:
    """First projected date whose `column` is strictly above `capacity` (None when none is).

    `capacity` may be a column of `projection`: a capacity line that moves with planned bed changes.
    """
    hit = projection.loc[projection[column] > capacity, "date"]
    return None if hit.empty else pd.Timestamp(hit.min())


def crossing_dates(projection: pd.DataFrame, caps: pd.DataFrame) -> pd.DataFrame:
    """First date the mean and the upper 80 % band exceed each capacity, per group and key.

    `caps` may carry a `date` column (capacity lines that move with planned bed changes);
    the capacity reported is then the one on the first projected day.
    """
    cols = ["group", "key", "definition", "capacity", "current", "mean_crosses", "hi80_crosses"]
    on = ["group", "key", "date"] if "date" in caps.columns else ["group", "key"]
    merged = projection.merge(caps, on=on, how="inner")
    if merged.empty:
        return pd.DataFrame(columns=cols)
    keys = ["group", "key", "definition"]
    # One pass per column over every group at once (first_over's rule, "strictly above", applied
    # to all rows), not one sort and two filters per group: the same dates in a fraction of the time.
    ordered = merged.sort_values([*keys, "date"], kind="stable")
    start = ordered.groupby(keys, sort=False)[["capacity", "current"]].first()
    hits = {
        col: ordered.loc[ordered[col] > ordered["capacity"]].groupby(keys, sort=False)["date"].min()
        for col in ("mean", "hi80")
    }
    out = []
    for group, key, definition in merged[keys].drop_duplicates().itertuples(index=False):
        cap, current = start.at[(group, key, definition), "capacity"], start.at[(group, key, definition), "current"]
        row = {"group": group, "key": key, "definition": definition, "capacity": cap, "current": current}
        for col in ("mean", "hi80"):
            hit = hits[col].get((group, key, definition))
            row[f"{col}_crosses"] = ALREADY_OVER if current > cap else (None if hit is None else pd.Timestamp(hit))
        out.append(row)
    return pd.DataFrame(out, columns=cols)
