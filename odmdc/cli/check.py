"""`odmdc check PATHS…`: report every problem in the contracts, change nothing."""

from __future__ import annotations

import argparse
import sys

from odmdc import api
from odmdc.cli.common import (
    add_backends,
    add_diagnostic_options,
    add_paths,
    add_timings,
    finish,
    timed,
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check", help="check contracts and report problems",
        description="Parse and check every .odmd file under PATHS: every rule, then what "
        "the org's backends (or those named with --backend) would reject when compiling, so "
        "that contracts that check clean compile.")
    add_paths(p)
    add_backends(p, "check for this backend instead of the org's list; repeatable")
    p.add_argument("--no-backends", action="store_true",
                   help="run the rules only, not the backends' own checks: faster on a large "
                   "org, but contracts that check clean this way may still not compile")
    add_diagnostic_options(p)
    add_timings(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with timed(args) as timings:
        with timings.stage("parse"):
            unit = api.load(args.paths)
        result = api.check(unit, enable=args.enable, deny_warnings=args.deny_warnings,
                           backends=args.backend, run_backends=not args.no_backends,
                           timings=timings)
        for problem in result.errors:
            print(f"odmdc check: error: {problem}", file=sys.stderr)
        status = finish(args, result.diagnostics, unit)
        return status or (1 if result.errors else 0)
