"""`odmdc backends`: the installed backends, with the distribution each comes from."""

from __future__ import annotations

import argparse

from odmdc.backends.registry import BackendError, available


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backends", help="list installed backends",
                       description="List the backends installed in the `odmdc.backends` "
                       "entry-point group: name, distribution, version and description.")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    rows = []
    for info in available().values():
        try:
            description = info.load().description
        except BackendError as e:
            description = f"(broken: {e})"
        rows.append((info.name, f"{info.distribution} {info.version}", description))
    if not rows:
        print("no backends installed")
        return 0
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    for name, dist, description in rows:
        print(f"{name:<{w0}}  {dist:<{w1}}  {description}")
    return 0
