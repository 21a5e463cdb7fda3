"""`odmdc check PATHS…`: report every problem in the contracts, change nothing."""

from __future__ import annotations

import argparse

from odmdc.cli.common import add_diagnostic_options, add_paths, add_timings, finish
from odmdc.compiler.checker.run import check_unit
from odmdc.compiler.timings import Timings
from odmdc.compiler.unit import load


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="check contracts and report problems",
                       description="Parse and check every .odmd file under PATHS.")
    add_paths(p)
    add_diagnostic_options(p)
    add_timings(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    timings = Timings()
    with timings.stage("parse"):
        unit = load(args.paths)
    with timings.stage("check"):
        result = check_unit(unit, enable=args.enable, with_ir=False)
    status = finish(args, result.diagnostics, unit)
    if args.timings:
        timings.write(args.timings)
    return status
