"""The designation pipeline: who is coming, who is leaving, and the population that leaves us with.

What counts as pending (data-contract.md fixes the file kinds, this module fixes the reading):

- designations: every row of the pending-designations file is a pending inbound designation,
  whatever its status (AWAITING TRANSPORT, IN TRANSIT, VOLUNTARY SURRENDER, HOLDOVER, blank);
- redesignations: PENDING, APPROVED and IN TRANSIT are pending; DENIED, COMPLETED and
  CANCELLED are not (decided against, or already reflected in the roster).

Age of a designation = as-of date - designation date, in days, bucketed 0-7, 8-30, 31-60
and "over 60" (both ends inclusive: 7 is "0-7", 8 is "8-30", 60 is "31-60", 61 is "over 60").
A designation dated after the as-of date has no bucket and is reported.

Projected population = current + pending in - pending out, per security level and for the
facility. Levels are the inmates' own security levels (the roster's, the designation's, a
redesignation IN's target level, else its level), beside the rated capacity of the units of
that level; ADMINISTRATIVE units' capacity counts in the facility row only. An inmate is
counted once: a pending IN already on the roster and a pending OUT not on it change nothing
(both are reported), and a register number both designated and redesignated IN counts once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics.capacity import crowding_pct
from analytics.flags import evaluate_flags
from analytics.movements import text_isin
from loaders.config import LEVELS, Facility, Rules

AGE_BUCKETS = ("0-7", "8-30", "31-60", "over 60")
PENDING_REDESIGNATION = ("PENDING", "APPROVED", "IN TRANSIT")
POPULATION_LEVELS = LEVELS + ("UNASSIGNED",)
NO_STATUS = "NOT GIVEN"
FACILITY_ROW = "FACILITY"


@dataclass(frozen=True)
class Pipeline:
    """Inbound designations, redesignations both ways, and the projected population."""

    as_of: date
    designations: pd.DataFrame  # register_number, security_level, status, designation_date, age_days, age_bucket
    by_status_age: pd.DataFrame  # status x age bucket counts
    by_level_age: pd.DataFrame  # security level x age bucket counts
    desig_flags: pd.DataFrame  # DESIG-LEVEL flags from the flag engine
    redesignations: pd.DataFrame  # direction, transfer_type, status, count, pending
    projection: pd.DataFrame  # security_level (+ FACILITY), current, pending_in, pending_out, projected, ...
    notes: list[str] = field(default_factory=list)


def age_buckets(age_days: pd.Series) -> pd.Series:
    """Bucket label for each age in days: 0-7, 8-30, 31-60, over 60 (<NA> when negative or unknown)."""
    return pd.cut(age_days.astype("Float64"), bins=[-0.5, 7.5, 30.5, 60.5, float("inf")], labels=list(AGE_BUCKETS))


def designation_ages(designations: pd.DataFrame, as_of: object) -> pd.DataFrame:
    """Pending designations with age_days (as-of - designation date) and age_bucket."""
    ts = pd.Timestamp(as_of).normalize()
    cols = [
        c
        for c in ("register_number", "security_level", "status", "designation_date", "expected_arrival_date")
        if c in designations.columns
    ]
    out = designations[cols].reset_index(drop=True)
    if "status" not in out.columns:
        out["status"] = pd.Series(pd.NA, index=out.index, dtype="str")
    out["status"] = out["status"].fillna(NO_STATUS).astype("str")
    out["age_days"] = (ts - out["designation_date"]).dt.days.astype("Int64")
    out["age_bucket"] = age_buckets(out["age_days"])
    return out


def _crosstab(frame: pd.DataFrame, rows: str, order: tuple[str, ...] | None = None) -> pd.DataFrame:
    table = pd.crosstab(frame[rows], frame["age_bucket"], dropna=False).reindex(columns=list(AGE_BUCKETS), fill_value=0)
    if order is not None:
        table = table.reindex(list(order) + [i for i in table.index if i not in order], fill_value=0)
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.reset_index().astype(dict.fromkeys((*AGE_BUCKETS, "total"), "int64"))


def redesignation_summary(redesignations: pd.DataFrame | None) -> pd.DataFrame:
    """Counts of redesignations by direction, transfer type and status, with a pending flag."""
    cols = ["direction", "transfer_type", "status", "count", "pending"]
    if redesignations is None or redesignations.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="bool" if c == "pending" else "int64" if c == "count" else "str") for c in cols}
        )
    keys = ["direction", "transfer_type", "status"]
    out = redesignations[keys].fillna("NOT GIVEN").astype("str").value_counts().rename("count").reset_index()
    out["pending"] = out["status"].isin(PENDING_REDESIGNATION)
    return out.sort_values(keys, kind="stable").reset_index(drop=True)[cols]


def _level(series: pd.Series) -> pd.Series:
    return series.astype("str").where(series.isin(POPULATION_LEVELS), "UNASSIGNED")


def _movers(
    roster: pd.DataFrame, designations: pd.DataFrame, redesignations: pd.DataFrame | None, notes: list[str]
) -> tuple[pd.Series, pd.Series]:
    """Security level of every distinct pending arrival and pending departure (by register number)."""
    on_roster = roster["register_number"]
    ins = [designations[["register_number", "security_level"]]]
    outs = pd.DataFrame({"register_number": pd.Series(dtype="str")})
    if redesignations is not None and not redesignations.empty:
        pending = redesignations.loc[redesignations["status"].isin(PENDING_REDESIGNATION)]
        rin = pending.loc[pending["direction"] == "IN"]
        level = rin["security_level"] if "security_level" in rin.columns else pd.Series(pd.NA, index=rin.index)
        if "target_security_level" in rin.columns:
            level = rin["target_security_level"].fillna(level)
        ins.append(pd.DataFrame({"register_number": rin["register_number"], "security_level": level}))
        outs = pending.loc[pending["direction"] == "OUT", ["register_number"]]
    inbound = pd.concat(ins, ignore_index=True).drop_duplicates("register_number")
    here = text_isin(inbound["register_number"], on_roster)
    if here.any():
        notes.append(f"{int(here.sum())} pending arrival(s) are already on the roster: not counted again")
    outbound = outs.drop_duplicates("register_number")
    gone = ~text_isin(outbound["register_number"], on_roster)
    if gone.any():
        notes.append(f"{int(gone.sum())} pending departure(s) are not on the roster: not subtracted")
    roster_level = roster.drop_duplicates("register_number").set_index("register_number")["security_level"]
    out_level = outbound.loc[~gone, "register_number"].map(roster_level)
    return _level(inbound.loc[~here, "security_level"]), _level(out_level)


def project_population(
    roster: pd.DataFrame,
    designations: pd.DataFrame,
    redesignations: pd.DataFrame | None,
    facility: Facility,
    notes: list[str] | None = None,
) -> pd.DataFrame:
    """current + pending in - pending out per security level and for the facility, against rated capacity."""
    notes = [] if notes is None else notes
    pin, pout = _movers(roster, designations, redesignations, notes)
    index = list(POPULATION_LEVELS)
    frame = pd.DataFrame(
        {
            "current": _level(roster["security_level"]).value_counts().reindex(index, fill_value=0),
            "pending_in": pin.value_counts().reindex(index, fill_value=0),
            "pending_out": pout.value_counts().reindex(index, fill_value=0),
        }
    ).astype("int64")
    frame.loc[FACILITY_ROW] = frame.sum()
    frame["projected"] = frame["current"] + frame["pending_in"] - frame["pending_out"]
    rated: dict[str, int] = {}
    for unit in facility.units:
        lvl = facility.unit_level(unit.name)
        rated[lvl] = rated.get(lvl, 0) + unit.rated_capacity
    rated[FACILITY_ROW] = facility.rated_capacity
    frame["rated_capacity"] = pd.array([rated.get(i) for i in frame.index], dtype="Int64")
    frame["crowding_pct"] = crowding_pct(frame["current"], frame["rated_capacity"])
    frame["projected_crowding_pct"] = crowding_pct(frame["projected"], frame["rated_capacity"])
    return frame.rename_axis("security_level").reset_index().astype({"security_level": "str"})


def _empty_roster() -> pd.DataFrame:
    """A roster with the required columns and no rows."""
    text = ("register_number", "unit", "security_level", "custody")
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in text})
    return frame.assign(arrival_date=pd.Series(dtype="datetime64[ns]"))


def designation_pipeline(
    roster: pd.DataFrame,
    designations: pd.DataFrame,
    redesignations: pd.DataFrame | None,
    facility: Facility,
    rules: Rules,
    as_of: object,
) -> Pipeline:
    """Everything the designations page shows, at the as-of date."""
    notes: list[str] = []
    ages = designation_ages(designations, as_of)
    future = int((ages["age_days"] < 0).sum())
    if future:
        notes.append(f"{future} designation(s) are dated after the as-of date: no age bucket")
    # DESIG-LEVEL comes from the flag engine; an empty roster keeps it to the designations.
    report = evaluate_flags(_empty_roster(), facility, rules, as_of, designations=designations)
    notes += [f"DESIG-LEVEL not checked: {why}" for rule, why in report.skipped if rule == "DESIG-LEVEL"]
    notes += report.warnings
    return Pipeline(
        as_of=pd.Timestamp(as_of).date(),
        designations=ages,
        by_status_age=_crosstab(ages, "status"),
        by_level_age=_crosstab(
            ages.assign(security_level=_level(ages["security_level"])), "security_level", POPULATION_LEVELS
        ),
        desig_flags=report.flags.loc[report.flags["rule"] == "DESIG-LEVEL"].reset_index(drop=True),
        redesignations=redesignation_summary(redesignations),
        projection=project_population(roster, designations, redesignations, facility, notes),
        notes=notes,
    )
