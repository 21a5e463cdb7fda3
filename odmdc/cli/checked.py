"""For commands that work on checked contracts (`plan`, `impact`): load and check PATHS and
hand back the IR when there are no errors.

Diagnostics behave as in `odmdc show`: with errors, they are the output (`--format json`
prints them as JSON on stdout, text goes to stderr) and the command exits 1; warnings alone
go to stderr as text, so stdout stays one document of the command's own shape.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from odmdc import api
from odmdc.cli.common import finish
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.ir import IR


def add_options(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help=f"{what} as text or JSON (default: text); contracts with errors get "
                   "their diagnostics in that format instead")
    p.add_argument("--enable", action="append", default=[], metavar="CODE",
                   help="turn on an off-by-default rule (e.g. W301); repeatable")
    p.add_argument("--deny-warnings", action="store_true", help="treat warnings as errors")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour diagnostics (auto: only on a terminal, unless NO_COLOR)")


def checked(args: argparse.Namespace) -> tuple[IR | None, api.Checked]:
    """The IR of `args.paths`, or None after reporting the errors that prevent one. The
    backends' own checks do not run: these commands print the IR, not what backends make."""
    result = api.check(api.load(args.paths), enable=args.enable,
                       deny_warnings=args.deny_warnings, run_backends=False)
    if not result.ok:
        report(args, result, result.diagnostics)
        return None, result
    if result.diagnostics:
        finish(argparse.Namespace(**{**vars(args), "format": "text"}), result.diagnostics,
               result.unit)
    assert result.ir is not None, "an error-free check builds the IR"
    return result.ir, result


def report(args: argparse.Namespace, result: api.Checked,
           diagnostics: Sequence[Diagnostic]) -> int:
    """Print errors in the chosen format; the exit status (1)."""
    return finish(args, diagnostics, result.unit)
