"""`odmdc compile PATHS… -o DIR`: check, run the backends, write the output tree atomically."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Collection
from pathlib import Path

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
        "compile", help="compile contracts into deployable artefacts",
        description="Check the contracts, run the backends (the org's `backends`, or those "
        "named with --backend) and write their output under DIR atomically: only changed "
        "files are rewritten, files no longer produced are removed, DIR/manifest.json lists "
        "every generated file with its hash. When nothing changed since the last compile "
        "into DIR (sources, options, odmdc, output files), it says `DIR: up to date` and "
        "repeats that compile's warnings without parsing (cache: DIR/.odmdc-state.json).",
    )
    add_paths(p)
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output directory")
    add_backends(p, "emit with this backend instead of the org's list; repeatable "
                 "(`odmdc backends` lists them)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 listing the files that are out of date")
    add_diagnostic_options(p)
    add_timings(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with timed(args) as timings:
        with timings.stage("parse"):
            sources = api.read(args.paths)
        settings = api.Settings(tuple(args.backend), tuple(args.enable), args.deny_warnings)
        result = api.compile_to(Path(args.output), sources, settings, check=args.check,
                                timings=timings)
        return report(args, result, "compile")


def report(args: argparse.Namespace, result: api.DirResult, command: str,
           shown: Collection[api.Diagnostic] = ()) -> int:
    """Print what `compile_to` did, as `odmdc compile` does (but for the diagnostics already
    `shown`); the exit status."""
    root = Path(args.output)
    if result.replayed is not None:
        finish(args, result.replayed, result.unit, quiet=True)
        print(f"{root}: up to date", file=sys.stderr)
        return 0
    for problem in result.errors:
        print(f"odmdc {command}: error: {problem}", file=sys.stderr)
    status = finish(args, [d for d in result.diagnostics if d not in shown], result.unit,
                    quiet=True)
    if status or result.errors or result.changes is None:
        return 1
    ch = result.changes
    if args.check:
        for p in ch.written:
            print(f"out of date: {root / p}", file=sys.stderr)
        for p in ch.removed:
            print(f"no longer generated: {root / p}", file=sys.stderr)
        return 1 if ch.dirty else 0
    print(f"{root}: {len(ch.written)} written, {len(ch.removed)} removed, "
          f"{len(ch.unchanged)} unchanged", file=sys.stderr)
    return 0
