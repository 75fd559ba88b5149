"""The national view of the sample data: fictional daily counts for real federal facilities.

Facility codes, names, types, levels and regions are copied from the public list of
federal facilities (../realdata/federal_prisons.csv, MIT licence, Copyright (c) 2025
Matt Stiles; see loaders/reference/LICENSE-federal_prisons). Every number written
for them here is made up: `base` only sets a plausible scale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

HOME_NAME = "FCC Example"

# code, type, name, security level, region, sex, base
FACILITIES = (
    ("ALI", "FCI", "Aliceville", "LOW", "Southeast", "F", 1214),
    ("ASH", "FCI", "Ashland", "LOW", "Mid-Atlantic", "M", 1188),
    ("ATL", "FCI", "Atlanta", "LOW", "Southeast", "M", 1815),
    ("ATW", "USP", "Atwater", "HIGH", "Western", "M", 1108),
    ("BAS", "FCI", "Bastrop", "LOW", "South Central", "M", 1024),
    ("BEC", "FCI", "Beckley", "MEDIUM", "Mid-Atlantic", "M", 1541),
    ("BEN", "FCI", "Bennettsville", "MEDIUM", "Southeast", "M", 1530),
    ("BSY", "USP", "Big Sandy", "HIGH", "Mid-Atlantic", "M", 1260),
    ("CAA", "USP", "Canaan", "HIGH", "Northeast", "M", 1348),
    ("DEV", "FMC", "Devens", "ADMINISTRATIVE", "Northeast", "M", 1079),
    ("EDG", "FCI", "Edgefield", "MEDIUM", "Southeast", "M", 1270),
    ("ELK", "FCI", "Elkton", "LOW", "Northeast", "M", 1546),
    ("ERE", "FCI", "El Reno", "MEDIUM", "South Central", "M", 1003),
    ("FAI", "FCI", "Fairton", "MEDIUM", "Northeast", "M", 732),
    ("FTD", "FCI", "Fort Dix", "LOW", "Northeast", "M", 3870),
    ("FTW", "FMC", "Fort Worth", "ADMINISTRATIVE", "South Central", "M", 1526),
    ("GIL", "FCI", "Gilmer", "MEDIUM", "Mid-Atlantic", "M", 1185),
    ("JES", "FCI", "Jesup", "MEDIUM", "Southeast", "M", 1066),
    ("LVN", "FCI", "Leavenworth", "MEDIUM", "North Central", "M", 1481),
    ("MAN", "FCI", "Manchester", "MEDIUM", "Mid-Atlantic", "M", 1025),
    ("MCD", "FCI", "McDowell", "MEDIUM", "Mid-Atlantic", "M", 1525),
    ("MCR", "USP", "McCreary", "HIGH", "Mid-Atlantic", "M", 1428),
    ("MEM", "FCI", "Memphis", "LOW", "Mid-Atlantic", "M", 1033),
    ("MON", "FPC", "Montgomery", "MINIMUM", "Southeast", "M", 814),
    ("OXF", "FCI", "Oxford", "LOW", "North Central", "M", 1175),
    ("SEA", "FCI", "Seagoville", "LOW", "South Central", "M", 1376),
    ("SHE", "FCI", "Sheridan", "MEDIUM", "Western", "M", 1248),
    ("TDG", "FCI", "Talladega", "MEDIUM", "Southeast", "M", 975),
    ("WIL", "FCI", "Williamsburg", "MEDIUM", "Southeast", "M", 1273),
    ("YAN", "FPC", "Yankton", "MINIMUM", "North Central", "M", 496),
)
_BY_LEVEL = {
    lv: [f"{t} {n.upper()}" for _, t, n, level, *_ in FACILITIES if level == lv]
    for lv in ("MINIMUM", "LOW", "MEDIUM", "HIGH", "ADMINISTRATIVE")
}


def pick_facility(transfer_type: str, level: int, rng: np.random.Generator) -> str:
    """A plausible other end of a transfer: a medical centre, or an institution of the level."""
    if transfer_type == "MEDICAL":
        return str(rng.choice(_BY_LEVEL["ADMINISTRATIVE"]))
    names = ("MINIMUM", "LOW", "MEDIUM", "HIGH")
    return str(rng.choice(_BY_LEVEL[names[min(max(level, 0), 3)]]))


def _spelling(k: int, kind: str, name: str) -> str:
    """How the source writes a facility: mostly 'FCI ALICEVILLE', sometimes otherwise."""
    if k % 10 == 3:
        return f"{name.upper()} {kind}"
    if k % 10 == 7:
        return name
    return f"{kind} {name.upper()}"


def _stamps(dates: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    """Scrape timestamps with a time zone name, as the public pages show them."""
    secs = rng.integers(6 * 3600, 11 * 3600, size=len(dates))
    times = pd.to_timedelta(secs, unit="s")
    text = (dates + times).strftime("%Y-%m-%d %H:%M:%S")
    summer = (dates.month > 3) & (dates.month < 11)
    return np.char.add(np.asarray(text, dtype=str), np.where(summer, " EDT", " EST"))


def facility_counts_frame(
    start: dt.date,
    days: int,
    rng: np.random.Generator,
    home_population: Sequence[int],
    home_rated: int,
    home_pending: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """One row per facility and day; FCC Example carries its own roster counts."""
    dates = pd.date_range(start, periods=days, freq="D")
    t = np.arange(days)
    frames = []
    for k, (code, kind, name, level, region, sex, base) in enumerate(FACILITIES):
        trend = rng.normal(0, 0.04) * t / 365
        season = rng.uniform(0.005, 0.02) * np.sin(2 * np.pi * (t + rng.integers(0, 365)) / 365.25)
        walk = np.cumsum(rng.normal(0, 0.0025, size=days))
        pop = np.round(base * (1 + trend + season + walk - walk.mean())).astype(int)
        rated = int(round(base / rng.uniform(0.85, 1.3), -1))
        rated_col = np.full(days, rated)
        if k == 5:  # a housing unit taken off line mid-period
            rated_col[days // 2 :] = rated - 120
        spelled = np.full(days, _spelling(k, kind, name), dtype=object)
        if code == "ALI":  # the source changed its spelling mid-period
            spelled[2 * days // 3 :] = f"{name.upper()} {kind}"
        frames.append(
            pd.DataFrame(
                {
                    "title": spelled,
                    "datetime_of_data": _stamps(dates, rng),
                    "population": [f"{p:,}" if k % 2 == 0 else str(p) for p in pop],
                    "rated_capacity": rated_col,
                    "pending_in": rng.poisson(base / 90, size=days),
                    "pending_out": rng.poisson(base / 110, size=days),
                    "security_level": level,
                    "region": region,
                    "sex": sex,
                }
            )
        )
    pending_in, pending_out = (
        home_pending if home_pending is not None else (rng.poisson(40, size=days), rng.poisson(15, size=days))
    )
    frames.append(
        pd.DataFrame(
            {
                "title": HOME_NAME.upper(),
                "datetime_of_data": _stamps(dates, rng),
                "population": [f"{p:,}" for p in home_population],
                "rated_capacity": home_rated,
                "pending_in": pending_in,
                "pending_out": pending_out,
                "security_level": "MEDIUM",
                "region": "Southeast",
                "sex": "M",
            }
        )
    )
    return pd.concat(frames, ignore_index=True)
