"""What the CMC must act on this morning, as small pure frames for the top of /morning.

No Streamlit, no store, no clock: the page passes the snapshot list, the reports and `today`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from reports.sources import SOURCE_NAMES

REJECTED_COLUMNS = ["source", "line", "column", "reason"]


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
