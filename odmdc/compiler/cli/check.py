"""`odmdc check PATHS…`: report every problem in the contracts, change nothing."""

from __future__ import annotations

import argparse

from odmdc.compiler.checker.run import check_unit
from odmdc.compiler.cli.common import add_diagnostic_options, add_paths, finish
from odmdc.compiler.driver import load


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help="check contracts and report problems",
                       description="Parse and check every .odmd file under PATHS.")
    add_paths(p)
    add_diagnostic_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    unit = load(args.paths)
    result = check_unit(unit, enable=args.enable, with_ir=False)
    return finish(args, result.diagnostics, unit)
