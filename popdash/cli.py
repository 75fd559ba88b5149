"""`popdash`: the scriptable face of the dashboard (data-contract.md, "Command line").

Each command lives in popdash/commands/<name>.py as `run(args) -> int`; this module
only parses arguments and turns every failure into one line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from popdash.errors import InputError

KINDS = ("population", "designations", "redesignations", "facility_counts", "findings")
FORMATS = ("text", "json", "csv")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="popdash", description="Population-management dashboard tools.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("check", help="validate an export without importing it")
    c.add_argument("file")
    c.add_argument("--kind", choices=KINDS)
    c.add_argument("--facility")
    c.add_argument("--as-of", dest="as_of")
    c.add_argument("--format", choices=("text", "json"), default="text")

    c = sub.add_parser("import", help="validate and store exports")
    c.add_argument("files", nargs="+", metavar="FILE")
    c.add_argument("--kind", choices=KINDS)
    c.add_argument("--store")
    c.add_argument("--facility")
    c.add_argument("--as-of", dest="as_of")
    c.add_argument("--allow-rejects", action="store_true")

    c = sub.add_parser("flags", help="security-level and classification flags of a roster")
    c.add_argument("roster")
    c.add_argument("--facility", required=True)
    c.add_argument("--rules")
    c.add_argument("--designations")
    c.add_argument("--as-of", dest="as_of")
    c.add_argument("--format", choices=FORMATS, default="text")

    c = sub.add_parser("project", help="project the population with 80 %% / 95 %% bands")
    c.add_argument("--store")
    c.add_argument("--series")
    c.add_argument("--horizon", type=int, default=90)
    c.add_argument("--format", choices=FORMATS, default="text")

    c = sub.add_parser("capacity", help="the capacity sheet of a facility_counts file")
    c.add_argument("--counts", required=True)
    c.add_argument("--format", choices=FORMATS, default="text")

    c = sub.add_parser("findings", help="the findings log with repeats and action status")
    c.add_argument("file")
    c.add_argument("--as-of", dest="as_of")
    c.add_argument("--format", choices=FORMATS, default="text")

    c = sub.add_parser("brief", help="write the Warden's briefing as PDF or PPTX")
    c.add_argument("--store")
    c.add_argument("--out", required=True)
    c.add_argument("--as-of", dest="as_of")

    c = sub.add_parser("sample", help="write the synthetic sample data set")
    c.add_argument("--out", required=True)
    c.add_argument("--days", type=int, default=730)
    c.add_argument("--seed", type=int, default=7)

    c = sub.add_parser("serve", help="start the dashboard")
    c.add_argument("--port", type=int, default=8501)
    c.add_argument("--store")
    c.add_argument("--address", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only); another address "
                        "needs sign-in set up in the store's auth.toml")
    c.add_argument("--insecure-no-sign-in", dest="insecure_no_sign_in", action="store_true",
                   help="listen on another address without sign-in (every page says so); never with real data")

    c = sub.add_parser("audit", help="print and verify the store's audit log")
    c.add_argument("--store")
    c.add_argument("--since", help="only events on or after this date (YYYY-MM-DD)")
    c.add_argument("--user", help="only events of this user")
    c.add_argument("--verify", action="store_true", help="check the hash chain; exit 1 naming the first bad line")
    c.add_argument("--format", choices=("text", "json"), default="text")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        module = importlib.import_module(f"popdash.commands.{args.command}")
        return int(module.run(args))
    except InputError as exc:
        print(f"popdash {args.command}: {exc}", file=sys.stderr)
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
            f"popdash {args.command}: unexpected error ({type(exc).__name__}); "
            "set POPDASH_DEBUG=1 to see details",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    raise SystemExit(main())
