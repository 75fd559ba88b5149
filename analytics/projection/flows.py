"""Known flows of the institution: releases, expected arrivals and approved moves, by day.

Each event is one person entering (+1) or leaving (-1) on a day 1..H after the as-of date,
with the unit and the unit's security level it touches. An arrival has no unit yet: it is
spread over the units of its security level in proportion to their rated capacity (all
units when the institution has none of that level), so unit rows add up to level rows and
level rows to the facility. Dates already past count on day 1 (the move is overdue).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.config import Facility, Rules

MOVING = ("APPROVED", "IN TRANSIT")  # redesignations that will happen; PENDING ones may not
NO_UNIT = "UNASSIGNED"


@dataclass(frozen=True)
class FlowParams:
    """Defaults used when the data does not say when a move happens (editable, [U])."""

    arrival_lag_days: int = 30  # designation to arrival, when history gives no median
    move_lag_days: int = 30  # approval of a redesignation to the move
    refill_days: int = 14  # beyond this horizon released beds are assumed refilled until
    # the backtest shows the known flows still move the count

    @classmethod
    def from_rules(cls, rules: Rules) -> FlowParams:
        """The rules file's [projection] table (loaders.config.Rules.projection)."""
        d = rules.projection
        return cls(arrival_lag_days=d.arrival_lag_days, move_lag_days=d.move_lag_days, refill_days=d.refill_days)


def _day(dates: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """Days after the as-of date, overdue dates on day 1."""
    return ((pd.to_datetime(dates) - as_of).dt.days).clip(lower=1)


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="object")


def _dates(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_datetime(_col(frame, name), errors="coerce")


def unit_table(roster: pd.DataFrame, facility: Facility | None) -> pd.DataFrame:
    """unit, level, weight (rated capacity) of every unit known from the facility or the roster."""
    if facility is not None:
        return pd.DataFrame(
            {
                "unit": [u.name.strip().upper() for u in facility.units],
                "level": [facility.unit_level(u.name) for u in facility.units],
                "weight": [float(u.rated_capacity) for u in facility.units],
            }
        )
    units = roster.assign(
        unit=_col(roster, "unit").astype("str").str.upper(), level=_col(roster, "security_level").astype("str")
    )
    return units.groupby("unit", as_index=False).agg(level=("level", "first"), weight=("unit", "size"))


def _place(roster: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """register_number, unit, level of everyone on the roster (level of the unit housing them)."""
    unit = _col(roster, "unit").astype("str").str.strip().str.upper().fillna(NO_UNIT)
    level = unit.map(units.set_index("unit")["level"])
    level = level.fillna(_col(roster, "security_level").astype("str")).fillna(NO_UNIT)
    return pd.DataFrame({"register_number": roster["register_number"], "unit": unit, "level": level})


def _spread(day: pd.Series, delta: int, level: pd.Series, units: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Arrivals without a unit, spread over the units of their level by rated capacity."""
    if day.empty:
        return pd.DataFrame(columns=["day", "delta", "unit", "level", "kind"])
    ev = pd.DataFrame({"day": day.to_numpy(), "want": level.astype("str").to_numpy()})
    levels = set(units["level"])
    ev["want"] = ev["want"].where(ev["want"].isin(levels), "*")
    units = units[units["weight"] > 0]
    pools = [units[units["level"] == lv].assign(want=lv) for lv in units["level"].unique()]
    pools.append(units.assign(want="*"))
    pool = pd.concat(pools, ignore_index=True)
    pool = pool.assign(share=pool["weight"] / pool.groupby("want")["weight"].transform("sum"))
    out = ev.merge(pool, on="want", how="left")
    return pd.DataFrame(
        {"day": out["day"], "delta": delta * out["share"], "unit": out["unit"], "level": out["level"], "kind": kind}
    )


def known_events(
    roster: pd.DataFrame,
    as_of: pd.Timestamp | str,
    horizon: int,
    facility: Facility | None = None,
    designations: pd.DataFrame | None = None,
    redesignations: pd.DataFrame | None = None,
    arrival_lag: float | None = None,
    params: FlowParams | None = None,
) -> pd.DataFrame:
    """Every known movement in days 1..horizon: day, delta, unit, level, kind."""
    p = params or FlowParams()
    as_of = pd.Timestamp(as_of).normalize()
    units = unit_table(roster, facility)
    here = _place(roster, units)
    on_roster = set(roster["register_number"].dropna())
    parts = []
    moves_out = pd.Series(dtype="float64")
    if redesignations is not None and not redesignations.empty:
        r = redesignations[_col(redesignations, "status").isin(MOVING)]
        when = (
            _dates(r, "expected_move_date")
            .fillna(_dates(r, "decision_date") + pd.Timedelta(days=p.move_lag_days))
            .fillna(as_of + pd.Timedelta(days=p.move_lag_days))
        )
        r = r.assign(day=_day(when, as_of))
        out = r[(r["direction"] == "OUT") & r["register_number"].isin(on_roster)].drop_duplicates("register_number")
        moves_out = out.set_index("register_number")["day"]
        who = here.set_index("register_number").loc[out["register_number"]]
        parts.append(
            pd.DataFrame(
                {
                    "day": out["day"].to_numpy(),
                    "delta": -1.0,
                    "unit": who["unit"].to_numpy(),
                    "level": who["level"].to_numpy(),
                    "kind": "transfer out",
                }
            )
        )
        inn = r[(r["direction"] == "IN") & ~r["register_number"].isin(on_roster)]
        if designations is not None:
            inn = inn[~inn["register_number"].isin(set(designations["register_number"].dropna()))]
        inn = inn.drop_duplicates("register_number")
        lvl = _col(inn, "target_security_level").fillna(_col(inn, "security_level"))
        parts.append(_spread(inn["day"], +1, lvl, units, "transfer in"))
    # releases on the projected release date, unless a transfer out comes first
    prd = _dates(roster, "projected_release_date")
    rel = roster.assign(day=(prd - as_of).dt.days, unit=here["unit"], level=here["level"])
    rel = rel[(rel["day"] >= 1)]
    first_out = pd.to_numeric(rel["register_number"].map(moves_out), errors="coerce")
    rel = rel[first_out.isna() | (first_out > rel["day"])]
    parts.append(
        pd.DataFrame(
            {
                "day": rel["day"].to_numpy(),
                "delta": -1.0,
                "unit": rel["unit"].to_numpy(),
                "level": rel["level"].to_numpy(),
                "kind": "release",
            }
        )
    )
    if designations is not None and not designations.empty:
        d = designations[~designations["register_number"].isin(on_roster)].drop_duplicates("register_number")
        lag = p.arrival_lag_days if arrival_lag is None else arrival_lag
        when = _dates(d, "expected_arrival_date").fillna(
            _dates(d, "designation_date") + pd.to_timedelta(round(lag), unit="D")
        )
        d = d.assign(day=_day(when, as_of))
        arrive = _spread(d["day"], +1, _col(d, "security_level"), units, "arrival")
        parts.append(arrive)
        # someone arriving with a release date inside the horizon leaves again on it
        d_rel = d.assign(rday=(_dates(d, "projected_release_date") - as_of).dt.days)
        d_rel = d_rel[d_rel["rday"] > d_rel["day"]]
        leave = _spread(d_rel["rday"], -1, _col(d_rel, "security_level"), units, "release after arrival")
        parts.append(leave)
    ev = (
        pd.concat([x for x in parts if not x.empty], ignore_index=True)
        if any(not x.empty for x in parts)
        else pd.DataFrame(columns=["day", "delta", "unit", "level", "kind"])
    )
    ev = ev[(ev["day"] >= 1) & (ev["day"] <= horizon)]
    return ev.astype({"day": "int64", "delta": "float64"}).reset_index(drop=True)


GROUPS = ("facility", "security_level", "unit")


def cumulative(events: pd.DataFrame, keys: pd.DataFrame, horizon: int) -> np.ndarray:
    """(len(keys), horizon) cumulative net known flow by the end of each day, per group row."""
    out = np.zeros((len(keys), horizon))
    day = events["day"].to_numpy(dtype=int) - 1
    delta = events["delta"].to_numpy(dtype=float)
    for group in GROUPS:
        rows = np.flatnonzero(keys["group"].to_numpy() == group)
        if not len(rows):
            continue
        if group == "facility":
            np.add.at(out, (np.full(len(day), rows[0]), day), delta)
            continue
        index = pd.Index(keys["key"].to_numpy()[rows])
        pos = index.get_indexer(events[_event_col(group)].astype("str").to_numpy())
        hit = pos >= 0
        np.add.at(out, (rows[pos[hit]], day[hit]), delta[hit])
    return np.round(np.cumsum(out, axis=1), 9)  # shares of an arrival add up to 1 up to rounding


def _event_col(group: str) -> str:
    return "level" if group == "security_level" else "unit"


def arrival_lag_days(designation_history: pd.DataFrame | None, roster_history: pd.DataFrame | None) -> float | None:
    """Median days from designation to first appearance on the roster, None without evidence."""
    if designation_history is None or roster_history is None or designation_history.empty:
        return None
    d = designation_history.dropna(subset=["designation_date"]).groupby("register_number")["designation_date"].min()
    first = roster_history.groupby("register_number", observed=True)["as_of_date"].min()
    if isinstance(first.index, pd.CategoricalIndex):  # a lean history from the store: match by text
        first.index = first.index.astype(first.index.categories.dtype)
    start = roster_history["as_of_date"].min()
    lag = (pd.to_datetime(first.reindex(d.index)) - pd.to_datetime(d)).dt.days
    # arrivals on the first snapshot may have come any time before it
    lag = lag[(lag >= 0) & (first.reindex(d.index) > start)]
    return float(lag.median()) if len(lag) >= 5 else None
