"""`odmdc impact BUILD.ENVER.PRODUCT [PATHS]`: which envers a change of a product touches."""

from __future__ import annotations

import argparse
import sys

from odmdc.cli.checked import add_options, checked
from odmdc.cli.common import add_paths
from odmdc.compiler.planner.impact import impact
from odmdc.compiler.planner.render import impact_text

DESCRIPTION = """\
Show which envers a change of PRODUCT's value would touch, in waves: wave 1 holds its direct
consumers with their `on_change` reaction; an enver that redeploys (`redeploy`, or `approve`
once approved) republishes its products, so their consumers form the next wave. `ignore` and
`notify` stop the wave there."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("impact", help="which envers a change of a product touches",
                       description=DESCRIPTION)
    p.add_argument("product", metavar="BUILD.ENVER.PRODUCT",
                   help="the product whose value changes (a child product: PRODUCT.CHILD)")
    add_paths(p)
    add_options(p, "the impact report")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ir, _ = checked(args)
    if ir is None:
        return 1
    result = impact(ir, args.product)
    if args.format == "json":
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(impact_text(result))
    return 0
