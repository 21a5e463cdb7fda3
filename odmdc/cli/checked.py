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
from odmdc.cli.common import add_color, add_rule_options, finish, warn
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.ir import IR


def add_options(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help=f"{what} as text or JSON (default: text); contracts with errors get "
                   "their diagnostics in that format instead")
    add_rule_options(p)
    add_color(p)


def checked(args: argparse.Namespace) -> tuple[IR | None, api.Checked]:
    """The IR of `args.paths`, or None after reporting the errors that prevent one. The
    backends' own checks do not run: these commands print the IR, not what backends make."""
    result = api.check(api.load(args.paths), enable=args.enable,
                       deny_warnings=args.deny_warnings, run_backends=False)
    if not result.ok:
        report(args, result, result.diagnostics)
        return None, result
    if result.diagnostics:
        warn(args, result.diagnostics, result.unit)
    assert result.ir is not None, "an error-free check builds the IR"
    return result.ir, result


def report(args: argparse.Namespace, result: api.Checked,
           diagnostics: Sequence[Diagnostic]) -> int:
    """Print errors in the chosen format; the exit status (1)."""
    return finish(args, diagnostics, result.unit)
