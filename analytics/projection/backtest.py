"""Rolling-origin evaluation: trend weights, band quantiles and the track record.

A backtest pair is (origin, horizon): what the model knew at the origin (last count,
level, trend, error scale) and the count actually observed `h` days later. Fitting uses
only pairs whose outcome was known at the time (target <= the fitting date), so the
track record is what a user would have seen, not a hindsight fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeAlias

import numpy as np
import pandas as pd

QUANTILES = np.array([0.025, 0.10, 0.90, 0.975])  # lo95, lo80, hi80, hi95
BAND_COLUMNS = ("lo95", "lo80", "hi80", "hi95")
_Z_NORMAL = np.array([-1.96, -1.2816, 1.2816, 1.96])
MIN_PAIRS = 20  # fewer pairs at a horizon: keep the prior weights
MIN_QUANTILE_PAIRS = 40  # fewer pairs at a horizon: borrow the band width from a shorter horizon
SHRINK_PAIRS = 5.0  # effective independent pairs at which the trend gets half its weight
GAIN_FOR_ANY_WEIGHT = 0.01  # out-of-sample error reduction below which the prior stands
GAIN_FOR_FULL_WEIGHT = 0.05  # out-of-sample error reduction that earns the fitted weights in full
MIN_SPAN_DAYS = 42  # days of outcomes the later half must cover to judge the weights
FEW_WINDOWS = 4.0  # quantiles from n independent windows widen by sqrt(1 + FEW_WINDOWS / n)


COMPONENTS = ("level", "trend", "drift", "anchor")
"""What may be added to the last count: level minus last count, short trend x h, drift x h,
and the recent mean count minus the last count (return toward a managed level). The drift is a
daily rate carried through the horizon: the long trend in the series model, the remainder rate
(what happened beyond the known flows, per day) in the institution model."""


class Weights(NamedTuple):
    """One weight per component of COMPONENTS, in that order (a tuple, so numpy takes it as is)."""

    level: float  # level minus last count: the known flows
    trend: float  # short trend x h
    drift: float  # drift x h: the series model's long trend, the institution model's remainder rate
    anchor: float  # recent mean count minus last count


Columns: TypeAlias = Mapping[str, np.ndarray]
"""Backtest pairs or a projection's inputs as arrays by column name (last, level, trend, ...)."""
Horizons: TypeAlias = np.ndarray | float
"""Days ahead, one per row (or one for all rows)."""
WeightRows: TypeAlias = Weights | np.ndarray
"""Weights of COMPONENTS: one set, or one row per grid horizon (len(grid), 4)."""

NO_CHANGE = Weights(level=0.0, trend=0.0, drift=0.0, anchor=0.0)  # "same as the last count"


@dataclass(frozen=True)
class Fit:
    """Component weights and standardised error quantiles per grid horizon."""

    grid: np.ndarray  # horizons (days)
    beta: np.ndarray  # (len(grid), 4) weights of COMPONENTS; all 0 = same as last count
    qz: np.ndarray  # (len(grid), 4) quantiles of log error / scale

    def at(self, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Weights and quantiles at any horizons (linear between grid points)."""
        h = np.asarray(h, dtype=float)
        beta = np.column_stack([np.interp(h, self.grid, self.beta[:, j]) for j in range(len(COMPONENTS))])
        qz = np.column_stack([np.interp(h, self.grid, self.qz[:, j]) for j in range(4)])
        beyond = h > self.grid[-1]  # widen like a random walk past the last grid horizon
        qz[beyond] *= np.sqrt(h[beyond] / self.grid[-1])[:, None]
        return beta, qz


def _components(x: Columns, h: Horizons) -> np.ndarray:
    """(n, 4) matrix of the additive components in people."""
    h = np.broadcast_to(np.asarray(h, dtype=float), np.shape(x["last"]))
    anchor = x["anchor"] if "anchor" in x else x["last"]
    return np.column_stack([x["level"] - x["last"], x["trend"] * h, x["drift"] * h, anchor - x["last"]])


def forecast(x: Columns, h: Horizons, beta: WeightRows) -> np.ndarray:
    """Mean projection: last count plus weighted components, never below zero."""
    c = _components(x, h)
    beta = np.broadcast_to(beta, c.shape)
    return np.maximum(0.0, x["last"] + (c * beta).sum(axis=1))


def bands(mean: np.ndarray, scale: np.ndarray, qz: np.ndarray) -> dict[str, np.ndarray]:
    """Band edges from standardised log-error quantiles."""
    out = {}
    for j, name in enumerate(BAND_COLUMNS):
        out[name] = np.maximum(0.0, (mean + 1.0) * np.exp(qz[:, j] * scale) - 1.0)
    return out


# One backtest pair per series, origin and horizon: what PairSet reads. The institution model adds
# `group` (facility, level or unit) in front and the known `pipeline` flow at the end.
PAIR_COLUMNS: tuple[str, ...] = (
    "sid", "origin", "target", "h", "ht", "last", "level", "trend", "drift", "anchor", "scale", "actual",
)  # fmt: skip


class PairSet:
    """Backtest pairs split by horizon and sorted by target date, for cheap as-of fitting."""

    def __init__(
        self,
        pairs: pd.DataFrame,
        grid: np.ndarray,
        prior: WeightRows = NO_CHANGE,
        alternatives: Sequence[Weights] = (),
    ) -> None:
        self.grid = np.asarray(grid)
        # weights used while evidence is thin: one row for all horizons, or one per grid horizon
        self.priors = np.broadcast_to(np.asarray(prior, dtype=float), (len(self.grid), len(COMPONENTS)))
        self.alternatives = [np.asarray(a, dtype=float) for a in alternatives]
        self.by_h: dict[int, dict[str, np.ndarray]] = {}
        for h in self.grid:
            sub = pairs[pairs["h"] == h].sort_values("target")
            self.by_h[int(h)] = {c: sub[c].to_numpy(dtype=float) for c in sub.columns}

    def fit(self, as_of: int | None = None) -> Fit:
        """Fit on the pairs whose outcome was known at `as_of` (an epoch day; None: all)."""
        beta = np.zeros((len(self.grid), len(COMPONENTS)))
        qz = np.full((len(self.grid), 4), np.nan)
        for i, h in enumerate(self.grid):
            a = self.by_h[int(h)]
            n = len(a["target"]) if as_of is None else int(np.searchsorted(a["target"], as_of, "right"))
            if n == 0:
                beta[i] = self.priors[i]  # no outcome known yet this far ahead
                continue
            x = {k: v[:n] for k, v in a.items()}
            beta[i] = _choose(x, [self.priors[i]] + self.alternatives)
            if n >= MIN_QUANTILE_PAIRS:
                z = np.log1p(x["actual"]) - np.log1p(forecast(x, x["ht"], beta[i]))
                qz[i] = np.quantile(z / x["scale"], QUANTILES) * np.sqrt(1.0 + FEW_WINDOWS / _n_windows(x, h))
        return Fit(self.grid, beta, _widening(self.grid, qz))


def _n_windows(x: Columns, h: float) -> float:
    """Independent outcome windows behind the pairs at horizon h: one per h days, times sqrt(series).

    Facilities counted over the same weeks share shocks (system-wide intake, transfers), so
    k facilities are worth about sqrt(k) independent windows, not k: on public counts of 36
    federal facilities, counting them as k left the 80 % band covering 73-76 % at 30-90 days.
    """
    span = (x["target"].max() - x["target"].min()) / max(float(h), 1.0) + 1.0
    return span * np.sqrt(len(np.unique(x["sid"])))


def _weights(x: Columns, ht: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Non-negative least-squares weights on relative changes, shrunk toward the prior."""
    from scipy.optimize import nnls

    base = x["last"] + 1.0
    r = np.clip((x["actual"] - x["last"]) / base, -0.5, 0.5)
    c = np.clip(_components(x, ht) / base[:, None], -0.5, 0.5)
    if not np.any(c):
        return prior.copy()
    w, _ = nnls(c, r)
    w = np.minimum(w, 1.0)
    # overlapping windows are not independent: count one pair per series per h days
    span = (x["origin"].max() - x["origin"].min()) / max(float(np.median(ht)), 1.0) + 1
    n_eff = min(len(r), span * len(np.unique(x["sid"])))
    return prior + (w - prior) * n_eff / (n_eff + SHRINK_PAIRS)


def _choose(x: Columns, fixed: list[np.ndarray]) -> np.ndarray:
    """Weights the backtest supports: the prior, another fixed candidate, or fitted weights.

    Weights fitted on the earlier half of the pairs (by outcome date) and the fixed candidates
    (the prior first, "same as last count" always among them) project the later half. The
    best fixed candidate is the fallback (the prior unless another beats it by
    GAIN_FOR_ANY_WEIGHT); fitted weights then earn a share growing linearly from none at a
    gain of GAIN_FOR_ANY_WEIGHT over the fallback to all of it at GAIN_FOR_FULL_WEIGHT.
    """
    prior = fixed[0]
    n = len(x["target"])
    if n < MIN_PAIRS:
        return prior.copy()
    cut = x["target"][n // 2]
    early = x["target"] <= cut
    if early.all() or not early.any():
        return prior.copy()
    a = {k: v[early] for k, v in x.items()}
    b = {k: v[~early] for k, v in x.items()}
    if b["target"].max() - b["target"].min() < max(MIN_SPAN_DAYS, float(np.median(b["ht"]))):
        return prior.copy()  # the later half covers too short a time to judge anything
    act = b["actual"] + 1.0

    def score(w: np.ndarray) -> float:
        return float(np.mean(np.abs(forecast(b, b["ht"], w) + 1.0 - act) / act))

    base, s_base = prior, score(prior)
    for w in fixed[1:] + [np.zeros_like(prior)]:
        s_w = score(w)
        if s_w < (1.0 - GAIN_FOR_ANY_WEIGHT) * s_base:
            base, s_base = w, s_w
    if n < 2 * MIN_PAIRS or s_base <= 0:
        return base.copy()  # enough to choose between fixed weights, not to fit new ones
    s_fit = score(_weights(a, a["ht"], base))
    share = np.clip(
        (1.0 - s_fit / s_base - GAIN_FOR_ANY_WEIGHT) / (GAIN_FOR_FULL_WEIGHT - GAIN_FOR_ANY_WEIGHT), 0.0, 1.0
    )
    return base + (_weights(x, x["ht"], base) - base) * share


def _widening(grid: np.ndarray, qz: np.ndarray) -> np.ndarray:
    """Fill horizons without evidence and make bands never narrow as the horizon grows."""
    out = qz.copy()
    have = ~np.isnan(out[:, 0])
    if not have.any():
        return _Z_NORMAL[None, :] * 1.25 * np.sqrt(grid / 7.0)[:, None]
    first = int(np.argmax(have))
    out[:first] = out[first] * np.sqrt(grid[:first] / grid[first])[:, None]
    for i in range(first + 1, len(grid)):
        if not have[i]:
            out[i] = out[i - 1] * np.sqrt(grid[i] / grid[i - 1])
    out[:, 2:] = np.maximum.accumulate(np.maximum(out[:, 2:], 0.0), axis=0)
    out[:, :2] = np.minimum.accumulate(np.minimum(out[:, :2], 0.0), axis=0)
    out[:, 0] = np.minimum(out[:, 0], out[:, 1])
    out[:, 3] = np.maximum(out[:, 3], out[:, 2])
    return out


def track_record(
    pairs: pd.DataFrame,
    grid: np.ndarray,
    horizons: Sequence[int] = (7, 30, 90),
    block: int = 28,
    warmup: int = 56,
    prior: WeightRows = NO_CHANGE,
    alternatives: Sequence[Weights] = (),
) -> pd.DataFrame:
    """MAPE of the model and of "same as last count", and band coverage, per horizon.

    Origins are taken in blocks of `block` days; each block is projected with a fit made
    at its first day from outcomes known then. The first `warmup` days only train.
    """
    ps = PairSet(pairs, grid, prior, alternatives)
    rows: dict[int, dict[str, list[np.ndarray]]] = {
        h: {"ape": [], "ape_naive": [], "in80": [], "in95": []} for h in horizons
    }
    cols = ("last", "ht", "actual", "scale", "naive") + COMPONENTS
    by_h: dict[int, dict[str, np.ndarray]] = {}
    for h in horizons:
        sub = pairs[(pairs["h"] == h) & (pairs["actual"] > 0)].sort_values("origin")
        by_h[h] = {c: sub[c].to_numpy(dtype=float) for c in cols + ("origin",) if c in sub.columns}
    if len(pairs):
        first, last = int(pairs["origin"].min()), int(pairs["origin"].max())
        for b in range(first + warmup, last + 1, block):
            fit = ps.fit(as_of=b)
            for h in horizons:
                a = by_h[h]
                i, j = np.searchsorted(a["origin"], [b, b + block])
                if i == j:
                    continue
                x = {c: v[i:j] for c, v in a.items()}
                beta, qz = fit.at(np.full(j - i, h))
                mean = forecast(x, x["ht"], beta)
                bd = bands(mean, x["scale"], qz)
                act = x["actual"]
                r = rows[h]
                r["ape"].append(np.abs(mean - act) / act)
                r["ape_naive"].append(np.abs(x.get("naive", x["last"]) - act) / act)
                r["in80"].append((act >= bd["lo80"]) & (act <= bd["hi80"]))
                r["in95"].append((act >= bd["lo95"]) & (act <= bd["hi95"]))
    out = []
    for h in horizons:
        got = {k: np.concatenate(v) if v else np.array([]) for k, v in rows[h].items()}
        n = len(got["ape"])
        out.append(
            {
                "horizon": h,
                "n": n,
                "mape": 100 * got["ape"].mean() if n else np.nan,
                "mape_naive": 100 * got["ape_naive"].mean() if n else np.nan,
                "coverage_80": 100 * got["in80"].mean() if n else np.nan,
                "coverage_95": 100 * got["in95"].mean() if n else np.nan,
            }
        )
    return pd.DataFrame(out)
