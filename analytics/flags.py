"""Security-level and classification flags: every rule of domain.md section 5.

`evaluate_flags` runs each rule over a canonical roster frame (loaders' `.frame`) and, when
given, the pending designations. A rule whose input column is absent is not run: it is listed
in `FlagReport.skipped` with the reason, never passed silently.

Decisions where domain.md leaves room (documented here so a reviewer can check them):
- SEC-* and MGTV-* need the `psf` and `mgtv` columns (R(i) and "no active MGTV" cannot be
  known without them); MGTV-* also need `mgtv_expires`. Without `mgtv_expires` every MGTV
  counts as having no expiry date (active), and a warning says so.
- A unit the facility file does not list has no level: its inmates are not checked by the
  unit-level rules (SEC-*, MGTV-*, CUSTODY-UNIT) and a warning counts them.
- REVIEW-OVERDUE needs `last_program_review_date`; an inmate with neither a review nor an
  initial classification date gets no REVIEW-OVERDUE (CLASSIFICATION-OVERDUE covers that).
  Without `projected_release_date` every inmate is held to the 180-day interval (warned).
- CARE-LEVEL runs on whichever care-level column is present (warned when one is missing).
- DESIG-LEVEL: every row of the designations frame is a pending inbound designation. Its
  required level is R(i) computed as for the roster; an UNASSIGNED designation has none and
  is not flagged. "With no MGTV" is read as no active MGTV (an expired one justifies
  nothing, section 5). It needs the `psf` and `mgtv` columns of the designations frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics import _flag_rules as flag_rules
from analytics.levels import NO_LEVEL, RANK, as_of_timestamp, level_names, required_levels
from loaders.config import Facility, Rules

COLUMNS = ["register_number", "rule", "severity", "unit", "explanation"]
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
INBOUND = "(inbound)"

# rule id -> (function, roster columns it needs)
ROSTER_RULES = {
    "SEC-ABOVE": (flag_rules.sec_above, ("security_level", "unit", "psf", "mgtv")),
    "SEC-BELOW": (flag_rules.sec_below, ("security_level", "unit", "psf", "mgtv")),
    "MGTV-EXPIRED": (flag_rules.mgtv_expired, ("security_level", "unit", "psf", "mgtv", "mgtv_expires")),
    "MGTV-EXPIRING": (flag_rules.mgtv_expiring, ("security_level", "unit", "psf", "mgtv", "mgtv_expires")),
    "UNCLASSIFIED": (flag_rules.unclassified, ("security_level", "arrival_date")),
    "CUSTODY-UNIT": (flag_rules.custody_unit, ("custody", "unit")),
    "CARE-LEVEL": (flag_rules.care_level, ()),  # either care-level column: checked below
    "CLASSIFICATION-OVERDUE": (flag_rules.classification_overdue, ("initial_classification_date", "arrival_date")),
    "REVIEW-OVERDUE": (flag_rules.review_overdue, ("last_program_review_date",)),
}
RULE_IDS = tuple(ROSTER_RULES) + ("DESIG-LEVEL",)


@dataclass
class FlagReport:
    """Flags (one row per inmate and rule), rules not run and why, and data warnings."""

    flags: pd.DataFrame
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _missing(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[str]:
    return [c for c in columns if c not in frame]


def _skip_reason(what: str, missing: list[str]) -> str:
    cols = ", ".join(missing)
    return f"the {what} has no {cols} column" + ("s" if len(missing) > 1 else "")


def _roster_flags(ctx: flag_rules.Context, skipped: list[tuple[str, str]]) -> list[pd.DataFrame]:
    out = []
    r = ctx.roster
    for rule, (fn, needs) in ROSTER_RULES.items():
        missing = _missing(r, tuple(dict.fromkeys(("register_number", "unit") + needs)))  # every flag names both
        if rule == "CARE-LEVEL" and not ctx.has("medical_care_level") and not ctx.has("mental_health_care_level"):
            skipped.append((rule, "the roster has neither a medical_care_level nor a mental_health_care_level column"))
            continue
        if missing:
            skipped.append((rule, _skip_reason("roster", missing)))
            continue
        mask, explain = fn(ctx)
        pos = np.flatnonzero(mask)
        out.append(
            pd.DataFrame(
                {
                    "register_number": flag_rules.text(r["register_number"], pos),
                    "rule": rule,
                    "unit": flag_rules.text(r["unit"], pos),
                    "explanation": explain(pos),
                }
            )
        )
    return out


def _roster_warnings(ctx: flag_rules.Context) -> list[str]:
    r = ctx.roster
    warnings: list[str] = []
    if r.empty:  # no inmate is affected by a missing column (the designations page passes an empty roster)
        return warnings
    if ctx.has("security_level", "psf") and ctx.req.unknown_rows:
        warnings.append(_unknown_psf_warning(ctx.req.unknown_rows, "inmate", ctx.req.unknown_psf))
    if ctx.has("mgtv") and ctx.rules.mgtv.known:
        names = r["mgtv"][ctx.mgtv_present].astype("str").str.strip()
        unknown = names[~names.isin(ctx.rules.mgtv.known)]
        if len(unknown):
            warnings.append(
                f"{_count(len(unknown), 'inmate')} MGTV names the rules file does not know "
                f"(still honoured): {', '.join(sorted(set(unknown)))}"
            )
        if not ctx.has("mgtv_expires") and ctx.mgtv_present.any():
            warnings.append("the roster has no mgtv_expires column: every MGTV counts as having no expiry date")
    unlisted = int((ctx.unit_level == "").sum()) if ctx.has("unit") else 0
    if unlisted:
        warnings.append(
            f"{unlisted} inmate(s) are in units the facility file does not list: not checked against a unit level"
        )
    for column, _words, _ in flag_rules.CARE:
        other = [c for c, _, _ in flag_rules.CARE if c != column][0]
        if column not in r and other in r:
            warnings.append(f"CARE-LEVEL checks only one care level: the roster has no {column} column")
    if ctx.has("last_program_review_date"):
        if not ctx.has("projected_release_date"):
            warnings.append(
                "REVIEW-OVERDUE uses the "
                f"{ctx.rules.days.program_review}-day interval for everyone: the roster has no "
                "projected_release_date column"
            )
        if not ctx.has("initial_classification_date"):
            warnings.append(
                "REVIEW-OVERDUE cannot fall back on the initial classification: "
                "the roster has no initial_classification_date column"
            )
    return warnings


def _unknown_psf_warning(rows: int, who: str, names: tuple[str, ...]) -> str:
    return f"{_count(rows, who)} PSF names the rules file does not know, counted as LOW: {', '.join(names)}"


def _count(n: int, noun: str) -> str:
    """'1 inmate carries' / '3 inmates carry'."""
    return f"1 {noun} carries" if n == 1 else f"{n} {noun}s carry"


def desig_level(
    designations: pd.DataFrame, facility: Facility, rules: Rules, as_of: pd.Timestamp, warnings: list[str]
) -> pd.DataFrame:
    """DESIG-LEVEL: pending designations whose required level is above the highest unit level, with no active MGTV."""
    own, highest = facility.facility.security_level, facility.highest_unit_level
    d = flag_rules.as_dates(designations.reset_index(drop=True))
    if own == "ADMINISTRATIVE" or highest is None:  # it holds every level
        return pd.DataFrame(columns=["register_number", "rule", "unit", "explanation"])
    req = required_levels(d, rules, as_of, facility.facility.sex)
    if req.unknown_rows:
        warnings.append(_unknown_psf_warning(req.unknown_rows, "pending designation", req.unknown_psf))
    m = d["mgtv"]
    present = (m.notna() & m.astype("str").str.strip().ne("")).to_numpy(dtype=bool)
    if "mgtv_expires" in d:
        present = present & ~((d["mgtv_expires"] - as_of).dt.days.to_numpy(dtype=float) < 0)
    mask = (req.scored != NO_LEVEL) & (req.required > RANK[highest]) & ~present
    pos = np.flatnonzero(mask)
    explanation = (
        "designated "
        + flag_rules.date_text(d["designation_date"], pos)
        + "; "
        + req.explain(pos)
        + "required "
        + flag_rules.text(level_names(req.required), pos)
        + f" is above the institution's highest unit level {highest}; no active MGTV"
    )
    return pd.DataFrame(
        {
            "register_number": flag_rules.text(d["register_number"], pos),
            "rule": "DESIG-LEVEL",
            "unit": INBOUND,
            "explanation": explanation,
        }
    )


def evaluate_flags(
    roster: pd.DataFrame, facility: Facility, rules: Rules, as_of: object, designations: pd.DataFrame | None = None
) -> FlagReport:
    """Every flag of domain.md section 5 for a roster (and pending designations) at the as-of date."""
    as_of = as_of_timestamp(as_of)
    ctx = flag_rules.Context(roster.reset_index(drop=True), facility, rules, as_of)
    skipped: list[tuple[str, str]] = []
    parts = _roster_flags(ctx, skipped)
    warnings = _roster_warnings(ctx)
    if designations is None:
        skipped.append(("DESIG-LEVEL", "no designations file was given"))
    else:
        missing = _missing(designations, ("security_level", "designation_date", "psf", "mgtv"))
        if missing:
            skipped.append(("DESIG-LEVEL", _skip_reason("designations file", missing)))
        else:
            parts.append(desig_level(designations, facility, rules, as_of, warnings))
    return FlagReport(_assemble(parts, rules), skipped, warnings)


def _assemble(parts: list[pd.DataFrame], rules: Rules) -> pd.DataFrame:
    """One table in COLUMNS order: severity high to low, then rule, unit and register number."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in COLUMNS})
    flags = pd.concat(parts, ignore_index=True)
    # Severities come from the rules file only (its [severity] table, domain.md section 5).
    flags["severity"] = flags["rule"].map(rules.severity).astype("str")
    flags = flags.drop_duplicates(["register_number", "rule"])  # one flag per inmate per rule
    order = flags["severity"].map(SEVERITY_ORDER)
    flags = flags.assign(_o=order).sort_values(["_o", "rule", "unit", "register_number"], kind="stable")
    return flags[COLUMNS].reset_index(drop=True).astype("str")
