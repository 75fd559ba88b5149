"""Statistical projection of facility-count histories (date, population; gaps allowed).

The model is deliberately small: a robust level (median of the last few counts) plus a
trend term (winsorised mean daily change over a window) whose weight at each horizon is
estimated from rolling-origin backtest pairs, and shrunk toward zero ("same as last
count") when the backtest does not support it. Band widths come from the same pairs
(see backtest.py), so everything the user sees is measured, not assumed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.projection.backtest import PAIR_COLUMNS

GRID = np.array([1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 75, 90, 120, 150, 180])
"""Horizons (days) at which backtest pairs are taken; other horizons are interpolated."""


@dataclass(frozen=True)
class SeriesParams:
    """Tuning of the series model; the defaults are not fitted to any one series."""

    window: int = 90  # days over which the short trend is measured
    long_window: int = 365  # days over which the long trend is measured
    anchor_window: int = 120  # days whose mean count is the level a facility may return to
    level_obs: int = 3  # counts whose median is the current level
    clip_rel: float = 0.02  # one day's change counts for at most 2 % of the level ...
    clip_abs: float = 3.0  # ... or 3 people, whichever is larger (a jump is not a trend)
    scale_floor: float = 0.002  # smallest relative 7-day volatility used to scale errors
    default_scale: float = 0.01  # assumed 7-day volatility before any 7-day change is seen [U]
    max_pairs: int = 1_500_000  # bound on backtest pairs (memory and time)
    min_counts: int = 2  # counts on distinct days a series needs: one count shows no change


@dataclass
class Daily:
    """One facility's counts on a daily grid: NaN where no count was taken."""

    name: str
    start: pd.Timestamp
    y: np.ndarray

    @property
    def end(self) -> pd.Timestamp:
        return self.start + pd.Timedelta(days=len(self.y) - 1)


def to_daily(frame: pd.DataFrame) -> list[Daily]:
    """Split a `date, population[, facility]` frame into daily grids, one per facility."""
    df = frame.dropna(subset=["date", "population"])
    if "facility" not in df.columns:
        df = df.assign(facility="ALL")
    out = []
    for name, g in df.groupby("facility", sort=True):
        dates = pd.to_datetime(g["date"]).dt.normalize()
        # several counts on one day: the last one stands
        s = pd.Series(g["population"].astype(float).to_numpy(), index=dates.to_numpy())
        s = s[~s.index.duplicated(keep="last")].sort_index()
        start = s.index[0]
        idx = ((s.index - start) / pd.Timedelta(days=1)).astype(int)
        y = np.full(int(idx.max()) + 1, np.nan)
        y[idx] = s.to_numpy()
        out.append(Daily(str(name), pd.Timestamp(start), y))
    return out


def features(y: np.ndarray, p: SeriesParams) -> dict[str, np.ndarray]:
    """Per day: last count, robust level, trend (people/day) and error scale, from data up to that day."""
    n = len(y)
    obs = ~np.isnan(y)
    pos = np.flatnonzero(obs)
    v = y[obs]
    k = np.cumsum(obs) - 1  # index (into v) of the last count on or before day t
    valid = k >= 0
    kk = np.clip(k, 0, None)
    last = np.where(valid, v[kk], np.nan)
    # median of the last `level_obs` counts; a count of 0 is a closure and stands alone
    m = p.level_obs
    padded = np.concatenate([np.full(m - 1, np.nan), v])
    windows = np.lib.stride_tricks.sliding_window_view(padded, m)
    med = np.nanmedian(windows, axis=1) if len(v) else np.array([])
    level = np.where(valid, med[kk] if len(v) else np.nan, np.nan)
    level = np.where(last == 0, 0.0, level)
    # winsorised daily changes, spread over the gap they cover, summed over the window
    gap = np.diff(pos).astype(float)
    dv = np.diff(v)
    cap = np.maximum(p.clip_abs, p.clip_rel * np.abs(v[:-1])) * gap
    daily_change = np.zeros(n)
    daily_change[pos[1:]] = np.clip(dv, -cap, cap)
    cum = np.concatenate([[0.0], np.cumsum(daily_change)])
    t = np.arange(n)
    first_day = pos[0] if len(pos) else 0
    trend = _mean_change(cum, t, first_day, p.window)
    long_trend = _mean_change(cum, t, first_day, p.long_window)
    # error scale: mean absolute 7-day relative change so far (winsorised), floored
    prev = np.concatenate([np.full(7, np.nan), last[:-7]]) if n > 7 else np.full(n, np.nan)
    rel7 = np.abs(np.log1p(last) - np.log1p(prev))
    rel7 = np.where(np.isnan(rel7) | ~obs, 0.0, np.minimum(rel7, 0.1))
    cnt = np.cumsum(obs & ~np.isnan(prev))
    scale = np.where(cnt > 0, np.cumsum(rel7) / np.maximum(cnt, 1), p.default_scale)
    scale = np.maximum(scale, p.scale_floor)
    # mean count over the anchor window: population managed toward a level comes back to it
    csum = np.concatenate([[0.0], np.cumsum(np.where(obs, y, 0.0))])
    ccnt = np.concatenate([[0], np.cumsum(obs)])
    lo = np.maximum(t - p.anchor_window, -1) + 1
    n_in = ccnt[t + 1] - ccnt[lo]
    anchor = np.where(n_in > 0, (csum[t + 1] - csum[lo]) / np.maximum(n_in, 1), last)
    return {
        "last": last,
        "level": level,
        "trend": trend,
        "long_trend": long_trend,
        "anchor": anchor,
        "scale": scale,
        "obs": obs,
        "scaled": cnt > 0,
    }


def _mean_change(cum: np.ndarray, t: np.ndarray, first_day: int, window: int) -> np.ndarray:
    """Mean daily (winsorised) change over the last `window` days, 0 before the second count."""
    lo = np.maximum(t - window, 0)
    span = t - np.maximum(lo, first_day)
    change = cum[t + 1] - cum[lo + 1]
    return np.where(span > 0, change / np.maximum(span, 1), 0.0)


def pairs(series: list[Daily], p: SeriesParams, horizons: np.ndarray = GRID) -> pd.DataFrame:
    """Rolling-origin backtest pairs: every counted day as origin, every grid horizon with a count."""
    total = sum(int(np.count_nonzero(~np.isnan(d.y))) for d in series) * len(horizons)
    stride = max(1, int(np.ceil(total / p.max_pairs)))
    parts = []
    for sid, d in enumerate(series):
        f = features(d.y, p)
        pos = np.flatnonzero(f["obs"])
        origins = np.flatnonzero(f["obs"] & f["scaled"])[::stride]  # errors need a measured scale
        o = np.repeat(origins, len(horizons))
        h = np.tile(horizons, len(origins))
        # the first count on or after origin + h, if it comes soon enough (counts may have gaps)
        k = np.searchsorted(pos, o + h)
        keep = k < len(pos)
        o, h, k = o[keep], h[keep], k[keep]
        tgt = pos[k]
        keep = tgt - o - h <= np.maximum(2, h // 4)
        o, h, tgt = o[keep], h[keep], tgt[keep]
        base = d.start.to_datetime64().astype("datetime64[D]").astype(np.int64)
        parts.append(
            pd.DataFrame(
                {
                    "sid": sid,
                    "origin": base + o,
                    "target": base + tgt,
                    "h": h,
                    "ht": tgt - o,
                    "last": f["last"][o],
                    "level": f["level"][o],
                    "trend": f["trend"][o],
                    "drift": f["long_trend"][o],
                    "anchor": f["anchor"][o],
                    "scale": f["scale"][o],
                    "actual": d.y[tgt],
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=list(PAIR_COLUMNS))
    return pd.concat(parts, ignore_index=True)


def unprojectable(frame: pd.DataFrame, params: SeriesParams | None = None) -> dict[str, str]:
    """Facilities of a `date, population, facility` frame the series model cannot project, with why.

    Too short: fewer than `min_counts` counts on distinct days. Closed: its last `level_obs` counts
    are all 0 (`project_series` would hold it at 0; a forecast of an empty facility says nothing).
    """
    p = params or SeriesParams()
    out: dict[str, str] = {}
    for d in to_daily(frame):
        obs = d.y[~np.isnan(d.y)]
        if len(obs) < p.min_counts:
            out[d.name] = (
                f"too short: {len(obs)} count{'s' if len(obs) != 1 else ''} "
                f"(on {d.end.date()}), the projection needs at least {p.min_counts} on different days"
            )
        elif len(obs) >= p.level_obs and not obs[-p.level_obs :].any():
            out[d.name] = f"closed: its last {p.level_obs} counts are 0 (last on {d.end.date()})"
    return out


def project_series(frame: pd.DataFrame, horizon: int = 90, params: SeriesParams | None = None) -> pd.DataFrame:
    """Projection per facility and future day: facility, date, mean, lo80, hi80, lo95, hi95."""
    from analytics.projection.backtest import PairSet, bands, forecast

    p = params or SeriesParams()
    series = to_daily(frame)
    grid = GRID[max(horizon, 1) >= GRID] if horizon < GRID[-1] else GRID
    fit = PairSet(pairs(series, p, grid), grid).fit()
    h = np.arange(1, horizon + 1)
    beta, qz = fit.at(h)
    out = []
    for d in series:
        f = features(d.y, p)
        now = {k: np.full(len(h), f[k][-1]) for k in ("last", "level", "trend", "anchor")}
        now["drift"] = np.full(len(h), f["long_trend"][-1])
        mean = forecast(now, h, beta)
        bd = bands(mean, np.full(len(h), f["scale"][-1]), qz)
        obs = d.y[~np.isnan(d.y)]
        if len(obs) >= p.level_obs and not obs[-p.level_obs :].any():
            # closed: counted empty several times running, it stays empty
            mean = np.zeros(len(h))
            bd = {k: np.zeros(len(h)) for k in bd}
        out.append(
            pd.DataFrame(
                {
                    "facility": d.name,
                    "date": d.end + pd.to_timedelta(h, unit="D"),
                    "mean": mean,
                    "lo80": bd["lo80"],
                    "hi80": bd["hi80"],
                    "lo95": bd["lo95"],
                    "hi95": bd["hi95"],
                }
            )
        )
    cols = ["facility", "date", "mean", "lo80", "hi80", "lo95", "hi95"]
    return pd.concat(out, ignore_index=True)[cols] if out else pd.DataFrame(columns=cols)


def series_track_record(
    frame: pd.DataFrame,
    horizons: Sequence[int] = (7, 30, 90),
    params: SeriesParams | None = None,
    warmup: int = 56,
) -> pd.DataFrame:
    """Rolling-origin track record of the series model against "same as last count"."""
    from analytics.projection.backtest import track_record

    p = params or SeriesParams()
    return track_record(pairs(to_daily(frame), p), GRID, horizons, warmup=warmup)
