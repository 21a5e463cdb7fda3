"""`odmdc clone PATHS --build B --branch BR --message MSG`: what a push with MSG to BR does.

`odmd: create@<origin>` checks the contracts together with the clone it asks for (E401–E407 and
every other rule) and prints the clone's names; `odmd: delete` prints what would be removed; a
message without a command has nothing to do. Names go to stdout, diagnostics to stderr (text),
or everything to stdout as one JSON document (`--format json`).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from odmdc import api
from odmdc.api.clone import Action, Outcome, evaluate
from odmdc.cli.common import _use_color, add_backends, add_color, add_paths, add_rule_options
from odmdc.cli.compile import report
from odmdc.cli.describe import enver_lines
from odmdc.compiler import ir
from odmdc.compiler.clones.commit_message import COMMIT_MESSAGE
from odmdc.compiler.diagnostics import Severity, count_by_severity
from odmdc.compiler.location import Location
from odmdc.compiler.render import render
from odmdc.compiler.render.json import DiagnosticOut, Summary, to_model
from odmdc.compiler.render.text import summary
from odmdc.compiler.sources import UsageError

_HEADS = "refs/heads/"
_TAGS = "refs/tags/"


class CloneReport(BaseModel):
    """`odmdc clone --format json`."""

    version: Literal[1] = 1
    build: str
    branch: str
    action: Action
    ok: bool
    clone: ir.Enver | None  # create
    removes: list[ir.Enver]  # delete
    origin_known: bool  # delete: False when `removes` lists one clone per possible origin
    reason: str | None  # delete: why nothing would be removed
    ignored: list[Location]  # `odmd:` inside a line: prose, not a command
    diagnostics: list[DiagnosticOut]
    summary: Summary


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "clone", help="check a commit message's clone command and print the clone's names",
        description="Read the `odmd:` command of a commit message pushed to BRANCH of BUILD: "
        "for `odmd: create@<branch or tag>`, check the contracts with the clone it makes "
        "(E401-E407 and every other rule) and print the clone's names; for `odmd: delete`, "
        "print what would be removed. `odmdc explain E406` describes how messages are read.")
    add_paths(p)
    p.add_argument("--build", required=True, metavar="BUILD", help="the build pushed to")
    p.add_argument("--branch", required=True, metavar="BRANCH",
                   help="the branch pushed to (a leading `refs/heads/` is dropped)")
    p.add_argument("--message", required=True, metavar="MSG",
                   help="the commit message; `-` reads it from standard input")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="output format (default: text)")
    p.add_argument("-o", "--output", metavar="DIR",
                   help="also compile the org as it will be after the push (with the new clone, "
                   "or without the deleted one) into DIR, as `odmdc compile -o DIR` does")
    add_backends(p, "with -o: emit with this backend instead of the org's list; repeatable")
    add_rule_options(p, enable=False)
    add_color(p)
    p.set_defaults(run=run)


def _branch(raw: str) -> str:
    branch = raw.strip()
    if branch.startswith(_TAGS):
        raise UsageError(f"{raw!r} is a tag: clones are made on branches")
    branch = branch.removeprefix(_HEADS)
    if not branch:
        raise UsageError("--branch is empty")
    return branch


def _message(raw: str) -> str:
    if raw != "-":
        return raw
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin.read()
    data: bytes = buffer.read()
    return data.decode("utf-8", errors="replace")


def run(args: argparse.Namespace) -> int:
    branch = _branch(args.branch)
    message = _message(args.message)
    sources = api.read(args.paths)
    unit = api.load(args.paths, sources)
    outcome = evaluate(unit, args.build, branch, message)
    if args.deny_warnings:
        outcome.diagnostics = [d.as_error() if d.severity is Severity.WARNING else d
                               for d in outcome.diagnostics]
    texts = {**unit.texts}
    texts.setdefault(COMMIT_MESSAGE, message)
    if args.format == "json":
        sys.stdout.write(_json(outcome, args.build, branch, unit.file_count) + "\n")
    else:
        _text(outcome, texts, args.color)
    if not outcome.ok:
        return 1
    if args.output and outcome.unit is not None:
        # the contracts as after the push, through the path `odmdc compile -o` takes
        digest = hashlib.sha256(message.encode()).hexdigest()
        settings = api.Settings(tuple(args.backend), (), args.deny_warnings,
                                (f"clone={args.build}:{branch}:{digest}",))
        result = api.compile_to(Path(args.output), sources, settings, unit=outcome.unit)
        return report(_compile_args(args), result, "clone", shown=outcome.diagnostics)
    return 0


def _compile_args(args: argparse.Namespace) -> argparse.Namespace:
    """`args` as `odmdc compile`'s printing reads them (text diagnostics, no --check)."""
    return argparse.Namespace(**{**vars(args), "format": "text", "check": False})


def _json(outcome: Outcome, build: str, branch: str, files: int) -> str:
    counts = count_by_severity(outcome.diagnostics)
    report = CloneReport(
        build=build, branch=branch, action=outcome.action, ok=outcome.ok, clone=outcome.clone,
        removes=outcome.removes, origin_known=outcome.origin_known, reason=outcome.reason,
        ignored=[Location.of(s) for s in outcome.mentions],
        diagnostics=[to_model(d) for d in outcome.diagnostics],
        summary=Summary(files=files, errors=counts[Severity.ERROR],
                        warnings=counts[Severity.WARNING], infos=counts[Severity.INFO]),
    )
    return report.model_dump_json(indent=2)


def _text(outcome: Outcome, texts: dict[str, str], color: str) -> None:
    if outcome.diagnostics:
        shown = render("text", outcome.diagnostics, texts,
                       color=_use_color(color, sys.stderr))
        sys.stderr.write(shown + "\n" + summary(outcome.diagnostics) + "\n")
    if not outcome.ok:
        return
    out = sys.stdout
    if outcome.action == "none":
        out.write("nothing to do: the commit message has no `odmd:` command\n")
        for span in outcome.mentions:
            out.write(f"  note: `odmd:` at {span.short()} is inside a line, so it is not a "
                      "command; a command starts its line\n")
    elif outcome.action == "create" and outcome.clone is not None:
        c = outcome.clone
        out.write(f"clone `{c.id}` of `{c.clone_of}`\n")
        out.write("\n".join(enver_lines(c)) + "\n")
    elif outcome.action == "delete":
        _text_delete(outcome)


def _text_delete(outcome: Outcome) -> None:
    out = sys.stdout
    if not outcome.removes:
        out.write(f"nothing to remove: {outcome.reason}\n")
        return
    first = outcome.removes[0]
    if outcome.origin_known:
        for e in outcome.removes:
            out.write(f"`odmd: delete` removes clone `{e.id}` of `{e.clone_of}`:\n")
            out.write("\n".join(enver_lines(e, names_only=True)) + "\n")
            out.write(f"  (its roles and workflow are shared with `{e.clone_of}` and stay)\n")
        return
    out.write(
        f"branch `{first.revision.value}` is not a declared clone, so which enver it was made "
        f"from depends on the `odmd: create@…` that made it; `odmd: delete` removes, for each "
        f"enver of `{first.build}` it could be a clone of:\n")
    for e in outcome.removes:
        origin = e.clone_of or ""
        out.write(f"\nif made from `{origin}`:\n")
        out.write("\n".join(enver_lines(e, names_only=True)) + "\n")
    out.write("\n(roles and workflows are shared with the origin and stay)\n")
