"""`odmdc plan [PATHS] [--enver BUILD.ENVER]`: the phases in which envers deploy."""

from __future__ import annotations

import argparse
import sys

from odmdc.api.compilation import cycle_diagnostic
from odmdc.cli.checked import add_options, checked, report
from odmdc.cli.common import add_paths
from odmdc.compiler.planner.deferral import UnbreakableCycle
from odmdc.compiler.planner.plan import plan
from odmdc.compiler.planner.render import plan_text
from odmdc.compiler.planner.targets import enver_id

DESCRIPTION = """\
Print the phases in which the envers deploy: each phase is a set of envers that can deploy in
parallel once the earlier phases are done. A consumer with a `default` may start on that
placeholder to break a dependency cycle; it is updated in a later phase, once its producer
exists."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("plan", help="the phases in which envers deploy", description=DESCRIPTION)
    add_paths(p)
    p.add_argument("--enver", metavar="BUILD.ENVER",
                   help="plan only this enver and everything it depends on")
    add_options(p, "the plan")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ir, result = checked(args)
    if ir is None:
        return 1
    target = enver_id(ir, args.enver) if args.enver else None
    try:
        outcome = plan(ir, target)
    except UnbreakableCycle as e:
        # The checker's E306 rejects such cycles before a plan is made; this is the same
        # diagnostic, should a cycle ever get past it.
        return report(args, result, [cycle_diagnostic(result.model, e.cycle)])
    if args.format == "json":
        sys.stdout.write(outcome.plan.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(plan_text(outcome))
    return 0
