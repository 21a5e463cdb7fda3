"""Options and output shared by the commands that report diagnostics."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from odmdc.compiler.diagnostics import Diagnostic, Severity
from odmdc.compiler.render import FORMATS, render
from odmdc.compiler.render.text import summary
from odmdc.compiler.timings import Timings
from odmdc.compiler.unit import Unit


def add_paths(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths", nargs="*", metavar="PATHS",
        help="files or directories (searched recursively for *.odmd); default: .",
    )


def add_timings(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timings", metavar="FILE",
                   help="write where the time went (parse, check, plan, each backend, write, "
                   "total, files and bytes written, peak RSS) to FILE as JSON")


def add_diagnostic_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="diagnostic format (default: text)")
    add_rule_options(p)
    add_color(p)


def add_rule_options(p: argparse.ArgumentParser, *, enable: bool = True) -> None:
    """`--deny-warnings` and (unless `enable` is False) `--enable CODE`."""
    p.add_argument("--deny-warnings", action="store_true", help="treat warnings as errors")
    if enable:
        p.add_argument("--enable", action="append", default=[], metavar="CODE",
                       help="turn on an off-by-default rule (e.g. W301); repeatable")


def add_color(p: argparse.ArgumentParser) -> None:
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour text diagnostics (auto: only on a terminal, unless NO_COLOR)")


def add_backends(p: argparse.ArgumentParser, help: str) -> None:
    p.add_argument("--backend", action="append", default=[], metavar="NAME", help=help)


@contextmanager
def timed(args: argparse.Namespace) -> Iterator[Timings]:
    """The command's timings, written to `--timings FILE` (when given) however it ends."""
    timings = Timings()
    try:
        yield timings
    finally:
        if args.timings:
            timings.write(args.timings)


def _use_color(choice: str, stream: object) -> bool:
    """`always`/`never` as said; `auto`: a terminal that can show colour, unless `NO_COLOR`
    is set to anything but the empty string (no-color.org)."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def finish(
    args: argparse.Namespace, diagnostics: Sequence[Diagnostic], unit: Unit, quiet: bool = False
) -> int:
    """Print the diagnostics in the chosen format; the exit status they imply. `quiet` drops
    the "no problems found" line of clean text output (`compile` reports what it wrote)."""
    shown = [d.as_error() if args.deny_warnings and d.severity is Severity.WARNING else d
             for d in diagnostics]
    fmt = args.format
    if fmt == "text":
        color = _use_color(args.color, sys.stderr)
        text = render("text", shown, unit.texts, color=color)
        if text:
            sys.stderr.write(text + "\n")
        if shown or not quiet:
            sys.stderr.write(summary(shown) + "\n")
    else:
        sys.stdout.write(render(fmt, shown, unit.texts, files_checked=unit.file_count))
    return 1 if any(d.severity is Severity.ERROR for d in shown) else 0


def warn(args: argparse.Namespace, diagnostics: Sequence[Diagnostic], unit: Unit) -> None:
    """Print warnings as text on stderr whatever `--format` says, for commands whose stdout is
    one document of their own shape."""
    finish(argparse.Namespace(**{**vars(args), "format": "text"}), diagnostics, unit)
