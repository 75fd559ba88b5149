"""Scenarios: a named set of planned events applied to the baseline institution projection.

The baseline (project_institution) is what the roster, the pipeline and history say. A
scenario adds what only the institution knows, in this order (docs/scenarios.md):

1. bed events (unit_open, unit_close, unit_beds, unit_level) set each unit's rated and
   operational beds and level from their date; the capacity lines follow;
2. planned batches and designation-rate changes move the mean (and both bands, since a
   planned count is not uncertain) of the facility, the level and the unit from their date;
   without a unit a batch is spread over the level's open units by rated beds, as
   arrivals are in the baseline;
3. a unit changing level takes its projected population from the old level to the new one;
4. a closing unit's projected population moves to the other open units of its level.

Pure: frames and events in, frames out; the as-of date is an argument.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.projection.crossing import crossing_dates
from loaders.config import Facility
from loaders.events import BATCH_KINDS, PlannedEvent, check_units

BAND_COLUMNS = ("mean", "lo80", "hi80", "lo95", "hi95")
DEFINITIONS = ("rated", "operational")


class ScenarioError(ValueError):
    """A scenario that cannot be applied; the message is one sentence."""


@dataclass(frozen=True)
class Scenario:
    """A scenario applied: its projection, its capacity lines by date and its crossing dates."""

    name: str
    events: tuple[PlannedEvent, ...]
    projection: pd.DataFrame  # as the baseline: group, key, date, h, current, known, mean, lo80..hi95
    capacities: pd.DataFrame  # group, key, definition, date, capacity
    crossings: pd.DataFrame  # as crossing_dates


@dataclass
class _Units:
    """Each unit's level and beds on each projected day (units x horizon)."""

    names: list[str]
    level: np.ndarray
    rated: np.ndarray
    oper: np.ndarray

    def index(self, unit: str) -> int:
        return self.names.index(unit)


def _start(day: object, as_of: pd.Timestamp) -> int:
    """Index into the horizon of the first projected day an event dated `day` counts on."""
    return max(0, (pd.Timestamp(day) - as_of).days - 1)


def _unit_state(facility: Facility, events: list[PlannedEvent], as_of: pd.Timestamp, horizon: int) -> _Units:
    names = [u.name.strip().upper() for u in facility.units]
    level = np.array([[facility.unit_level(u.name)] * horizon for u in facility.units], dtype=object)
    rated = np.array([[float(u.rated_capacity)] * horizon for u in facility.units])
    oper = np.array(
        [
            [float(u.operational_capacity if u.operational_capacity is not None else u.rated_capacity)] * horizon
            for u in facility.units
        ]
    )
    st = _Units(
        names, level.reshape(len(names), horizon), rated.reshape(len(names), horizon), oper.reshape(len(names), horizon)
    )
    for e in sorted((e for e in events if e.unit and e.kind not in BATCH_KINDS), key=lambda e: e.date):
        assert e.unit is not None  # kept by the filter above
        if e.kind == "unit_open" and e.unit not in st.names:
            st.names.append(e.unit)
            st.level = np.vstack([st.level, np.full((1, horizon), e.security_level, dtype=object)])
            st.rated = np.vstack([st.rated, np.zeros((1, horizon))])
            st.oper = np.vstack([st.oper, np.zeros((1, horizon))])
        i, s = st.index(e.unit), _start(e.date, as_of)
        if e.kind == "unit_close":
            st.rated[i, s:] = 0.0
            st.oper[i, s:] = 0.0
        elif e.kind in ("unit_open", "unit_beds"):
            if e.rated_capacity is not None:
                st.rated[i, s:] = e.rated_capacity
            if e.operational_capacity is not None or e.kind == "unit_open":
                beds = e.operational_capacity if e.operational_capacity is not None else e.rated_capacity
                st.oper[i, s:] = beds
            if e.kind == "unit_open" and e.security_level is not None:
                st.level[i, s:] = e.security_level
        elif e.kind == "unit_level":
            st.level[i, s:] = e.security_level
    return st


def capacity_lines(
    facility: Facility, events: list[PlannedEvent], as_of: pd.Timestamp | str, horizon: int
) -> pd.DataFrame:
    """group, key, definition, date, capacity on each projected day, bed events applied."""
    as_of = pd.Timestamp(as_of).normalize()
    st = _unit_state(facility, events, as_of, horizon)
    dates = as_of + pd.to_timedelta(np.arange(1, horizon + 1), "D")
    rows = []
    for definition, beds in (("rated", st.rated), ("operational", st.oper)):
        rows.append(
            pd.DataFrame(
                {
                    "group": "facility",
                    "key": facility.facility.name,
                    "definition": definition,
                    "date": dates,
                    "capacity": beds.sum(axis=0),
                }
            )
        )
        for i, unit in enumerate(st.names):
            rows.append(
                pd.DataFrame(
                    {"group": "unit", "key": unit, "definition": definition, "date": dates, "capacity": beds[i]}
                )
            )
        for lv in pd.unique(st.level.ravel()):
            rows.append(
                pd.DataFrame(
                    {
                        "group": "security_level",
                        "key": lv,
                        "definition": definition,
                        "date": dates,
                        "capacity": np.where(st.level == lv, beds, 0.0).sum(axis=0),
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def weekly_designations(
    designation_history: pd.DataFrame | None, as_of: pd.Timestamp | str, weeks: int = 13
) -> dict[str, float]:
    """New designations per week by security level over the last `weeks` weeks (empty without history)."""
    d = designation_history
    if d is None or d.empty or "designation_date" not in d.columns:
        return {}
    as_of = pd.Timestamp(as_of).normalize()
    first = d.dropna(subset=["designation_date"]).sort_values("designation_date").drop_duplicates("register_number")
    when = pd.to_datetime(first["designation_date"])
    recent = first[(when > as_of - pd.Timedelta(weeks=weeks)) & (when <= as_of)]
    level = recent["security_level"].astype("str") if "security_level" in recent.columns else "UNASSIGNED"
    return (recent.assign(level=level).groupby("level").size() / weeks).astype(float).to_dict()


def _flow_deltas(
    st: _Units, events: list[PlannedEvent], as_of: pd.Timestamp, horizon: int, rate: dict[str, float], lag: float
) -> np.ndarray:
    """(units x horizon) daily net planned arrivals (+) and departures (-) per unit."""
    per_unit = np.zeros((len(st.names), horizon))
    for e in events:
        if e.kind in BATCH_KINDS:
            first = (pd.Timestamp(e.date) - as_of).days
            days = np.arange(first, (pd.Timestamp(e.end or e.date) - as_of).days + 1)
            assert e.count is not None  # a batch has a count (loaders.events checks it)
            per_day = (1.0 if e.kind == "arrivals" else -1.0) * e.count / len(days)
            targets = {e.security_level: 1.0}
        elif e.kind == "designation_rate":
            levels = [e.security_level] if e.security_level else sorted(rate)
            weekly = {lv: rate.get(lv, 0.0) for lv in levels}
            if e.percent is not None:
                if not sum(weekly.values()):
                    raise ScenarioError(
                        f"event {e.name!r} changes designations by a percentage, but the store "
                        "holds no designation in the last 13 weeks to take it of."
                    )
                extra = e.percent / 100.0 * sum(weekly.values())
            else:
                assert e.per_week is not None  # a rate change has a percent or a weekly count (loaders.events)
                extra = float(e.per_week)
            if e.security_level is None and not sum(weekly.values()):
                weekly = {lv: 1.0 for lv in pd.unique(st.level[:, 0]) if lv != "ADMINISTRATIVE"}
            total = sum(weekly.values()) or 1.0
            targets = {lv: w / total for lv, w in weekly.items()}
            first = (pd.Timestamp(e.date) - as_of).days + int(round(lag))  # designated today, here after the lag
            days = np.arange(max(first, 1), horizon + 1)
            per_day = extra / 7.0
        else:
            continue
        # a batch dated before the as-of date is already in the count
        for d in days[(days >= 1) & (days <= horizon)]:
            col = d - 1
            for lv, share in targets.items():
                if e.unit:
                    per_unit[st.index(e.unit), col] += per_day * share
                    continue
                open_ = (st.level[:, col] == lv) & (st.rated[:, col] > 0)
                if not open_.any():
                    open_ = st.rated[:, col] > 0
                w = np.where(open_, st.rated[:, col], 0.0)
                per_unit[:, col] += per_day * share * w / w.sum()
    return per_unit


def apply_events(
    baseline: pd.DataFrame,
    facility: Facility,
    events: list[PlannedEvent],
    as_of: pd.Timestamp | str,
    designation_rate: dict[str, float] | None = None,
    arrival_lag: float | None = None,
    lag_default: float = 30.0,
) -> pd.DataFrame:
    """The baseline projection with the enabled events applied (same columns and rows, plus new units)."""
    as_of = pd.Timestamp(as_of).normalize()
    events = [e for e in events if e.enabled]
    if not events:
        return baseline.copy()
    check_units(events, facility.unit_levels)
    horizon = int(baseline["h"].max())
    st = _unit_state(facility, events, as_of, horizon)
    fac = facility.facility.name
    keys = list(dict.fromkeys(zip(baseline["group"], baseline["key"].astype("str"))))
    for lv in pd.unique(st.level.ravel()):
        keys += [] if ("security_level", lv) in keys else [("security_level", lv)]
    keys += [("unit", u) for u in st.names if ("unit", u) not in keys]
    row = {k: i for i, k in enumerate(keys)}
    arr = {c: np.zeros((len(keys), horizon)) for c in BAND_COLUMNS}
    ordered = baseline.assign(key=baseline["key"].astype("str")).sort_values("h")
    for (g, k), part in ordered.groupby(["group", "key"], sort=False):
        for c in BAND_COLUMNS:
            arr[c][row[(g, k)]] = part[c].to_numpy()
    # 2. planned batches and designations: cumulative, on the unit, its level of the day, the facility
    per_unit = _flow_deltas(
        st, events, as_of, horizon, designation_rate or {}, lag_default if arrival_lag is None else arrival_lag
    )
    cum_unit = np.cumsum(per_unit, axis=1)
    shift = np.zeros((len(keys), horizon))
    shift[row[("facility", fac)]] = cum_unit.sum(axis=0)
    for i, u in enumerate(st.names):
        shift[row[("unit", u)]] += cum_unit[i]
        for col in range(horizon):
            shift[row[("security_level", st.level[i, col])], col] += cum_unit[i, col]
    # 3. a level change carries the unit's projected population across (only the mean moves bands)
    for e in sorted((e for e in events if e.kind == "unit_level"), key=lambda e: e.date):
        s = _start(e.date, as_of)
        old = facility.unit_level(e.unit) if e.unit in [u.name.strip().upper() for u in facility.units] else None
        if old is None or old == e.security_level:
            continue
        # the unit's planned flows already count on its level of the day; its baseline people move now
        moved = arr["mean"][row[("unit", e.unit)], s:]
        shift[row[("security_level", old)], s:] -= moved
        shift[row[("security_level", e.security_level)], s:] += moved
    for c in BAND_COLUMNS:
        arr[c] = arr[c] + shift
    # 4. a closed unit's projected population moves to the open units of its level that day
    for e in sorted((e for e in events if e.kind == "unit_close"), key=lambda e: e.date):
        assert e.unit is not None  # a closing names its unit (loaders.events checks it)
        i, s = st.index(e.unit), _start(e.date, as_of)
        ui = row[("unit", e.unit)]
        moved = arr["mean"][ui, s:].copy()
        for c in BAND_COLUMNS:
            arr[c][ui, s:] = 0.0
        for col in range(s, horizon):
            lv = st.level[i, col]
            open_ = (st.level[:, col] == lv) & (st.rated[:, col] > 0)
            if not open_.any():
                open_ = st.rated[:, col] > 0
            if not open_.any():
                raise ScenarioError(f"event {e.name!r} closes the last open unit; there is nowhere to move its people.")
            w = np.where(open_, st.rated[:, col], 0.0)
            w = w / w.sum()
            for j in np.flatnonzero(w):
                for c in BAND_COLUMNS:
                    arr[c][row[("unit", st.names[j])], col] += moved[col - s] * w[j]
                    if st.level[j, col] != lv:
                        arr[c][row[("security_level", st.level[j, col])], col] += moved[col - s] * w[j]
                        arr[c][row[("security_level", lv)], col] -= moved[col - s] * w[j]
    return _frame(baseline, keys, arr, as_of, horizon)


def _frame(
    baseline: pd.DataFrame, keys: list[tuple[str, str]], arr: dict[str, np.ndarray], as_of: pd.Timestamp, horizon: int
) -> pd.DataFrame:
    h = np.arange(1, horizon + 1)
    first = baseline[baseline["h"] == 1].assign(key=lambda f: f["key"].astype("str")).set_index(["group", "key"])
    out = []
    for i, (g, k) in enumerate(keys):
        current = first["current"].get((g, k), 0)
        out.append(
            pd.DataFrame(
                {
                    "group": g,
                    "key": k,
                    "date": as_of + pd.to_timedelta(h, "D"),
                    "h": h,
                    "current": current,
                    **{c: np.maximum(arr[c][i], 0.0) for c in BAND_COLUMNS},
                }
            )
        )
    proj = pd.concat(out, ignore_index=True)
    known = baseline.assign(key=baseline["key"].astype("str"))[["group", "key", "h", "known"]]
    proj = proj.merge(known, on=["group", "key", "h"], how="left").fillna({"known": 0.0})
    return proj[list(baseline.columns)]


def run_scenario(
    name: str,
    baseline: pd.DataFrame,
    facility: Facility,
    events: list[PlannedEvent],
    as_of: pd.Timestamp | str,
    designation_rate: dict[str, float] | None = None,
    arrival_lag: float | None = None,
    lag_default: float = 30.0,
) -> Scenario:
    """Apply one scenario's enabled events; capacity lines and crossing dates follow its bed events."""
    as_of = pd.Timestamp(as_of).normalize()
    mine = [e for e in events if e.scenario == name]
    on = [e for e in mine if e.enabled]
    proj = apply_events(baseline, facility, on, as_of, designation_rate, arrival_lag, lag_default)
    caps = capacity_lines(facility, on, as_of, int(baseline["h"].max()))
    return Scenario(name, tuple(mine), proj, caps, crossing_dates(proj, caps))
