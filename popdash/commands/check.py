"""`popdash check FILE`: validate an export without importing it (data-contract.md)."""

from __future__ import annotations

import json
import sys
from typing import Any

from loaders import load

MAX_TEXT_ERRORS = 200  # the text form is for people; JSON always lists every error


def run(args: Any) -> int:
    """Print the load report; 0 when every row is accepted, 1 when some are rejected."""
    result = load(args.file, kind=args.kind, facility=args.facility, as_of=args.as_of)
    report = result.report
    if args.format == "json":
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_text(args.file, report))
    return 0 if report["rows_rejected"] == 0 else 1


def format_text(name: str, report: dict[str, Any]) -> str:
    """The report as a few lines for people: a summary, then warnings, then one line per error."""
    out = [
        f"{name}: {report['kind']} as of {report['as_of']}",
        f"  rows read {report['rows_read']:,}, accepted {report['rows_accepted']:,}, "
        f"rejected {report['rows_rejected']:,}",
    ]
    if report["unknown_columns"]:
        out.append("  unknown columns (not loaded): " + ", ".join(report["unknown_columns"]))
    out += [f"  warning: {w}" for w in report["warnings"]]
    errors = report["errors"]
    if errors:
        out.append("  errors:")
        for e in errors[:MAX_TEXT_ERRORS]:
            where = f"line {e['line']}" + (f", {e['column']}" if e["column"] else "")
            value = f" = {e['value']!r}" if e["value"] not in (None, "") else ""
            out.append(f"    {where}{value}: {e['reason']}")
        if len(errors) > MAX_TEXT_ERRORS:
            out.append(f"    ... and {len(errors) - MAX_TEXT_ERRORS:,} more (use --format json for all)")
    return "\n".join(out) + "\n"
