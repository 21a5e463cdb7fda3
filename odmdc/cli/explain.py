"""`odmdc explain CODE`: a rule's rationale with a failing and a passing example."""

from __future__ import annotations

import argparse
import sys

from odmdc.compiler.rules.catalogue import EXAMPLE_KINDS, catalogue, explain
from odmdc.compiler.sources import UsageError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("explain", help="explain a diagnostic code",
                       description="Print a rule's rationale, a failing and a passing example. "
                       "Without CODE, list every code.")
    p.add_argument("code", nargs="?", metavar="CODE", help="e.g. E301")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.code:
        for code, entry in catalogue().items():
            print(f"{code}  {entry.title}")
        return 0
    e = explain(args.code)
    if e is None:
        raise UsageError(f"unknown code {args.code!r}; `odmdc explain` lists them")
    fence, what = ("odmd", "") if e.suffix == "odmd" else ("text", f" ({EXAMPLE_KINDS[e.suffix]})")
    sys.stdout.write(
        f"{e.text.rstrip()}\n\n## Failing example{what}\n\n```{fence}\n{e.bad.rstrip()}\n```\n\n"
        f"## Passing example{what}\n\n```{fence}\n{e.good.rstrip()}\n```\n"
    )
    return 0
