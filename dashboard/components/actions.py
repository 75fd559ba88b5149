"""What the CMC must act on this morning, as small pure frames for the top of /morning.

No Streamlit, no store, no clock: the page passes the snapshot list, the reports and `today`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from dashboard.components.summary import SOURCE_NAMES, STALE_AFTER_DAYS

# The exports read beside the roster each morning: older than the roster means the figures
# drawn from them (pending moves, DESIG-LEVEL, transfers) describe another day.
ROSTER_DAY_SOURCES = ("designations", "redesignations")
REJECTED_COLUMNS = ["source", "line", "column", "reason"]


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n:,} days"


def stale_sources(latest: dict[str, date | None], roster_as_of: date, today: date) -> pd.DataFrame:
    """One row per source needing an import (source, as_of, why), most urgent first.

    The roster is stale when older than its limit in `STALE_AFTER_DAYS` at `today`; the
    designation exports when missing or older than the roster; the other sources when
    missing, or older than the roster by more than their limit (the findings log never is).
    """
    rows: list[dict[str, Any]] = []
    roster_age = (today - roster_as_of).days
    if roster_age > (STALE_AFTER_DAYS["population"] or 0):
        rows.append(
            {
                "source": SOURCE_NAMES["population"],
                "as_of": roster_as_of,
                "why": f"the newest roster is {_days(roster_age)} old",
            }
        )
    for kind, limit in STALE_AFTER_DAYS.items():
        if kind == "population":
            continue
        d = latest.get(kind)
        name = SOURCE_NAMES[kind]
        if d is None:
            rows.append({"source": name, "as_of": None, "why": f"no {name.lower()} export in the store"})
            continue
        behind = (roster_as_of - d).days
        allowed = 0 if kind in ROSTER_DAY_SOURCES else limit
        if allowed is not None and behind > allowed:
            rows.append(
                {"source": name, "as_of": d, "why": f"{name.lower()} are {_days(behind)} older than the roster"}
            )
    return pd.DataFrame(rows, columns=["source", "as_of", "why"])


def rejected_rows(
    snapshots: pd.DataFrame, reports: dict[tuple[str, date], dict[str, Any] | None], as_of: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per snapshot, per row) of the rows rejected in the imports of the as-of date.

    `snapshots`: the store's snapshot list; `reports`: the check report of each (kind, as-of).
    Per snapshot: source, as_of, rows_read, rows_rejected. Per row: source, line, column, reason
    (the loader's report already shows names and birth dates as "(personal data)").
    """
    day = snapshots[(pd.to_datetime(snapshots["as_of"]).dt.date == as_of) & (snapshots["rows_rejected"] > 0)]
    per_file = pd.DataFrame(
        {
            "source": day["kind"].map(SOURCE_NAMES).fillna(day["kind"]).astype("str"),
            "as_of": pd.to_datetime(day["as_of"]).dt.date,
            "rows_read": day["rows_read"].astype("int64"),
            "rows_rejected": day["rows_rejected"].astype("int64"),
        }
    ).reset_index(drop=True)
    lines: list[dict[str, Any]] = []
    for kind, d in zip(day["kind"], pd.to_datetime(day["as_of"]).dt.date):
        for err in (reports.get((kind, d)) or {}).get("errors", []):
            lines.append(
                {
                    "source": SOURCE_NAMES.get(kind, kind),
                    "line": err.get("line"),
                    "column": err.get("column"),
                    "reason": err.get("reason"),
                }
            )
    per_row = pd.DataFrame(lines, columns=REJECTED_COLUMNS)
    per_row["line"] = per_row["line"].astype("Int64")
    return per_file, per_row


def overdue_items(items: pd.DataFrame) -> pd.DataFrame:
    """The work queue's Overdue rows, longest overdue first, with days_overdue instead of days_left."""
    rows = items[items["bucket"] == "Overdue"]
    out = rows.assign(days_overdue=(-rows["days_left"]).astype("Int64"))
    return out.sort_values(["days_overdue", "task"], ascending=[False, True], kind="stable").reset_index(drop=True)


def high_flags(flags: pd.DataFrame) -> pd.DataFrame:
    """Open high-severity flags, grouped by rule then unit so one fix covers neighbouring rows."""
    high = flags[flags["severity"] == "high"]
    return high.sort_values(["rule", "unit", "register_number"], kind="stable").reset_index(drop=True)
