"""Work queues: the classification work due per unit and per case manager (issue 3, item 3).

One row per inmate and task. Tasks and their due dates (day counts from the rules file):

- INITIAL CLASSIFICATION: no initial classification date; due arrival + `initial_classification` (28)
  days. Overdue exactly when CLASSIFICATION-OVERDUE flags it.
- PROGRAM REVIEW: due the last program review (the initial classification when none is
  recorded) + `program_review` (180) days, or + `program_review_near_release` (90) when the
  projected release date is within `near_release` (365) days of the as-of date. Overdue exactly
  when REVIEW-OVERDUE flags it. Inmates with neither date are left to INITIAL CLASSIFICATION.
- MGTV EXPIRY: an active MGTV (expiry on or after the as-of date) expiring within
  `mgtv_expiring` (30) days; due on the expiry date. An expired MGTV is never "due" here:
  it is the MGTV-EXPIRED flag's business. Given the day's flags (as every page and command
  passes them), the task lists exactly the inmates the MGTV-EXPIRING flag names: an MGTV
  whose placement no longer needs it (required level equal to the unit's, or an
  ADMINISTRATIVE unit) needs no renewal, so one definition counts the same on every surface.
- CIM REVIEW: an inmate with a CIM assignment (`cim` not blank) is reviewed within `cim_review`
  (60) days of arrival (28 CFR 524.73); due arrival + 60 days. No export records the CIM review
  itself, so a past due date cannot tell done from late: CIM reviews are listed only until
  their due date (never Overdue).

Buckets, with days_left = (due date - as-of date) in whole days:

- "Overdue": days_left < 0 (the due date has passed);
- "Due this week": 0 <= days_left <= 6 (today and the six days after it);
- "Coming up": 7 <= days_left <= the task's window, `due_soon` (14) days for classifications,
  program reviews and CIM reviews, `mgtv_expiring` (30) days for MGTVs.

Anything due later is not listed. A task whose input column is absent is skipped and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics._flag_rules import as_dates, review_basis
from analytics.levels import as_of_timestamp
from loaders.config import Rules

BUCKETS = ("Overdue", "Due this week", "Coming up")
ITEM_COLUMNS = ["task", "register_number", "unit", "case_manager", "due_date", "days_left", "bucket", "detail"]
SUMMARY_COLUMNS = ["by", "group", "task", *BUCKETS, "total"]
NO_CASE_MANAGER = "(none recorded)"
_NEEDS = {
    "INITIAL CLASSIFICATION": ("arrival_date", "initial_classification_date"),
    "PROGRAM REVIEW": ("last_program_review_date",),
    "MGTV EXPIRY": ("mgtv", "mgtv_expires"),
    "CIM REVIEW": ("cim", "arrival_date"),
}


@dataclass
class WorkQueue:
    """Tasks (one row per inmate and task), counts per unit and case manager, and tasks not run."""

    items: pd.DataFrame
    summary: pd.DataFrame
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _after(dates: pd.Series, days: int | np.ndarray) -> pd.Series:
    return dates + pd.to_timedelta(days, unit="D")


def _text(s: pd.Series) -> pd.Series:
    return s.dt.strftime("%Y-%m-%d").astype("str")


def _present(s: pd.Series) -> pd.Series:
    return s.notna() & s.astype("str").str.strip().ne("")


# Each task: (rows, due date) over the whole roster, cheap; then the detail text for kept rows only.
def _initial(r: pd.DataFrame, rules: Rules, as_of: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    rows = r["initial_classification_date"].isna() & r["arrival_date"].notna()
    return rows, _after(r["arrival_date"], rules.days.initial_classification)


def _initial_detail(sub: pd.DataFrame, rules: Rules, as_of: pd.Timestamp) -> pd.Series:
    return "arrived " + _text(sub["arrival_date"])


def _review(r: pd.DataFrame, rules: Rules, as_of: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    last, interval, _ = review_basis(r, rules, as_of)
    return last.notna(), _after(last, interval)


def _review_detail(sub: pd.DataFrame, rules: Rules, as_of: pd.Timestamp) -> pd.Series:
    last, interval, _ = review_basis(sub, rules, as_of)
    had = sub["last_program_review_date"].notna().to_numpy()
    what = pd.Series(np.where(had, "last program review ", "initial classification "), index=sub.index, dtype="str")
    return what + _text(last) + "; every " + pd.Series(interval, index=sub.index).astype("str") + " days"


def _mgtv(r: pd.DataFrame, rules: Rules, as_of: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    return _present(r["mgtv"]) & r["mgtv_expires"].notna(), r["mgtv_expires"]  # no expiry: never due


def _mgtv_detail(sub: pd.DataFrame, rules: Rules, as_of: pd.Timestamp) -> pd.Series:
    return "MGTV " + sub["mgtv"].astype("str")


def _cim(r: pd.DataFrame, rules: Rules, as_of: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    return _present(r["cim"]) & r["arrival_date"].notna(), _after(r["arrival_date"], rules.days.cim_review)


def _cim_detail(sub: pd.DataFrame, rules: Rules, as_of: pd.Timestamp) -> pd.Series:
    return "CIM " + sub["cim"].astype("str").str.strip() + ", arrived " + _text(sub["arrival_date"])


_BUILDERS = {
    "INITIAL CLASSIFICATION": (_initial, _initial_detail),
    "PROGRAM REVIEW": (_review, _review_detail),
    "MGTV EXPIRY": (_mgtv, _mgtv_detail),
    "CIM REVIEW": (_cim, _cim_detail),
}


def _window(task: str, rules: Rules) -> int:
    return rules.days.mgtv_expiring if task == "MGTV EXPIRY" else rules.days.due_soon


def _task(task: str, r: pd.DataFrame, rules: Rules, as_of: pd.Timestamp) -> pd.DataFrame:
    """The rows of one task inside its window, with due date, days left, bucket and detail."""
    rows_of, detail_of = _BUILDERS[task]
    rows, due = rows_of(r, rules, as_of)
    left = (due - as_of).dt.days
    keep = rows & (left <= _window(task, rules))
    if task in ("MGTV EXPIRY", "CIM REVIEW"):  # expired MGTVs are flags; done CIM reviews are not recorded
        keep &= left >= 0
    keep = keep.fillna(False).to_numpy(dtype=bool)
    sub, days_left = r[keep], left[keep].astype("int64")
    bucket = np.select([days_left < 0, days_left <= 6], BUCKETS[:2], BUCKETS[2])
    cm = sub["case_manager"] if "case_manager" in sub else pd.Series(pd.NA, index=sub.index, dtype="str")
    return pd.DataFrame(
        {
            "task": task,
            "register_number": sub["register_number"],
            "unit": sub["unit"],
            "case_manager": cm,
            "due_date": due[keep],
            "days_left": days_left,
            "bucket": pd.Series(bucket, index=sub.index, dtype="str"),
            "detail": detail_of(sub, rules, as_of),
        }
    )


def work_queue(roster: pd.DataFrame, rules: Rules, as_of: object, flags: pd.DataFrame | None = None) -> WorkQueue:
    """Classification work overdue or coming due at the as-of date, per unit and per case manager.

    `flags`: the day's flags (`FlagReport.flags`); MGTV EXPIRY then lists the inmates flagged
    MGTV-EXPIRING and no others (see the module docstring).
    """
    as_of = as_of_timestamp(as_of)
    r = as_dates(roster.reset_index(drop=True))
    parts, skipped = [], []
    for task in _BUILDERS:
        missing = [c for c in _NEEDS[task] if c not in r]
        if missing:
            skipped.append((task, f"the roster has no {', '.join(missing)} column" + ("s" if len(missing) > 1 else "")))
            continue
        part = _task(task, r, rules, as_of)
        if task == "MGTV EXPIRY" and flags is not None:
            flagged = flags.loc[flags["rule"] == "MGTV-EXPIRING", "register_number"].astype("str")
            part = part[part["register_number"].astype("str").isin(set(flagged))]
        parts.append(part)
    items = _tidy(parts)
    return WorkQueue(items, summarise(items), skipped)


def _tidy(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        empty = {c: pd.Series(dtype="str") for c in ITEM_COLUMNS}
        empty |= {"due_date": pd.Series(dtype="datetime64[us]"), "days_left": pd.Series(dtype="int64")}
        return pd.DataFrame(empty)
    items = pd.concat(parts, ignore_index=True)
    for c in ("task", "register_number", "unit", "case_manager", "bucket", "detail"):
        items[c] = items[c].astype("str")
    items["case_manager"] = items["case_manager"].fillna(NO_CASE_MANAGER)
    items = items.sort_values(["days_left", "task", "unit", "register_number"], kind="stable")
    return items[ITEM_COLUMNS].reset_index(drop=True)


def summarise(items: pd.DataFrame) -> pd.DataFrame:
    """Counts per bucket for each unit and each case manager, task by task (`by` says which grouping)."""
    frames = []
    for by in ("unit", "case_manager"):
        counts = (
            items.groupby([by, "task", "bucket"])
            .size()
            .unstack("bucket")
            .reindex(columns=list(BUCKETS), fill_value=0)
            .fillna(0)
            .astype("int64")
        )
        counts["total"] = counts.sum(axis=1)
        frames.append(counts.reset_index().rename(columns={by: "group"}).assign(by=by))
    out = (
        pd.concat(frames, ignore_index=True)[SUMMARY_COLUMNS]
        if len(items)
        else pd.DataFrame({c: pd.Series(dtype="int64" if c in (*BUCKETS, "total") else "str") for c in SUMMARY_COLUMNS})
    )
    out.columns.name = None
    return out.astype({"by": "str", "group": "str", "task": "str"})
