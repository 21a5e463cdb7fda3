"""`odmdc explain CODE`: a rule's rationale with a failing and a passing example."""

from __future__ import annotations

import argparse
import sys

from odmdc.compiler.rules import all_rules, explain
from odmdc.compiler.sources import UsageError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("explain", help="explain a diagnostic code",
                       description="Print a rule's rationale, a failing and a passing example. "
                       "Without CODE, list every code.")
    p.add_argument("code", nargs="?", metavar="CODE", help="e.g. E301")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.code:
        for code, rule in all_rules().items():
            print(f"{code}  {rule.title}")
        return 0
    e = explain(args.code)
    if e is None:
        raise UsageError(f"unknown code {args.code!r}; `odmdc explain` lists them")
    sys.stdout.write(
        f"{e.text.rstrip()}\n\n## Failing example\n\n```odmd\n{e.bad.rstrip()}\n```\n\n"
        f"## Passing example\n\n```odmd\n{e.good.rstrip()}\n```\n"
    )
    return 0
