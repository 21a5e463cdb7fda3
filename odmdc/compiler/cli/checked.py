"""For commands that work on checked contracts (`plan`, `impact`): load and check PATHS, print
any diagnostics to stderr, and hand back the IR when there are no errors.

Diagnostics always go to stderr as text here, whatever `--format` says: stdout carries only
the command's own result, so `--format json` output is always that result's shape. (For
machine-readable diagnostics, run `odmdc check --format json`.)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from odmdc.compiler.checker.run import CheckResult, check_unit
from odmdc.compiler.cli.common import _use_color
from odmdc.compiler.diagnostics import Diagnostic, Severity
from odmdc.compiler.driver import load
from odmdc.compiler.ir import IR
from odmdc.compiler.render import render
from odmdc.compiler.render.text import summary


def add_options(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help=f"{what} as text or JSON on stdout (default: text); diagnostics go to "
                   "stderr as text")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour diagnostics (auto: only on a terminal, unless NO_COLOR)")


def checked(args: argparse.Namespace) -> tuple[IR | None, CheckResult]:
    """The IR of `args.paths`, or None after printing the errors that prevent one."""
    unit = load(args.paths)
    result = check_unit(unit)
    print_diagnostics(args, result, result.diagnostics)
    return result.ir, result


def print_diagnostics(args: argparse.Namespace, result: CheckResult,
                      diagnostics: Sequence[Diagnostic]) -> None:
    if not diagnostics:
        return
    text = render("text", diagnostics, result.unit.texts, color=_use_color(args.color, sys.stderr))
    sys.stderr.write(text + "\n")
    if any(d.severity is Severity.ERROR for d in diagnostics):
        sys.stderr.write(summary(diagnostics) + "\n")
