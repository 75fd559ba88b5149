"""Institution projection: today's count plus known flows plus the remainder measured in history.

mean(h) = current + a(h) x known flows by day h + b(h) x remainder rate x h (+ small terms),
for the facility, each security level (of the housing unit) and each unit. The remainder is
what happened minus what the known flows said, per horizon, over the last year of origins.
Each origin of the roster history is projected with the roster and pipeline it had then
(flows.known_events); the weights are chosen by that backtest among the stock-and-flow model
(a = b = 1), the last count (a = b = 0) and fitted weights. While evidence is thin the known
flows stand for the first `refill_days` and the last count beyond (released beds are refilled).
Band widths come from the same backtest, so the track record measures the whole method.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.projection.backtest import NO_CHANGE, PAIR_COLUMNS, PairSet, Weights, bands, forecast, track_record
from analytics.projection.flows import (
    GROUPS,
    FlowParams,
    _place,
    arrival_lag_days,
    cumulative,
    known_events,
    unit_table,
)
from analytics.projection.series import GRID, SeriesParams, features
from loaders.config import Facility

STRUCTURAL = Weights(level=1.0, trend=0.0, trend_long=1.0, anchor=0.0)
"""Known flows in full plus the measured remainder: the stock-and-flow model itself."""
LAST_COUNT = NO_CHANGE
"""The alternative the backtest may choose once it has evidence: where designators refill
released beds, known releases do not move the count, and the last count projects better."""


@dataclass(frozen=True)
class Inputs:
    """Everything the institution projection reads (frames as the store returns them)."""

    roster: pd.DataFrame
    as_of: pd.Timestamp
    facility: Facility | None = None
    designations: pd.DataFrame | None = None
    redesignations: pd.DataFrame | None = None
    history: pd.DataFrame | None = None  # roster history with as_of_date
    designation_history: pd.DataFrame | None = None  # designations snapshots with as_of_date
    redesignation_history: pd.DataFrame | None = None


def group_keys(roster: pd.DataFrame, facility: Facility | None) -> pd.DataFrame:
    """group, key, current: one row for the facility, each level and each unit."""
    units = unit_table(roster, facility)
    here = _place(roster, units)
    name = facility.facility.name if facility is not None else "FACILITY"
    rows = [pd.DataFrame({"group": "facility", "key": [name], "current": [len(here)]})]
    for group, col in (("security_level", "level"), ("unit", "unit")):
        keys = pd.Index(units[col].unique()).union(pd.Index(here[col].unique()))
        counts = here[col].value_counts().reindex(keys, fill_value=0)
        rows.append(pd.DataFrame({"group": group, "key": keys.astype("str"), "current": counts.to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def _snapshot(history: pd.DataFrame | None, day: pd.Timestamp) -> pd.DataFrame | None:
    if history is None or history.empty:
        return None
    snap = history[pd.to_datetime(history["as_of_date"]) == day]
    return snap if not snap.empty else None


def _group_series(inp: Inputs, keys: pd.DataFrame, days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Per group and day of the history: population, and population with known flows taken out."""
    h = inp.history
    units = unit_table(inp.roster, inp.facility)
    placed = _place(h, units).assign(as_of_date=pd.to_datetime(h["as_of_date"]).to_numpy())
    idx = pd.Series(np.arange(len(days)), index=days)
    placed["t"] = placed["as_of_date"].map(idx).to_numpy()
    gap = np.diff(days.to_numpy()).astype("timedelta64[D]").astype(int)
    nxt = np.r_[gap, 1]
    off = (
        (pd.to_datetime(h["projected_release_date"], errors="coerce") - placed["as_of_date"]).dt.days
        if "projected_release_date" in h.columns
        else pd.Series(np.nan, index=h.index)
    )
    due = (off >= 1) & (off <= nxt[placed["t"].to_numpy()])
    pipe_in, pipe_out = _pipeline_people(inp)
    first = placed.groupby("register_number")["t"].transform("min")
    last = placed.groupby("register_number")["t"].transform("max")
    arrived = (placed["t"] == first) & (first > 0) & placed["register_number"].isin(pipe_in)
    left = (placed["t"] == last) & (last < len(days) - 1) & placed["register_number"].isin(pipe_out) & ~due
    pop = np.zeros((len(keys), len(days)))
    adj = np.zeros((len(keys), len(days)))
    for i, (group, key) in enumerate(zip(keys["group"], keys["key"])):
        mask = (
            np.ones(len(placed), bool)
            if group == "facility"
            else (placed["level" if group == "security_level" else "unit"] == key).to_numpy()
        )
        t = placed["t"].to_numpy()[mask]
        pop[i] = np.bincount(t, minlength=len(days))
        # a due release or a matched move out shows on the next snapshot; a matched arrival on its own
        out = np.bincount(t[(due | left).to_numpy()[mask]] + 1, minlength=len(days) + 1)[: len(days)]
        inn = np.bincount(t[arrived.to_numpy()[mask]], minlength=len(days))
        adj[i] = pop[i] + np.cumsum(out) - np.cumsum(inn)
    return pop, adj


def _pipeline_people(inp: Inputs) -> tuple[set, set]:
    """Register numbers that ever appeared as pending arrivals, and as approved moves out."""
    pin, pout = set(), set()
    if inp.designation_history is not None:
        pin |= set(inp.designation_history["register_number"].dropna())
    r = inp.redesignation_history
    if r is not None and not r.empty:
        pin |= set(r.loc[r["direction"] == "IN", "register_number"].dropna())
        pout |= set(r.loc[r["direction"] == "OUT", "register_number"].dropna())
    return pin, pout


def _pairs(
    inp: Inputs, keys: pd.DataFrame, lag: float | None, p: SeriesParams, fp: FlowParams, stride: int
) -> tuple[pd.DataFrame, dict]:
    """Backtest pairs per group over the roster history, and the drift features at the as-of date."""
    days = pd.DatetimeIndex(sorted(pd.to_datetime(inp.history["as_of_date"]).unique()))
    pop, adj = _group_series(inp, keys, days)
    offset = ((days - days[0]).days).to_numpy()
    n = int(offset[-1]) + 1
    feats, grids = [], []
    for i in range(len(keys)):
        y = np.full(n, np.nan)
        y[offset] = adj[i]
        g = np.full(n, np.nan)
        g[offset] = pop[i]
        f = features(y, p)
        f["anchor"] = features(g, p)["anchor"]  # the head count's own recent mean
        feats.append(f)
        grids.append(g)
    hmax = int(GRID[-1])
    # A comprehension, not dict(): a GroupBy has a `keys` attribute that dict() would take for a mapping.
    by_day = {d: g for d, g in inp.history.groupby(pd.to_datetime(inp.history["as_of_date"]), sort=False)}  # noqa: C416
    cols = {
        c: []
        for c in ("sid", "origin", "h", "last", "level", "trend", "trend_long", "anchor", "scale", "actual", "pipeline")
    }
    pop_grid = np.vstack(grids)
    for k in range(0, len(days) - 1, stride):
        day = days[k]
        des, red = _snapshot(inp.designation_history, day), _snapshot(inp.redesignation_history, day)
        ev = known_events(by_day[day], day, hmax, inp.facility, des, red, lag, fp)
        known = cumulative(ev, keys, hmax)
        o = int(offset[k])
        h = GRID[o + GRID < n]
        act = pop_grid[:, o + h]  # (groups, horizons)
        sid, col = np.nonzero(~np.isnan(act))
        cols["sid"].append(sid)
        cols["origin"].append(np.full(len(sid), o))
        cols["h"].append(h[col])
        cols["last"].append(pop[sid, k])
        cols["level"].append(pop[sid, k] + known[sid, h[col] - 1])
        for c in ("trend", "trend_long", "anchor", "scale"):
            cols[c].append(np.array([feats[i][c][o] for i in range(len(keys))])[sid])
        cols["actual"].append(act[sid, col])
        cols["pipeline"].append(np.full(len(sid), des is not None or red is not None))
    if cols["sid"]:
        pairs = pd.DataFrame({c: np.concatenate(v) for c, v in cols.items()})
        pairs["group"] = keys["group"].to_numpy()[pairs["sid"].to_numpy()]
        pairs["target"] = pairs["origin"] + pairs["h"]
        pairs["ht"] = pairs["h"]
    else:
        pairs = pd.DataFrame(columns=["sid", "group", *PAIR_COLUMNS[1:], "pipeline"])
    if len(pairs):
        pairs["trend_long"] = _remainder_rate(pairs, pairs["origin"].to_numpy(), pairs["trend_long"].to_numpy())
    now = {i: {c: feats[i][c][-1] for c in ("trend", "trend_long", "anchor", "scale")} for i in range(len(keys))}
    return pairs, now


def _remainder_rate(pairs: pd.DataFrame, at: np.ndarray, fallback: np.ndarray, window: int = 365) -> np.ndarray:
    """Mean daily remainder (actual - count - known flows) / h of the same group and horizon, over
    pairs whose outcome was known at `at` and at most `window` days old; `fallback` where none."""
    out = np.asarray(fallback, dtype=float).copy()
    rem = ((pairs["actual"] - pairs["level"]) / pairs["ht"]).to_numpy()
    for _, idx in pairs.groupby(["sid", "h"]).indices.items():
        order = idx[np.argsort(pairs["target"].to_numpy()[idx], kind="stable")]
        tgt = pairs["target"].to_numpy()[order]
        csum = np.concatenate([[0.0], np.cumsum(rem[order])])
        hi = np.searchsorted(tgt, at[order], "right")
        lo = np.searchsorted(tgt, at[order] - window, "right")
        have = hi > lo
        out[order[have]] = (csum[hi] - csum[lo])[have] / (hi - lo)[have]
    return out


def project_institution(
    inp: Inputs,
    horizon: int = 90,
    params: SeriesParams | None = None,
    flow_params: FlowParams | None = None,
    stride: int = 7,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(projection, track record). Projection: group, key, date, h, current, known, mean, lo80..hi95."""
    p, fp = params or SeriesParams(), flow_params or FlowParams()
    as_of = pd.Timestamp(inp.as_of).normalize()
    keys = group_keys(inp.roster, inp.facility)
    lag = arrival_lag_days(inp.designation_history, inp.history)
    hmax = max(horizon, int(GRID[-1]))
    ev = known_events(inp.roster, as_of, hmax, inp.facility, inp.designations, inp.redesignations, lag, fp)
    known_all = cumulative(ev, keys, hmax)
    known = known_all[:, :horizon]
    h = np.arange(1, horizon + 1)
    have_history = inp.history is not None and pd.to_datetime(inp.history["as_of_date"]).nunique() > 1
    if have_history:
        pairs, now = _pairs(inp, keys, lag, p, fp, stride)
    else:
        pairs, now = pd.DataFrame(), {}
    base = known
    if len(pairs) and pairs["pipeline"].mean() < 0.5:
        base = _timing_only(ev, keys, horizon, hmax)
    rates = _final_rates(pairs, keys, now, horizon)
    out, records = [], []
    for group in GROUPS:
        sub = pairs[pairs["group"] == group] if len(pairs) else pairs
        # known flows stand in the short run; further out, until the backtest has judged them,
        # the count is assumed to stay where designators keep it
        prior = np.where((fp.refill_days >= GRID)[:, None] | (not len(sub)), STRUCTURAL, LAST_COUNT)
        alt = (LAST_COUNT, STRUCTURAL)
        fit = PairSet(sub.drop(columns="group") if len(sub) else _empty_pairs(), GRID, prior, alt).fit()
        beta, qz = fit.at(h)
        if len(sub):
            rec = track_record(sub.drop(columns="group"), GRID, prior=prior, alternatives=alt)
            records.append(rec.assign(group=group))
        for i in np.flatnonzero(keys["group"].to_numpy() == group):
            current = float(keys["current"].iat[i])
            f = now.get(i, {"trend": 0.0, "trend_long": 0.0, "anchor": current, "scale": 0.01})
            x = {
                "last": np.full(horizon, current),
                "level": current + base[i],
                "trend": np.full(horizon, f["trend"]),
                "trend_long": rates[i],
                "anchor": np.full(horizon, f["anchor"]),
            }
            mean = forecast(x, h, beta)
            bd = bands(mean, np.full(horizon, f["scale"]), qz)
            out.append(
                pd.DataFrame(
                    {
                        "group": group,
                        "key": keys["key"].iat[i],
                        "date": as_of + pd.to_timedelta(h, "D"),
                        "h": h,
                        "current": keys["current"].iat[i],
                        "known": known[i],
                        "mean": mean,
                        **bd,
                    }
                )
            )
    proj = pd.concat(out, ignore_index=True)
    proj = proj[["group", "key", "date", "h", "current", "known", "mean", "lo80", "hi80", "lo95", "hi95"]]
    rec = (
        pd.concat(records, ignore_index=True)
        if records
        else pd.DataFrame(columns=["horizon", "n", "mape", "mape_naive", "coverage_80", "coverage_95", "group"])
    )
    return proj, rec


def _timing_only(ev: pd.DataFrame, keys: pd.DataFrame, horizon: int, hmax: int) -> np.ndarray:
    """Known flows when history has no pipeline snapshots: releases in full, pending moves for timing.

    The drift measured from such a history already carries the usual inflow of designations;
    the pending list then says when, in the next L days, that inflow comes (L = the last pending
    move), not that it comes on top: K_pipe(h) - K_pipe(L) x min(1, h / L).
    """
    rel = ev["kind"] == "release"
    releases = cumulative(ev[rel], keys, hmax)
    pipe = ev[~rel]
    moves = cumulative(pipe, keys, hmax)
    span = int(pipe["day"].max()) if len(pipe) else 1
    ramp = np.minimum(1.0, np.arange(1, hmax + 1) / span)
    return (releases + moves - moves[:, [span - 1]] * ramp)[:, :horizon]


def _final_rates(pairs: pd.DataFrame, keys: pd.DataFrame, now: dict, horizon: int) -> np.ndarray:
    """(groups, horizon) remainder rate per day at the as-of date, from every pair known by then."""
    h = np.arange(1, horizon + 1)
    out = np.zeros((len(keys), horizon))
    for i in range(len(keys)):
        fallback = now.get(i, {}).get("trend_long", 0.0)
        out[i] = fallback
        if not len(pairs):
            continue
        sub = pairs[pairs["sid"] == i]
        grid_rates = []
        for g in GRID:
            x = sub[sub["h"] == g]
            last = x["target"].max() if len(x) else 0
            x = x[x["target"] > last - 365]
            grid_rates.append(((x["actual"] - x["level"]) / x["ht"]).mean() if len(x) else np.nan)
        grid_rates = np.array(grid_rates)
        ok = ~np.isnan(grid_rates)
        if ok.any():
            out[i] = np.interp(h, GRID[ok], grid_rates[ok])
    return out


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in PAIR_COLUMNS})
