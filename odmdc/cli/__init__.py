"""`odmdc` command line: one module per command, each with `add_parser` and `run`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from odmdc import __version__
from odmdc.cli import (
    backends,
    check,
    clone,
    compile,
    explain,
    fmt,
    impact,
    plan,
    show,
)
from odmdc.compiler import gc_policy
from odmdc.compiler.sources import UsageError

COMMANDS: tuple[ModuleType, ...] = (
    check, compile, fmt, show, plan, impact, clone, explain, backends,
)

DESCRIPTION = """\
Compile organisation contracts (.odmd) into deployable artefacts.

Exit status: 0 clean, 1 errors found, 2 usage error."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="odmdc", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"odmdc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with gc_policy.command():
            status: int = args.run(args)
    except UsageError as e:
        print(f"odmdc {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("odmdc: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    return status
