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
    _col,
    _place,
    arrival_lag_days,
    cumulative,
    known_events,
    unit_table,
)
from analytics.projection.series import GRID, SeriesParams, features
from loaders.config import Facility

STRUCTURAL = Weights(level=1.0, trend=0.0, drift=1.0, anchor=0.0)
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


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns (a lean history from the store) back to the dtype of their values."""
    cats = {
        c: frame[c].dtype.categories.dtype for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)
    }
    return frame.astype(cats) if cats else frame


@dataclass(frozen=True)
class _Layout:
    """The roster history laid out once for the backtest: per row its day and its facility, level and
    unit rows of `keys` (-1 where the key is not projected), and the rows of each day."""

    days: pd.DatetimeIndex
    t: np.ndarray  # day index (into days) of each history row
    rows: np.ndarray  # (3, n rows): key row of the facility, the level and the unit of each history row
    order: np.ndarray  # history rows sorted by day, in their order within the day
    start: np.ndarray  # order[start[k]:start[k + 1]] are the rows of day k
    release: np.ndarray  # days from the row's day to its projected release (NaN without one)


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and distinct values, a missing value being one of them (no -1 codes)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, pd.Index(uniques)


def _layout(inp: Inputs, keys: pd.DataFrame) -> _Layout:
    """Placement of every history row (flows._place) computed once per distinct unit and level text."""
    h = inp.history
    assert h is not None
    when = pd.to_datetime(h["as_of_date"])
    day_codes, day_values = _codes(when)
    days = pd.DatetimeIndex(sorted(day_values))
    t = days.get_indexer(day_values)[day_codes]
    units = unit_table(inp.roster, inp.facility)
    ucodes, uvalues = _codes(_col(h, "unit"))
    lcodes, lvalues = _codes(_col(h, "security_level"))
    combo, inverse = np.unique(ucodes * max(len(lvalues), 1) + lcodes, return_inverse=True)
    # only the distinct (unit, security level) pairs go through the string handling of _place
    pairs = pd.DataFrame(
        {
            "register_number": np.arange(len(combo)),
            "unit": uvalues.take(combo // max(len(lvalues), 1)),
            "security_level": lvalues.take(combo % max(len(lvalues), 1)),
        }
    )
    placed = _place(_plain(pairs), units)
    rows = np.zeros((3, len(h)), dtype=np.int64)
    for j, (group, col) in enumerate((("security_level", "level"), ("unit", "unit"))):
        sel = np.flatnonzero(keys["group"].to_numpy() == group)
        at = pd.Index(keys["key"].to_numpy()[sel]).get_indexer(placed[col].astype("str").to_numpy())
        rows[j + 1] = np.where(at >= 0, sel[np.maximum(at, 0)], -1)[inverse.ravel()]
    rows[0] = int(np.flatnonzero(keys["group"].to_numpy() == "facility")[0])
    order = np.argsort(t, kind="stable")
    start = np.searchsorted(t[order], np.arange(len(days) + 1))
    release = (
        (pd.to_datetime(h["projected_release_date"], errors="coerce") - when).dt.days.to_numpy(dtype=float)
        if "projected_release_date" in h.columns
        else np.full(len(h), np.nan)
    )
    return _Layout(days, t, rows, order, start, release)


def _by_day(history: pd.DataFrame | None) -> dict[pd.Timestamp, pd.DataFrame]:
    """Snapshots of a pipeline history by as-of day (read once, not once per origin)."""
    if history is None or history.empty:
        return {}
    # A comprehension, not dict(): a GroupBy has a `keys` attribute that dict() would take for a mapping.
    return {d: g for d, g in history.groupby(pd.to_datetime(history["as_of_date"]), sort=False)}  # noqa: C416


def _group_series(inp: Inputs, lay: _Layout, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group and day of the history: population, and population with known flows taken out."""
    h = inp.history
    assert h is not None
    n_days = len(lay.days)
    t = lay.t
    gap = np.diff(lay.days.to_numpy()).astype("timedelta64[D]").astype(int)
    nxt = np.r_[gap, 1]
    with np.errstate(invalid="ignore"):
        due = (lay.release >= 1) & (lay.release <= nxt[t])
    pipe_in, pipe_out = _pipeline_people(inp)
    person, people = pd.factorize(h["register_number"])
    known = person >= 0
    first = np.full(len(people), n_days, dtype=np.int64)
    last = np.full(len(people), -1, dtype=np.int64)
    np.minimum.at(first, person[known], t[known])
    np.maximum.at(last, person[known], t[known])
    is_in = np.append(pd.Index(people).isin(list(pipe_in)), False)[person]  # code -1: no register number
    is_out = np.append(pd.Index(people).isin(list(pipe_out)), False)[person]
    first_t, last_t = np.append(first, -1)[person], np.append(last, n_days)[person]
    arrived = known & (t == first_t) & (first_t > 0) & is_in
    left = known & (t == last_t) & (last_t < n_days - 1) & is_out & ~due
    pop = np.zeros((n_keys, n_days))
    out = np.zeros((n_keys, n_days + 1))
    inn = np.zeros((n_keys, n_days))
    moved_out = due | left
    for rows in lay.rows:
        hit = rows >= 0
        pop += np.bincount(rows[hit] * n_days + t[hit], minlength=n_keys * n_days).reshape(n_keys, n_days)
        # a due release or a matched move out shows on the next snapshot; a matched arrival on its own
        sel = hit & moved_out
        out += np.bincount(rows[sel] * (n_days + 1) + t[sel] + 1, minlength=n_keys * (n_days + 1)).reshape(
            n_keys, n_days + 1
        )
        sel = hit & arrived
        inn += np.bincount(rows[sel] * n_days + t[sel], minlength=n_keys * n_days).reshape(n_keys, n_days)
    adj = pop + np.cumsum(out[:, :n_days], axis=1) - np.cumsum(inn, axis=1)
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


def _release_flows(lay: _Layout, keys: pd.DataFrame, origins: np.ndarray, hmax: int) -> np.ndarray:
    """(origins, groups, hmax) cumulative known flows at origins without a pipeline snapshot.

    There the known flows are the releases of that day's roster on their dates
    (flows.known_events without designations or redesignations), counted for every origin
    at once from the layout instead of one roster at a time.
    """
    where = np.full(len(lay.days), -1)
    where[origins] = np.arange(len(origins))
    o = where[lay.t]
    with np.errstate(invalid="ignore"):
        ok = (o >= 0) & (lay.release >= 1) & (lay.release <= hmax)
    day = np.where(ok, lay.release, 1).astype(np.int64) - 1
    size = len(origins) * len(keys) * hmax
    flows = np.zeros(size)
    for rows in lay.rows:
        sel = ok & (rows >= 0)
        flows -= np.bincount((o[sel] * len(keys) + rows[sel]) * hmax + day[sel], minlength=size)
    return np.round(np.cumsum(flows.reshape(len(origins), len(keys), hmax), axis=2), 9)


def _pairs(
    inp: Inputs, keys: pd.DataFrame, lag: float | None, p: SeriesParams, fp: FlowParams, stride: int
) -> tuple[pd.DataFrame, dict]:
    """Backtest pairs per group over the roster history, and the drift features at the as-of date."""
    assert inp.history is not None
    lay = _layout(inp, keys)
    days = lay.days
    pop, adj = _group_series(inp, lay, len(keys))
    offset = ((days - days[0]).days).to_numpy()
    n = int(offset[-1]) + 1
    names = ("trend", "long_trend", "anchor", "scale")
    feats = {c: np.empty((len(keys), n)) for c in names}
    pop_grid = np.full((len(keys), n), np.nan)
    pop_grid[:, offset] = pop
    for i in range(len(keys)):
        y = np.full(n, np.nan)
        y[offset] = adj[i]
        f = features(y, p)
        f["anchor"] = features(pop_grid[i], p)["anchor"]  # the head count's own recent mean
        for c in names:
            feats[c][i] = f[c]
    hmax = int(GRID[-1])
    designations, redesignations = _by_day(inp.designation_history), _by_day(inp.redesignation_history)
    origins = np.arange(0, len(days) - 1, stride)
    # With a facility file every roster places its people the same way, so releases of all
    # origins can be counted at once; without one each day's roster sets its own units.
    releases = _release_flows(lay, keys, origins, hmax) if inp.facility is not None else None
    cols: dict[str, list[np.ndarray]] = {
        c: [] for c in ("sid", "origin", "h", "last", "level", *names, "actual", "pipeline")
    }
    for j, k in enumerate(origins):
        day = days[k]
        des, red = designations.get(day), redesignations.get(day)
        if releases is not None and des is None and red is None:
            known = releases[j]
        else:
            roster = _plain(inp.history.iloc[lay.order[lay.start[k] : lay.start[k + 1]]])
            ev = known_events(roster, day, hmax, inp.facility, des, red, lag, fp)
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
        for c in names:
            cols[c].append(feats[c][sid, o])
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
        # the drift of the institution model: the remainder rate measured so far (the long trend before any)
        pairs["drift"] = _remainder_rate(pairs, pairs["origin"].to_numpy(), pairs["long_trend"].to_numpy())
        pairs = pairs.drop(columns="long_trend")
    now = {i: {c: feats[c][i, -1] for c in names} for i in range(len(keys))}
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
            f = now.get(i, {"trend": 0.0, "long_trend": 0.0, "anchor": current, "scale": 0.01})
            x = {
                "last": np.full(horizon, current),
                "level": current + base[i],
                "trend": np.full(horizon, f["trend"]),
                "drift": rates[i],
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
        out[i] = now.get(i, {}).get("long_trend", 0.0)
    if not len(pairs):
        return out
    # per group and grid horizon: the mean daily remainder over the last year of outcomes
    newest = pairs.groupby(["sid", "h"])["target"].transform("max")
    x = pairs[pairs["target"] > newest - 365]
    rate = ((x["actual"] - x["level"]) / x["ht"]).groupby([x["sid"], x["h"]]).mean().unstack("h")
    rate = rate.reindex(columns=GRID)
    for i, row in zip(rate.index, rate.to_numpy()):
        ok = ~np.isnan(row)
        if ok.any():
            out[int(i)] = np.interp(h, GRID[ok], row[ok])
    return out


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in PAIR_COLUMNS})
