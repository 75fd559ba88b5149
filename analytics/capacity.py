"""Capacity: occupancy and crowding per unit, per unit security level and for the facility.

Crowding % = (population - rated) / rated x 100 (domain.md section 4), as the agency's
capacity sheet prints it: a whole number rounded half up (2.5 -> 3, -2.5 -> -2, that is
floor(x + 0.5)), 0 % for a population of 0 (a unit not in use), unknown when the rated
capacity is missing or 0. The rounding is done in integer arithmetic, never in binary
floating point, so 12.5 % is 13 % and not 12 %.

Occupancy = population / capacity, compared with the facility's thresholds: status
"critical" at or above the critical threshold, "warning" at or above the warning
threshold, "ok" below. Operational capacity falls back to the rated capacity for a unit
that has none (as `Facility.operational_capacity` does).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.percent import half_up_percents
from loaders.config import Facility

SHEET_COLUMNS = [
    "facility",
    "population",
    "rated_capacity",
    "crowding_pct",
    "pending_in",
    "pending_out",
    "projected",
    "projected_crowding_pct",
]


def _int_series(values: object) -> pd.Series:
    s = values if isinstance(values, pd.Series) else pd.Series(values, dtype="object")
    return s.astype("Int64")


def crowding_pct(population: pd.Series, rated: pd.Series) -> pd.Series:
    """Crowding % as a nullable Int64: (pop - rated) / rated as a half-up percentage, 0 for an empty unit."""
    pop = _int_series(population)
    cap = _int_series(rated).set_axis(pop.index)
    pct = half_up_percents(pop - cap, cap)
    return pct.mask(pop.eq(0) & pct.notna(), 0)


def capacity_sheet(counts: pd.DataFrame, keys: pd.Series | None = None) -> pd.DataFrame:
    """The agency's capacity sheet for the latest date of a facility_counts frame.

    One row per institution of that date, in file order, with exactly SHEET_COLUMNS. `keys`
    (aligned with `counts`): the institution of each row, as `analytics.national.institution_keys_of`
    gives it; two spellings of one institution ("FCI ALICEVILLE", "Aliceville FCI") are then
    one row under the first spelling written with the figures of the last row (as the national
    view counts them), and members of a complex stay apart. Without keys, rows as written.
    A missing pending count shows as null and so does `projected`: no count is not zero pending.
    """
    if counts.empty or counts["date"].notna().sum() == 0:
        return pd.DataFrame({c: pd.Series(dtype="Int64") for c in SHEET_COLUMNS}).astype({"facility": "str"})
    latest = counts.loc[counts["date"] == counts["date"].max()]
    if "line" in latest.columns:
        latest = latest.sort_values("line", kind="stable")
    label = latest["facility"].astype("str")
    if keys is not None:
        key = keys.loc[latest.index].astype("str")
        label = key.map(label.groupby(key).first())  # the first spelling written names the row
        # One row per institution, in the order each was first written, with its last row's figures.
        first = pd.Series(np.arange(len(key)), index=key.index).groupby(key).transform("min").to_numpy()
        keep = ~key.duplicated(keep="last").to_numpy()
        order = np.argsort(first[keep], kind="stable")
        latest, label = latest.loc[keep].iloc[order], label.loc[keep].iloc[order]

    def col(name: str) -> pd.Series:
        if name in latest.columns:
            return latest[name].astype("Int64")
        return pd.Series(pd.NA, index=latest.index, dtype="Int64")

    pop, rated = col("population"), col("rated_capacity")
    pin, pout = col("pending_in"), col("pending_out")
    projected = pop + pin - pout  # nullable: unknown when either pending count is
    sheet = pd.DataFrame(
        {
            "facility": label.astype("str"),
            "population": pop,
            "rated_capacity": rated,
            "crowding_pct": crowding_pct(pop, rated),
            "pending_in": pin,
            "pending_out": pout,
            "projected": projected,
            "projected_crowding_pct": crowding_pct(projected, rated),
        }
    )
    return sheet.reset_index(drop=True)


@dataclass(frozen=True)
class CapacityView:
    """Capacity at three levels of detail: per unit, per unit security level, facility."""

    units: pd.DataFrame
    levels: pd.DataFrame
    facility: pd.DataFrame
    unknown_units: list[str]


def unit_counts(roster: pd.DataFrame, facility: Facility) -> tuple[pd.Series, list[str]]:
    """Population per configured unit (0 for an empty unit), and roster units the facility lacks."""
    names = [u.name for u in facility.units]
    by_key = {n.strip().upper(): n for n in names}
    keys = roster["unit"].astype("str").str.strip().str.upper()
    counts = keys.value_counts()
    unknown = sorted(k for k in counts.index if k not in by_key)
    per_unit = pd.Series([int(counts.get(n.strip().upper(), 0)) for n in names], index=names, dtype="int64")
    return per_unit, unknown


def _measures(frame: pd.DataFrame, facility: Facility) -> pd.DataFrame:
    """Add occupancy, crowding and status columns to frame(population, rated, operational)."""
    th = facility.thresholds
    out = frame.copy()
    for basis in ("rated", "operational"):
        cap = out[f"{basis}_capacity"].to_numpy(dtype=np.int64)
        pop = out["population"].to_numpy(dtype=np.int64)
        with np.errstate(divide="ignore", invalid="ignore"):
            occ = np.where(cap > 0, pop / np.where(cap > 0, cap, 1), np.nan)
        out[f"occupancy_{basis}"] = pd.array(occ, dtype="Float64")
        out[f"crowding_pct_{basis}"] = crowding_pct(out["population"], out[f"{basis}_capacity"])
        # No capacity at all: any population is over it; an empty unit without beds is fine.
        over = np.where(cap > 0, occ >= th.occupancy_critical, pop > 0)
        warn = np.where(cap > 0, occ >= th.occupancy_warning, pop > 0)
        out[f"status_{basis}"] = pd.Series(
            np.where(over, "critical", np.where(warn, "warning", "ok")), index=out.index, dtype="str"
        )
    return out


def capacity_view(roster: pd.DataFrame, facility: Facility) -> CapacityView:
    """Occupancy, crowding % and threshold status per unit, per unit level and for the facility."""
    pop, unknown = unit_counts(roster, facility)
    units = pd.DataFrame(
        {
            "unit": [u.name for u in facility.units],
            "security_level": [facility.unit_level(u.name) for u in facility.units],
            "population": pop.to_numpy(),
            "rated_capacity": [u.rated_capacity for u in facility.units],
            "operational_capacity": [
                u.operational_capacity if u.operational_capacity is not None else u.rated_capacity
                for u in facility.units
            ],
        }
    ).astype({"unit": "str", "security_level": "str"})
    sums = ["population", "rated_capacity", "operational_capacity"]
    levels = units.groupby("security_level", sort=False)[sums].sum().reset_index()
    order = {lv: i for i, lv in enumerate(("MINIMUM", "LOW", "MEDIUM", "HIGH", "ADMINISTRATIVE"))}
    levels = levels.sort_values("security_level", key=lambda s: s.map(order)).reset_index(drop=True)
    total = units[sums].sum().to_frame().T.astype("int64")
    # Inmates in units the facility does not list still count towards the facility total.
    total["population"] = int(len(roster))
    total.insert(0, "facility", facility.facility.name)
    return CapacityView(
        units=_measures(units, facility),
        levels=_measures(levels, facility),
        facility=_measures(total.astype({"facility": "str"}), facility),
        unknown_units=unknown,
    )
