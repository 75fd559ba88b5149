"""`popdash findings FILE`: the findings log with repeats and corrective-action status.

Per finding: line, facility, review_date, discipline, policy_reference, repeat, repeat_of,
action_status (data-contract.md; rules in analytics/findings.py). The as-of date is --as-of,
else a date in the file name, else the latest review date; text output says which.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from typing import TYPE_CHECKING

import pandas as pd

from analytics.findings import STATUSES, annotate, scope_sentence

if TYPE_CHECKING:
    from loaders import LoadResult

COLUMNS = ("line", "facility", "review_date", "discipline", "policy_reference", "repeat", "repeat_of", "action_status")
_HEADERS = ("Line", "Facility", "Review", "Discipline", "Policy reference", "Repeat", "Repeat of", "Action")
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2}|\d{8})(?!\d)")


def _load(path: str, as_of: str | None) -> LoadResult:
    import loaders

    result = loaders.load(path, kind="findings", as_of=as_of)
    report = result.report
    if report["rows_rejected"]:
        print(
            f"popdash findings: {report['rows_rejected']:,d} of {report['rows_read']:,d} rows were rejected "
            f"(popdash check lists them); showing the {report['rows_accepted']:,d} accepted rows",
            file=sys.stderr,
        )
    return result


# What each computed column needs from the log: without it the column is null with a reason,
# never "no repeat" or "OPEN" made up from a column the file does not have.
NEEDS = {
    "repeat": ("policy_reference",),
    "repeat_of": ("policy_reference",),
    "action_status": ("corrective_action_due", "corrective_action_closed"),
}


def unknown(columns: set[str]) -> dict[str, str]:
    """Computed column -> why it cannot be computed from a log with these columns."""
    out = {}
    for key, needs in NEEDS.items():
        absent = [c for c in needs if c not in columns]
        if absent:
            out[key] = "the log has no " + " or ".join(f"{c} column" for c in absent)
    return out


def records(annotated: pd.DataFrame, missing: dict[str, str] | None = None) -> list[dict[str, object]]:
    """One plain dict per finding, in file order: dates as YYYY-MM-DD, missing as None.

    `missing` (see `unknown`): columns shown as null, with the reason under `missing`.
    """
    missing = missing or {}

    def day(v: object) -> str | None:
        return None if pd.isna(v) else pd.Timestamp(v).date().isoformat()

    def text(v: object) -> str | None:
        return None if pd.isna(v) or str(v) == "" else str(v)

    a = annotated.sort_values("line", kind="stable")
    ref = a["policy_reference"] if "policy_reference" in a.columns else pd.Series(None, index=a.index)
    recs: list[dict[str, object]] = [
        {
            "line": int(line),
            "facility": text(fac),
            "review_date": day(rev),
            "discipline": text(disc),
            "policy_reference": text(pr),
            "repeat": bool(rep),
            "repeat_of": day(of),
            "action_status": str(status),
        }
        for line, fac, rev, disc, pr, rep, of, status in zip(
            a["line"],
            a["facility"],
            a["review_date"],
            a["discipline"],
            ref,
            a["repeat"],
            a["repeat_of"],
            a["action_status"],
        )
    ]
    for r in recs:
        r.update(dict.fromkeys(missing))
        r["missing"] = dict(missing)
    return recs


def _source(args: argparse.Namespace) -> str:
    if args.as_of:
        return "given with --as-of"
    if _DATE_IN_NAME.search(args.file.replace("\\", "/").rsplit("/", 1)[-1]):
        return "from the file name"
    return "the latest review date in the log"


def _text(recs: list[dict[str, object]], as_of: str, source: str, missing: dict[str, str], scope: str) -> str:
    statuses = {s: sum(r["action_status"] == s for r in recs) for s in STATUSES}
    repeats = "repeats unknown" if "repeat" in missing else f"{sum(r['repeat'] is True for r in recs):,d} repeats"
    actions = (
        "action status unknown"
        if "action_status" in missing
        else "actions " + ", ".join(f"{s} {n:,d}" for s, n in statuses.items())
    )
    out = [f"Findings as of {as_of} ({source}): {len(recs):,d} findings, {repeats}; {scope}; {actions}"]
    rows = [
        [
            str(r["line"]),
            str(r["facility"] or "(home)"),
            str(r["review_date"] or "—"),
            str(r["discipline"] or "—"),
            str(r["policy_reference"] or "—"),
            "—" if r["repeat"] is None else "yes" if r["repeat"] else "no",
            str(r["repeat_of"] or "—"),
            str(r["action_status"] or "—"),
        ]
        for r in recs
    ]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(_HEADERS)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out += [line(list(_HEADERS)), line(["-" * w for w in widths])] + [line(r) for r in rows]
    return "\n".join(out)


def _csv(recs: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)  # `missing` is said on stderr; a CSV cell stays empty
    for r in recs:
        w.writerow(
            [
                "true" if v is True else "false" if v is False else "" if v is None else v
                for v in (r[c] for c in COLUMNS)
            ]
        )
    return buf.getvalue().rstrip("\n")


def run(args: argparse.Namespace) -> int:
    """Print the annotated findings log in the chosen format."""
    result = _load(args.file, args.as_of)
    as_of = result.report["as_of"]
    missing = unknown(set(result.frame.columns))
    for key, why in missing.items():
        print(f"popdash findings: {why}: {key} not shown.", file=sys.stderr)
    annotated = annotate(result.frame, pd.Timestamp(as_of).date())
    recs = records(annotated, missing)
    if args.format == "json":
        print(json.dumps(recs, indent=2))
    elif args.format == "csv":
        print(_csv(recs))
    else:
        print(_text(recs, as_of, _source(args), missing, scope_sentence(annotated)))
    return 0
