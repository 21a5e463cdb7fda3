"""`odmdc backends`: the installed backends and CI engines, with the distribution each comes
from."""

from __future__ import annotations

import argparse

from odmdc.api.plugins import PluginRow, listed


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backends", help="list installed backends and CI engines",
                       description="List the backends installed in the `odmdc.backends` "
                       "entry-point group, then the CI engines of the `odmdc.ci_engines` "
                       "group (what an org's `ci` may name): name, distribution, version and "
                       "description.")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    backends, engines = listed("backends"), listed("ci engines")
    if not backends:
        print("no backends installed")
    _table(backends)
    if engines:
        print("\nCI engines (an org's `ci`):")
        _table(engines)
    return 0


def _table(rows: list[PluginRow]) -> None:
    if not rows:
        return
    w0 = max(len(r.name) for r in rows)
    w1 = max(len(r.distribution) for r in rows)
    for r in rows:
        print(f"{r.name:<{w0}}  {r.distribution:<{w1}}  {r.description}")
