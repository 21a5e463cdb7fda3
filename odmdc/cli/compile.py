"""`odmdc compile PATHS… -o DIR`: check, run the backends, write the output tree atomically."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from odmdc.api import recompile as fingerprint
from odmdc.api.output_tree import diff_tree, with_manifest, write_tree
from odmdc.backends.run import emit, selected
from odmdc.cli.common import add_diagnostic_options, add_paths, add_timings, finish
from odmdc.compiler.checker.backend_options import option_diagnostics
from odmdc.compiler.checker.run import check_unit
from odmdc.compiler.diagnostics import Severity
from odmdc.compiler.ir import IR
from odmdc.compiler.render import render
from odmdc.compiler.sources import stdlib_sources
from odmdc.compiler.timings import NULL, Timings
from odmdc.compiler.unit import Unit, load, read_all


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
    p.add_argument("--backend", action="append", default=[], metavar="NAME",
                   help="emit with this backend instead of the org's list; repeatable "
                   "(`odmdc backends` lists them)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 listing the files that are out of date")
    add_diagnostic_options(p)
    add_timings(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    timings = Timings()
    try:
        return _compile(args, timings)
    finally:
        if args.timings:
            timings.write(args.timings)


def _compile(args: argparse.Namespace, timings: Timings) -> int:
    root = Path(args.output)
    with timings.stage("parse"):
        got = read_all(args.paths)
        settings = [*(f"backend={b}" for b in args.backend), *(f"enable={c}" for c in args.enable),
                    f"deny-warnings={args.deny_warnings}"]
        stamp = fingerprint.inputs(got.sources, settings)
        replay = None if args.check or got.problems else fingerprint.cached(root, stamp)
        if replay is not None:
            texts = {s.path: s.text for s in (*stdlib_sources(), *got.sources)}
            finish(args, replay, Unit(texts=texts, file_count=got.file_count), quiet=True)
            print(f"{root}: up to date", file=sys.stderr)
            return 0
        unit = load(args.paths, got)
    with timings.stage("check"):
        result = check_unit(unit, enable=args.enable, deny_warnings=args.deny_warnings)
    if result.ir is None:
        return finish(args, result.diagnostics, unit)
    names = selected(result.ir, args.backend)
    if args.backend and result.model.org is not None:
        # backends named on the command line: their options were not checked with the org's
        problems = option_diagnostics(result.model.org, names)
        if problems:
            return finish(args, [*result.diagnostics, *problems], unit)
    with timings.stage("plan"):
        result.ir.plan()
    emitted = emit(result.ir, names, timings=timings)
    for problem in emitted.errors:
        print(f"odmdc compile: error: {problem}", file=sys.stderr)
    reported = [*result.diagnostics, *emitted.diagnostics]
    status = finish(args, reported, unit, quiet=True)
    if status or emitted.errors:
        return 1
    with timings.stage("write"):
        status = _write(emitted.files, args.output, args.check, timings)
        if not args.check:
            fingerprint.record(root, stamp, with_manifest(emitted.files), reported)
    return status


def write_output(ir: IR, backends: list[str], output: str) -> int:
    """Run the backends over `ir` and write their output under `output` (for `clone -o`)."""
    emitted = emit(ir, selected(ir, backends))
    for problem in emitted.errors:
        print(f"odmdc: error: {problem}", file=sys.stderr)
    if emitted.diagnostics:
        sys.stderr.write(render("text", emitted.diagnostics, {}) + "\n")
    if emitted.errors or any(d.severity is Severity.ERROR for d in emitted.diagnostics):
        return 1
    return _write(emitted.files, output, check=False)


def _write(generated: dict[str, bytes], output: str, check: bool,
           timings: Timings = NULL) -> int:
    root = Path(output)
    files = with_manifest(generated)
    if check:
        ch = diff_tree(root, files)
        for p in ch.written:
            print(f"out of date: {root / p}", file=sys.stderr)
        for p in ch.removed:
            print(f"no longer generated: {root / p}", file=sys.stderr)
        return 1 if ch.dirty else 0
    ch = write_tree(root, files)
    timings.files_written = len(ch.written)
    timings.bytes_written = sum(len(files[p]) for p in ch.written)
    print(f"{root}: {len(ch.written)} written, {len(ch.removed)} removed, "
          f"{len(ch.unchanged)} unchanged", file=sys.stderr)
    return 0
