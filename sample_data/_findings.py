"""The sample findings log: Program Reviews, Operational Reviews and the CMC's self-audits.

Seven reviews of the home institution going back about seven years, laid out by
hand so the log holds what the analytics must find: findings that recur across
reviews (with the policy reference spelled differently in case and spacing), two
findings of one reference in the same review, a finding with no policy reference,
a discipline trending worse and one improving, corrective actions closed on time,
closed late, still open and overdue, and a few rows of another (made-up) facility.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

OTHER_FACILITY = "FCI Sample Ridge"

# key: discipline, policy reference, finding text, who answers for it
ITEMS = {
    "CP-REVIEW": (
        "Correctional Programs",
        "P5322.13 Sec. 7",
        "Program reviews not held within the required interval for {k} of {m} files sampled.",
        "Unit Manager",
    ),
    "CP-INITIAL": (
        "Correctional Programs",
        "P5322.13 Sec. 5",
        "Initial classification not held within 28 days of arrival for {k} of {m} arrivals sampled.",
        "Case Management Coordinator",
    ),
    "CP-CUSTODY": (
        "Correctional Programs",
        "P5100.08 Ch. 4",
        "Custody classification forms not updated after a change in security points ({k} of {m}).",
        "Case Management Coordinator",
    ),
    "CP-CIM": (
        "Correctional Programs",
        "P5180.05 Sec. 9",
        "New CIM assignments not reviewed within 60 days ({k} of {m}).",
        "Case Management Coordinator",
    ),
    "CS-JC": (
        "Correctional Systems",
        "P5800.15 Ch. 3",
        "Judgment and commitment files incomplete ({k} of {m} files sampled).",
        "Correctional Systems Manager",
    ),
    "CS-DETAINER": (
        "Correctional Systems",
        "P5800.15 Ch. 6",
        "Detainer notifications not sent before release for {k} of {m} releases sampled.",
        "Correctional Systems Manager",
    ),
    "PS-CARE": (
        "Psychology Services",
        "P5310.17 Sec. 4",
        "Mental health care level assessments not documented for {k} of {m} records.",
        "Chief Psychologist",
    ),
    "PS-WATCH": (
        "Psychology Services",
        "P5324.08 Sec. 3",
        "Suicide watch logs incomplete on {k} of {m} watches reviewed.",
        "Chief Psychologist",
    ),
    "HS-CARE": (
        "Health Services",
        "P6031.04 Ch. 2",
        "Care level assignments not reviewed after a change in condition ({k} of {m}).",
        "Health Services Administrator",
    ),
    "HS-MEDS": (
        "Health Services",
        "P6090.04 Sec. 5",
        "Medication administration records incomplete on {k} of {m} days checked.",
        "Health Services Administrator",
    ),
    "FS-TEMP": (
        "Food Service",
        "P4700.06 Ch. 4",
        "Food temperature logs missing for {k} of {m} meals checked.",
        "Food Service Administrator",
    ),
    "SF-FIRE": (
        "Safety",
        "P1600.11 Sec. 6",
        "Monthly fire inspections not documented for {k} of {m} areas.",
        "Safety Manager",
    ),
    "SF-HOUSE": ("Safety", "", "Housekeeping in the warehouse below standard.", "Safety Manager"),
    "ED-GED": (
        "Education",
        "P5350.28 Sec. 2",
        "Literacy program enrolment not tracked for {k} of {m} inmates.",
        "Supervisor of Education",
    ),
    "FM-ULO": (
        "Financial Management",
        "P2000.02 Ch. 3",
        "Unliquidated obligations not reviewed quarterly.",
        "Controller",
    ),
}

# (review type, years before the last day, findings, days allowed for corrective action)
Review: TypeAlias = tuple[str, float, tuple[str, ...], int]
REVIEWS: tuple[Review, ...] = (
    (
        "PROGRAM REVIEW",
        7.2,
        (
            "CP-REVIEW",
            "CP-CUSTODY",
            "CP-CUSTODY",
            "CS-JC",
            "HS-CARE",
            "HS-MEDS",
            "FS-TEMP",
            "SF-FIRE",
            "ED-GED",
            "SF-HOUSE",
        ),
        90,
    ),
    ("OPERATIONAL REVIEW", 6.0, ("CP-REVIEW", "HS-CARE", "FS-TEMP"), 90),
    (
        "PROGRAM REVIEW",
        4.6,
        ("CP-REVIEW", "CP-INITIAL", "CS-JC", "CS-DETAINER", "PS-CARE", "HS-CARE", "FM-ULO", "SF-FIRE"),
        90,
    ),
    ("OPERATIONAL REVIEW", 3.4, ("CP-REVIEW", "CP-INITIAL", "PS-CARE", "SF-HOUSE"), 90),
    (
        "PROGRAM REVIEW",
        2.1,
        (
            "CP-REVIEW",
            "CP-REVIEW",
            "CP-INITIAL",
            "CP-CIM",
            "CS-DETAINER",
            "PS-CARE",
            "PS-WATCH",
            "HS-MEDS",
            "ED-GED",
            "FS-TEMP",
        ),
        90,
    ),
    ("OPERATIONAL REVIEW", 0.95, ("CP-REVIEW", "CP-INITIAL", "CP-CIM", "CS-DETAINER", "PS-WATCH", "SF-FIRE"), 90),
    ("SELF AUDIT", 0.3, ("CP-REVIEW", "CP-INITIAL", "CP-CIM", "CP-CUSTODY", "CS-JC"), 60),
    ("SELF AUDIT", 0.08, ("CP-REVIEW", "PS-WATCH", "CP-CIM"), 45),
)
OTHER_REVIEWS: tuple[Review, ...] = (
    ("PROGRAM REVIEW", 5.1, ("CP-REVIEW", "HS-CARE"), 90),
    ("PROGRAM REVIEW", 1.8, ("CP-REVIEW", "FS-TEMP"), 90),
)
RATINGS = ("SUPERIOR", "GOOD", "ACCEPTABLE", "DEFICIENT", "AT RISK")


def _spell(ref: str, n: int) -> str:
    """The same reference as different people type it: case and spacing vary."""
    if not ref or n % 3 == 0:
        return ref
    if n % 3 == 1:
        return ref.upper().replace(" ", "  ", 1)
    return ref.lower()


def _rows(
    facility: str, reviews: Sequence[Review], end: dt.date, rng: np.random.Generator, seen: dict[tuple[str, str], int]
) -> list[dict[str, str]]:
    rows = []
    for r_type, years, keys, allowed in reviews:
        review = end - dt.timedelta(days=round(years * 365.25))
        per_discipline: dict[str, int] = {}
        for key in keys:
            per_discipline[ITEMS[key][0]] = per_discipline.get(ITEMS[key][0], 0) + 1
        for key in keys:
            discipline, ref, text, who = ITEMS[key]
            times = seen.get((facility, key), 0)
            seen[(facility, key)] = times + 1
            severity = (
                "SIGNIFICANT"
                if times >= 2 and ref
                else ("DEFICIENCY" if times or rng.random() < 0.6 else "OBSERVATION")
            )
            days = (allowed if severity != "SIGNIFICANT" else max(allowed - 30, 30)) + int(rng.integers(-7, 8))
            due = review + dt.timedelta(days=days)
            rating = (
                ""
                if r_type == "SELF AUDIT"
                else RATINGS[min(4, per_discipline[discipline] + (severity == "SIGNIFICANT"))]
            )
            rows.append(
                {
                    "facility": facility,
                    "review_type": r_type,
                    "review_date": review.strftime("%m/%d/%Y"),
                    "discipline": discipline,
                    "rating": rating,
                    "policy_reference": _spell(ref, times),
                    "severity": severity,
                    "finding": text.format(k=int(rng.integers(2, 9)), m=int(rng.integers(20, 51))),
                    "corrective_action_due": due.strftime("%m/%d/%Y"),
                    "corrective_action_closed": _closed(due, end, years, rng),
                    "responsible": who,
                }
            )
    return rows


def _closed(due: dt.date, end: dt.date, years: float, rng: np.random.Generator) -> str:
    """Old actions are all closed (a quarter of them late); recent ones may still be open."""
    u = rng.random()
    if years < 0.2 or (years < 1.5 and u < 0.45):  # the last review's actions are all open
        return ""
    if u < 0.75 or (years < 1.5 and u < 0.8):
        day = due - dt.timedelta(days=int(rng.integers(0, 40)))
    else:
        day = due + dt.timedelta(days=int(rng.integers(1, 60)))
    return day.strftime("%m/%d/%Y") if day <= end else ""


def findings_frame(end: dt.date, rng: np.random.Generator) -> pd.DataFrame:
    """The whole log, one row per finding, oldest review first, with finding ids."""
    seen: dict[tuple[str, str], int] = {}  # (facility, item) -> times found so far
    rows = _rows("", REVIEWS, end, rng, seen) + _rows(OTHER_FACILITY, OTHER_REVIEWS, end, rng, seen)
    frame = pd.DataFrame(rows)
    order = pd.to_datetime(frame["review_date"], format="%m/%d/%Y")
    frame = frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)
    frame.insert(0, "finding_id", [f"F-{k + 1:03d}" for k in range(len(frame))])
    return frame
