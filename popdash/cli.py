"""`popdash`: the scriptable face of the dashboard (data-contract.md, "Command line").

Each command lives in popdash/commands/<name>.py as `run(args) -> int`; this module
only parses arguments and turns every failure into one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from types import ModuleType

from loaders import KINDS as FILE_KINDS
from loaders.errors import PopdashError, one_sentence

KINDS = FILE_KINDS
FORMATS = ("text", "json", "csv")


# Shared help texts: one wording for an option that several commands take.
AS_OF_FILE = (
    "the as-of date, YYYY-MM-DD, used when the file has no as_of_date column and no date in "
    "its name (default: none; the file must then say it)"
)
FACILITY = "the facility file (facility.toml, see docs/inputs.md) whose unit names the roster is checked against"
STORE = "the store folder (default: $POPDASH_STORE, else the sample data store under $XDG_DATA_HOME/popdash/demo)"
FORMAT = "output format: text for people, json or csv for scripts (default: text)"
KIND = "the kind of the file (default: guessed from its header row)"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="popdash",
        description="Population-management dashboard tools.",
        epilog="Input files and settings: docs/inputs.md. Each command: popdash COMMAND --help.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser(
        "check",
        help="validate an export without importing it",
        description="Validate one CSV export and print what would be accepted and rejected, "
        "line by line. Exit 0 when every row is accepted, 1 when some are rejected, "
        "2 when the file cannot be used.",
    )
    c.add_argument("file", help="the CSV export to check")
    c.add_argument("--kind", choices=KINDS, help=KIND)
    c.add_argument(
        "--facility", metavar="FACILITY.toml", help=FACILITY + " (default: none; unit names are then not checked)"
    )
    c.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help=AS_OF_FILE)
    c.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people, json for the full report with every error (default: text)",
    )

    c = sub.add_parser(
        "import",
        help="validate and store exports",
        description="Validate CSV exports and keep them in the history store, one snapshot per "
        "kind and as-of date. A file with rejected rows is refused unless "
        "--allow-rejects is given.",
    )
    c.add_argument("files", nargs="+", metavar="FILE", help="one or more CSV exports")
    c.add_argument("--kind", choices=KINDS, help=KIND + "; applies to every file given")
    c.add_argument(
        "--store",
        metavar="DIR",
        help="the store folder, created when absent (default: $POPDASH_STORE; the sample data store "
        "is never written to)",
    )
    c.add_argument(
        "--facility",
        metavar="FACILITY.toml",
        help=FACILITY + "; it is kept in the store for later imports (default: the one already in "
        "the store, else unit names are not checked)",
    )
    c.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help=AS_OF_FILE)
    c.add_argument(
        "--allow-rejects",
        action="store_true",
        help="store the accepted rows of a file even when some rows are rejected (default: refuse the whole file)",
    )
    c.add_argument(
        "--allow-empty",
        action="store_true",
        help="store a file with a header and no rows as an empty snapshot (default: refuse it, so an "
        "empty export never replaces a day's roster)",
    )

    c = sub.add_parser(
        "flags",
        help="security-level and classification flags of a roster",
        description="Run the flag rules of the rules file over one roster export.",
    )
    c.add_argument("roster", help="the roster (population) CSV export")
    c.add_argument("--facility", required=True, metavar="FACILITY.toml", help=FACILITY + " (required)")
    c.add_argument(
        "--rules", metavar="RULES.toml", help="a rules file (default: the shipped rules, loaders/defaults/rules.toml)"
    )
    c.add_argument(
        "--designations",
        metavar="FILE",
        help="a designations CSV export, to also flag pending designations whose required level is "
        "above the facility's highest unit level, DESIG-LEVEL (default: none; that rule is skipped)",
    )
    c.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help=AS_OF_FILE)
    c.add_argument("--format", choices=FORMATS, default="text", help=FORMAT)

    c = sub.add_parser(
        "project",
        help="project the population with 80 %% / 95 %% bands",
        description="Project the population with 80 %% and 95 %% bands, either the institution "
        "in a store or every facility of a counts file (--series).",
    )
    c.add_argument("--store", metavar="DIR", help=STORE + "; not with --series")
    c.add_argument(
        "--series",
        metavar="FILE",
        help="a facility_counts-style CSV (date, population, optionally facility): project each "
        "facility's daily counts instead of the store (default: none)",
    )
    c.add_argument(
        "--horizon", type=int, default=90, metavar="DAYS", help="days ahead to project, 1 to 180 (default: 90)"
    )
    c.add_argument("--format", choices=FORMATS, default="text", help=FORMAT)
    c.add_argument(
        "--scenario",
        metavar="NAME",
        help="also project this named set of planned events (see popdash events) beside the baseline; "
        "store mode only (default: the baseline alone)",
    )

    _events_parser(sub)

    c = sub.add_parser(
        "capacity",
        help="the capacity sheet of a facility_counts file",
        description="Population against rated capacity per facility, from a facility_counts file.",
    )
    c.add_argument(
        "--counts",
        required=True,
        metavar="FILE",
        help="the facility_counts CSV (facility, date, population, rated capacity...) (required)",
    )
    c.add_argument("--format", choices=FORMATS, default="text", help=FORMAT)

    c = sub.add_parser(
        "findings",
        help="the findings log with repeats and action status",
        description="The program-review findings log: repeat findings and corrective actions open, due or overdue.",
    )
    c.add_argument("file", help="the findings CSV export")
    c.add_argument(
        "--as-of",
        dest="as_of",
        metavar="YYYY-MM-DD",
        help="the date corrective actions are judged due or overdue at (default: the date in the "
        "file name, else the latest review date)",
    )
    c.add_argument("--format", choices=FORMATS, default="text", help=FORMAT)

    c = sub.add_parser(
        "brief",
        help="write the Warden's briefing as PDF or PPTX",
        description="Write the Warden's briefing as a PDF or PowerPoint file.",
    )
    c.add_argument("--store", metavar="DIR", help=STORE)
    c.add_argument(
        "--out",
        required=True,
        metavar="FILE.pdf|FILE.pptx",
        help="the file to write; its extension, .pdf or .pptx, chooses the format (required)",
    )
    c.add_argument(
        "--as-of",
        dest="as_of",
        metavar="YYYY-MM-DD",
        help="the roster snapshot to brief on (default: the newest in the store)",
    )

    c = sub.add_parser(
        "sample",
        help="write the synthetic sample data set",
        description="Write the fictional FCC Example data set (CSV exports and facility.toml) "
        "to try popdash without real data.",
    )
    c.add_argument("--out", required=True, metavar="DIR", help="the folder to write into (required)")
    c.add_argument(
        "--days", type=int, default=730, metavar="N", help="days of daily rosters to write, at least 1 (default: 730)"
    )
    c.add_argument(
        "--seed", type=int, default=7, metavar="S", help="random seed; the same seed writes the same data (default: 7)"
    )
    c.add_argument(
        "--end",
        metavar="YYYY-MM-DD",
        help="the last day of the data; the same seed and day write the same files (default: today, as the demo store)",
    )

    c = sub.add_parser(
        "serve", help="start the dashboard", description="Start the dashboard (Streamlit) on this machine."
    )
    c.add_argument("--port", type=int, default=8501, metavar="PORT", help="the port to listen on (default: 8501)")
    c.add_argument("--store", metavar="DIR", help=STORE + "; the sample store is built on first start")
    c.add_argument(
        "--address",
        default="127.0.0.1",
        metavar="ADDR",
        help="address to listen on; any other than this computer's needs sign-in set up in the store's auth.toml "
        "(default: 127.0.0.1)",
    )
    c.add_argument(
        "--insecure-no-sign-in",
        dest="insecure_no_sign_in",
        action="store_true",
        help="listen on another address without sign-in; every page says so; never with real data (default: refuse)",
    )

    c = sub.add_parser(
        "audit",
        help="print and verify the store's audit log",
        description="Print the store's append-only audit log (who signed in, viewed identities, "
        "downloaded, exported or imported what) and verify its hash chain.",
    )
    c.add_argument("--store", metavar="DIR", help=STORE)
    c.add_argument("--since", metavar="YYYY-MM-DD", help="only events on or after this date (default: all)")
    c.add_argument("--user", metavar="U", help="only events of this user (default: every user)")
    c.add_argument(
        "--verify",
        action="store_true",
        help="check the hash chain; exit 1 naming the first bad line (default: print only)",
    )
    c.add_argument("--format", choices=("text", "json"), default="text", help="text or json (default: text)")
    return p


def _command(name: str) -> ModuleType:
    """The module that runs a command (popdash/commands/<name>.py; `import` is import_files.py)."""
    from popdash.commands import (
        audit,
        brief,
        capacity,
        check,
        events,
        findings,
        flags,
        import_files,
        project,
        sample,
        serve,
    )

    commands = {
        "audit": audit,
        "brief": brief,
        "capacity": capacity,
        "check": check,
        "events": events,
        "findings": findings,
        "flags": flags,
        "import": import_files,
        "project": project,
        "sample": sample,
        "serve": serve,
    }
    return commands[name]


def _events_parser(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser(
        "events",
        help="planned events for scenarios: add from a TOML file, list, switch, delete",
        description="Keep the store's planned events (unit openings and closings, bed and level "
        "changes, planned arrivals and departures, designation-rate changes), grouped "
        "into named scenarios for popdash project --scenario (docs/scenarios.md).",
    )
    acts = e.add_subparsers(
        dest="action", required=True, metavar="ACTION", help="add, list, enable, disable or delete (required)"
    )
    a = acts.add_parser("add", help="add the [[event]] tables of a TOML file (same scenario and name: replaced)")
    a.add_argument("file", metavar="FILE.toml", help="a TOML file of [[event]] tables (required)")
    a.add_argument("--by", metavar="NAME", help="who enters them (default: the login name)")
    a = acts.add_parser("list", help="list planned events by scenario")
    a.add_argument("--scenario", metavar="NAME", help="list only this scenario (default: every scenario)")
    a.add_argument("--format", choices=("text", "json"), default="text", help="text or json (default: text)")
    for action, what in (
        ("enable", "switch an event on"),
        ("disable", "switch an event off"),
        ("delete", "remove an event"),
    ):
        a = acts.add_parser(action, help=what)
        a.add_argument("id", type=int, metavar="ID", help="the event number shown by popdash events list (required)")
    for a in acts.choices.values():
        a.add_argument("--store", metavar="DIR", help=STORE)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(_command(args.command).run(args))
    except PopdashError as exc:  # every error a user can fix: one sentence, exit 2
        print(f"popdash {args.command}: {one_sentence(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"popdash {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        if os.environ.get("POPDASH_DEBUG"):
            raise
        print(
            f"popdash {args.command}: unexpected error ({type(exc).__name__}); set POPDASH_DEBUG=1 to see details",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
