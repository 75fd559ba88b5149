"""The engine against a deliberately plain, row-by-row re-statement of domain.md section 5.

A seeded generator makes a few thousand inmates whose dates sit on and around every boundary;
the re-statement below uses only the standard library and the numbers written in domain.md
(not the rules file), so it checks the shipped rules file and the engine together.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from analytics.flags import evaluate_flags

AS_OF = date(2026, 11, 22)
ORDER = ["MINIMUM", "LOW", "MEDIUM", "HIGH"]
# domain.md section 2: PSF floors (male, female); any PSF rules out MINIMUM.
FLOORS = {
    "DISRUPTIVE GROUP": ("HIGH", "LOW"),
    "DSG": ("HIGH", "LOW"),
    "GREATEST SEVERITY OFFENSE": ("LOW", "LOW"),
    "SEX OFFENDER": ("LOW", "LOW"),
    "THREAT TO GOVERNMENT OFFICIALS": ("LOW", "LOW"),
    "DEPORTABLE ALIEN": ("LOW", "LOW"),
    "VIOLENT BEHAVIOR": ("LOW", "LOW"),
    "SERIOUS ESCAPE": ("MEDIUM", "LOW"),
    "PRISON DISTURBANCE": ("MEDIUM", "MEDIUM"),
    "JUVENILE VIOLENCE": ("LOW", "LOW"),
    "SERIOUS TELEPHONE ABUSE": ("LOW", "LOW"),
}
SENTENCE = {"SENTENCE LENGTH", "SLG"}
PSF_CHOICES = list(FLOORS) + ["SENTENCE LENGTH", "SLG", "SOMETHING NEW"]
CUSTODY_ALLOWED = {
    "MINIMUM": {"OUT", "COMMUNITY"},
    "LOW": {"IN", "OUT", "COMMUNITY"},
    "MEDIUM": {"IN", "OUT"},
    "HIGH": {"MAXIMUM", "IN"},
    "ADMINISTRATIVE": {"MAXIMUM", "IN", "OUT", "COMMUNITY"},
}
MGTVS = ["POPULATION MANAGEMENT", "WORK CADRE", "LOCAL CODE"]


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def required(scored: str, psf: str | None, female: bool, prd: date | None) -> str:
    """R(i) = max(scored, every PSF floor)."""
    levels = [scored]
    for name in psf.split(";") if psf else []:
        if name in SENTENCE:
            floor = "LOW"
            if prd is not None:
                for years, lvl in ((30, "HIGH"), (20, "MEDIUM"), (10, "LOW")):
                    if prd > add_years(AS_OF, years):
                        floor = lvl
                        break
            levels.append(floor)
        elif name in FLOORS:
            levels.append(FLOORS[name][1 if female else 0])
        else:
            levels.append("LOW")
    return max(levels, key=ORDER.index)


def restate(row: dict, unit_level: str, facility_sex: str) -> set[str]:
    """Every rule of domain.md section 5 for one inmate, written out plainly."""
    out = set()
    scored, sex = row["security_level"], row["sex"] or facility_sex
    exp, mgtv = row["mgtv_expires"], row["mgtv"]
    active = mgtv is not None and (exp is None or exp >= AS_OF)
    expired = mgtv is not None and exp is not None and exp < AS_OF
    if unit_level != "ADMINISTRATIVE" and scored != "UNASSIGNED":
        r = ORDER.index(required(scored, row["psf"], sex == "F", row["projected_release_date"]))
        u = ORDER.index(unit_level)
        if r > u and not active:
            out.add("SEC-ABOVE")
        if r < u and not active:
            out.add("SEC-BELOW")
        if expired and r != u:
            out.add("MGTV-EXPIRED")
        if active and exp is not None and 0 <= (exp - AS_OF).days <= 30 and r != u:
            out.add("MGTV-EXPIRING")
    arrival = row["arrival_date"]
    if scored == "UNASSIGNED" and arrival is not None and (AS_OF - arrival).days > 28:
        out.add("UNCLASSIFIED")
    if row["custody"] not in CUSTODY_ALLOWED[unit_level]:
        out.add("CUSTODY-UNIT")
    med, mh = row["medical_care_level"], row["mental_health_care_level"]
    if (med is not None and med > 2) or (mh is not None and mh > 2):
        out.add("CARE-LEVEL")
    initial = row["initial_classification_date"]
    if initial is None and arrival is not None and (AS_OF - arrival).days > 28:
        out.add("CLASSIFICATION-OVERDUE")
    last = row["last_program_review_date"] or initial
    prd = row["projected_release_date"]
    if last is not None:
        limit = 90 if prd is not None and 0 <= (prd - AS_OF).days <= 365 else 180
        if (AS_OF - last).days > limit:
            out.add("REVIEW-OVERDUE")
    return out


def _offsets(rng, n: int, choices: list[int | None]) -> list[date | None]:
    picked = rng.choice(len(choices), n)
    return [None if choices[i] is None else AS_OF + timedelta(days=choices[i]) for i in picked]


def generate(n: int, units: list[str], seed: int) -> list[dict]:
    """Inmates with every field drawn on and around its boundaries."""
    rng = np.random.default_rng(seed)
    release = [None, -1, 0, 1, 364, 365, 366, 2000]
    release += [(add_years(AS_OF, y) - AS_OF).days + d for y in (10, 20, 30) for d in (-1, 0, 1)]
    cols = {
        "unit": [units[i] for i in rng.integers(0, len(units), n)],
        "security_level": [ORDER[i] if i < 4 else "UNASSIGNED" for i in rng.integers(0, 5, n)],
        "custody": [["MAXIMUM", "IN", "OUT", "COMMUNITY"][i] for i in rng.integers(0, 4, n)],
        "sex": [[None, "M", "F"][i] for i in rng.integers(0, 3, n)],
        "arrival_date": _offsets(rng, n, [None, 0, -27, -28, -29, -30, -400]),
        "mgtv_expires": _offsets(rng, n, [None, -1, 0, 1, 29, 30, 31, 200]),
        "initial_classification_date": _offsets(rng, n, [None, -5, -90, -91, -180, -181, -400]),
        "last_program_review_date": _offsets(rng, n, [None, None, -89, -90, -91, -179, -180, -181, -182]),
        "projected_release_date": _offsets(rng, n, release),
    }
    psf = []
    for k in rng.integers(0, 4, n):
        psf.append(";".join(PSF_CHOICES[i] for i in rng.choice(len(PSF_CHOICES), k, replace=False)) or None)
    cols["psf"] = psf
    cols["mgtv"] = [MGTVS[i] if i < 3 else None for i in rng.integers(0, 6, n)]
    cols["medical_care_level"] = [None if i == 0 else int(i) for i in rng.integers(0, 5, n)]
    cols["mental_health_care_level"] = [None if i == 0 else int(i) for i in rng.integers(0, 5, n)]
    rows = [{k: v[i] for k, v in cols.items()} for i in range(n)]
    for i, row in enumerate(rows):
        row["register_number"] = f"{30000 + i // 1000:05d}-{i % 1000:03d}"
    return rows


def to_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for c in ("register_number", "unit", "security_level", "custody", "sex", "psf", "mgtv"):
        df[c] = df[c].astype("str")
    for c in (
        "arrival_date",
        "mgtv_expires",
        "initial_classification_date",
        "last_program_review_date",
        "projected_release_date",
    ):
        df[c] = pd.to_datetime(df[c]).astype("datetime64[us]")
    for c in ("medical_care_level", "mental_health_care_level"):
        df[c] = df[c].astype("Int64")
    return df


@pytest.mark.parametrize("seed", [1, 2])
def test_engine_agrees_with_the_restatement_on_every_inmate(facility, rules, seed):
    rows = generate(3000, [u.name for u in facility.units], seed)
    levels, sex = facility.unit_levels, facility.facility.sex
    expected = {(row["register_number"], rule) for row in rows for rule in restate(row, levels[row["unit"]], sex)}
    report = evaluate_flags(to_frame(rows), facility, rules, pd.Timestamp(AS_OF))
    got = set(zip(report.flags["register_number"], report.flags["rule"]))
    assert got == expected, (sorted(got - expected)[:5], sorted(expected - got)[:5])
    assert len(got) == len(report.flags)  # one flag per inmate per rule
    assert report.flags["explanation"].str.len().min() > 10
    # every rule has cases on both sides in the generated data
    assert {rule for _, rule in expected} >= {
        "SEC-ABOVE",
        "SEC-BELOW",
        "MGTV-EXPIRED",
        "MGTV-EXPIRING",
        "UNCLASSIFIED",
        "CUSTODY-UNIT",
        "CARE-LEVEL",
        "CLASSIFICATION-OVERDUE",
        "REVIEW-OVERDUE",
    }


def test_designations_agree_with_the_restatement(facility, rules):
    rng = np.random.default_rng(5)
    rows = generate(1500, ["A1"], 9)
    for i, row in enumerate(rows):
        row["register_number"] = f"40000-{i % 1000:03d}" if i < 1000 else f"40001-{i % 1000:03d}"
        row["designation_date"] = AS_OF - timedelta(days=int(rng.integers(0, 90)))
    frame = to_frame(rows)[
        [
            "register_number",
            "security_level",
            "designation_date",
            "psf",
            "mgtv",
            "mgtv_expires",
            "sex",
            "projected_release_date",
        ]
    ]
    frame["designation_date"] = pd.to_datetime(frame["designation_date"]).astype("datetime64[us]")
    highest = ORDER.index(facility.highest_unit_level)
    expected = set()
    for row in rows:
        exp, mgtv = row["mgtv_expires"], row["mgtv"]
        active = mgtv is not None and (exp is None or exp >= AS_OF)
        if row["security_level"] != "UNASSIGNED" and not active:
            r = required(row["security_level"], row["psf"], (row["sex"] or "M") == "F", row["projected_release_date"])
            if ORDER.index(r) > highest:
                expected.add(row["register_number"])
    report = evaluate_flags(to_frame(rows[:1]).iloc[0:0], facility, rules, pd.Timestamp(AS_OF), designations=frame)
    got = set(report.flags.loc[report.flags["rule"] == "DESIG-LEVEL", "register_number"])
    assert got == expected and len(expected) > 50
