"""`odmdc fmt [--check] PATHS…`: rewrite contracts in the canonical layout
(`odmdc.api.formatting`). The paths of reformatted files go to stdout (to stderr with `--format
json|sarif`, so stdout stays one machine-readable document).
"""

from __future__ import annotations

import argparse
import sys

from odmdc.api.formatting import format_files
from odmdc.cli.common import add_diagnostic_options, add_paths, finish


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "fmt", help="rewrite contracts in the canonical layout",
        description="Format every .odmd file under PATHS in place, printing each file it "
        "changed. With --check, change nothing: list the files that are not formatted and "
        "exit 1 if there are any.",
    )
    p.add_argument("--check", action="store_true",
                   help="write nothing; list unformatted files and exit 1 if any")
    add_paths(p)
    add_diagnostic_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    listing = sys.stdout if args.format == "text" else sys.stderr
    done = format_files(args.paths, check=args.check,
                        on_change=lambda path: print(path, file=listing, flush=True))
    status = 0
    if done.diagnostics or args.format != "text":
        status = finish(args, done.diagnostics, done.unit)
    if args.check and done.changed:
        status = 1
    return status
