"""`popdash flags ROSTER.csv --facility F.toml`: every flag of domain.md section 5.

The flags are evaluated at the roster's as-of date as the loader settles it (as_of_date
column, else a date in the file name, else --as-of; data-contract.md). stdout carries only
the flags in the chosen format; rows the loader rejected are counted on stderr. With
--format text the skipped rules and warnings follow the table on stdout; with json and csv
they go to stderr so that stdout stays machine-readable.
"""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd

from analytics.flags import COLUMNS, FlagReport, evaluate_flags
from loaders import LoadResult, hint_absent
from loaders.config import Facility, load_facility, load_rules

_HEADERS = {
    "severity": "Severity",
    "rule": "Rule",
    "unit": "Unit",
    "register_number": "Register",
    "explanation": "Explanation",
}
_TEXT_ORDER = ("severity", "rule", "unit", "register_number", "explanation")


def _load(path: str, kind: str, facility: Facility, as_of: str | None) -> LoadResult:
    import loaders

    result = loaders.load(path, kind=kind, facility=facility, as_of=as_of)
    rejected = result.report["rows_rejected"]
    if rejected:
        what = "roster" if kind == "population" else "designations"
        print(
            f"popdash flags: {rejected:,d} of {result.report['rows_read']:,d} {what} rows were rejected "
            f"(popdash check lists them); flagging the {result.report['rows_accepted']:,d} accepted rows",
            file=sys.stderr,
        )
    return result


def _hint(report: FlagReport, unknown: list[str]) -> None:
    """Name the roster header that is probably a column a rule or warning says is absent."""

    def hinted(text: str) -> str:
        return hint_absent(text, unknown, "population") if "the roster has" in text else text

    report.skipped = [(rule, hinted(why)) for rule, why in report.skipped]
    report.warnings = [hinted(w) for w in report.warnings]


def _text(report: FlagReport, as_of: str) -> str:
    flags = report.flags
    counts = flags["severity"].value_counts()
    tally = ", ".join(f"{s} {int(counts.get(s, 0)):,d}" for s in ("high", "medium", "low"))
    out = [f"Flags at {as_of}: {len(flags):,d} ({tally})"]
    if len(flags):
        rows = [[str(v) for v in r] for r in flags[list(_TEXT_ORDER)].itertuples(index=False)]
        heads = [_HEADERS[k] for k in _TEXT_ORDER]
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(heads)]
        widths[-1] = len(heads[-1])  # the explanation runs to the end of the line

        def line(cells: list[str]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

        out += [line(heads), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out += _notes(report)
    return "\n".join(out)


def _notes(report: FlagReport) -> list[str]:
    out = []
    if report.skipped:
        out.append("Skipped rules:")
        out += [f"  {rule}: {reason}" for rule, reason in report.skipped]
    if report.warnings:
        out.append("Warnings:")
        out += [f"  {w}" for w in report.warnings]
    return out


def run(args: argparse.Namespace) -> int:
    facility = load_facility(args.facility)
    rules = load_rules(args.rules)
    roster = _load(args.roster, "population", facility, args.as_of)
    for w in roster.report.get("warnings", []):
        if "as-of date" in str(w):
            print(f"popdash flags: {w}", file=sys.stderr)
    designations = None
    if args.designations:
        designations = _load(args.designations, "designations", facility, roster.report["as_of"]).frame
    as_of = roster.report["as_of"]
    report = evaluate_flags(roster.frame, facility, rules, pd.Timestamp(as_of), designations)
    _hint(report, roster.report["unknown_columns"])
    if args.format == "text":
        print(_text(report, as_of))
        return 0
    if args.format == "json":
        print(json.dumps(report.flags[COLUMNS].to_dict(orient="records"), indent=2))
    else:
        report.flags.to_csv(sys.stdout, index=False, columns=COLUMNS, lineterminator="\n")
    for note in _notes(report):
        print(f"popdash flags: {note.strip()}", file=sys.stderr)
    return 0
