"""`odmdc show [PATHS] [--enver BUILD.ENVER]`: every name an enver will get, before deploying.

Answers "what will this be called and where will it run": revision path, account and region,
stacks, roles, workflow and secret, artefact parameters, the config-store paths it publishes
and reads, its ECR repositories. Names come from the checked IR, so they are exactly what the
backends emit; contracts with errors get their diagnostics instead (exit 1).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping

from pydantic import BaseModel

from odmdc import api
from odmdc.api.emit import backend_names, selected
from odmdc.cli.common import add_color, add_paths, add_rule_options, finish, warn
from odmdc.compiler.ir import IR, Consumer, Enver, Reaction
from odmdc.compiler.sources import UsageError
from odmdc.compiler.suggest import did_you_mean


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "show", help="print every generated name of each enver",
        description="Check the contracts, then print, for every enver (or the one named), "
        "every name the backends will use: revision path, account and region, stacks, roles, "
        "workflow and secret, artefact parameters, published and consumed config-store paths, "
        "ECR repositories. With errors, print the diagnostics instead and exit 1.",
    )
    add_paths(p)
    p.add_argument("--enver", metavar="BUILD.ENVER", help="show only this enver (or clone)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="output format (default: text); json is `{\"envers\": [...]}`")
    add_rule_options(p)
    add_color(p)
    p.set_defaults(run=run)


class ShowDocument(BaseModel):
    """`odmdc show --format json`: the IR's enver models, in enver-id order, and by enver id
    the names the org's backends give it of their own (e.g. the codepipeline backend's
    pipeline), by backend."""

    envers: list[Enver]
    backend_names: dict[str, dict[str, dict[str, str]]]


def run(args: argparse.Namespace) -> int:
    unit = api.load(args.paths)
    result = api.check(unit, enable=args.enable, deny_warnings=args.deny_warnings,
                       run_backends=False)
    if args.enver is not None and result.model.enver(args.enver) is None:
        known = [e.id for e in result.model.envers()]
        hint = did_you_mean(args.enver, known)
        raise UsageError(f"unknown enver `{args.enver}`" + (f"; {hint}" if hint else ""))
    if not result.ok:
        return finish(args, result.diagnostics, unit)
    if result.diagnostics:  # warnings only: as text on stderr, so stdout stays one document
        warn(args, result.diagnostics, unit)
    assert result.ir is not None, "an error-free check builds the IR"
    ir = result.ir
    envers = shown(ir, args.enver)
    own = {e.id: backend_names(ir, e, selected(ir.org)) for e in envers}
    if args.format == "json":
        doc = ShowDocument(envers=envers, backend_names={i: n for i, n in own.items() if n})
        sys.stdout.write(doc.model_dump_json(indent=2) + "\n")
    else:
        sys.stdout.write(render_envers(envers, own))
    return 0


def shown(ir: IR, only: str | None) -> list[Enver]:
    """The envers to show, their products, consumers and images sorted by name, so that the
    output does not depend on declaration order."""
    envers = [ir.enver(only)] if only is not None else ir.envers()
    return [
        e.model_copy(update={
            "products": tuple(sorted(e.products, key=lambda p: p.name.split("."))),
            "consumers": tuple(sorted(e.consumers, key=lambda c: c.name)),
            "images": tuple(sorted(e.images, key=lambda i: i.name)),
        })
        for e in envers
    ]


# ---- text ----------------------------------------------------------------------------------
_KEY = 14  # width of the key column


def render_envers(envers: Iterable[Enver],
                  own: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None) -> str:
    """The envers as `show` prints them; `own`: the backends' own names, by enver id."""
    return "\n".join(_enver(e, (own or {}).get(e.id, {})) for e in envers)


def _enver(e: Enver, own: Mapping[str, Mapping[str, str]]) -> str:
    n = e.names
    rev = e.revision
    account = e.account_id if e.account_alias == e.account_id else \
        f"{e.account_alias} ({e.account_id})"
    kind = e.kind if e.enver_type == e.kind else f"{e.kind}, type {e.enver_type}"
    lines = [e.id]
    row = lines.append

    def field(key: str, value: str, indent: int = 2) -> None:
        row(f"{' ' * indent}{key.ljust(_KEY - indent + 2)}{value}")

    field("revision", f"{rev.kind} {rev.value}  →  {rev.path}")
    if e.clone_of is not None:
        field("clone of", e.clone_of)
    field("account", account)
    field("region", e.region if e.partition == "aws" else f"{e.region} (partition {e.partition})")
    field("kind", kind)
    if e.kind == "cdk":
        field("stacks", ", ".join(n.stacks))
    field("build role", n.build_role_name)
    field("path", n.build_role_path, indent=4)
    field("arn", n.build_role_arn, indent=4)
    field("center role", n.center_role_name)
    field("arn", n.center_role_arn, indent=4)
    field("workflow", n.workflow_file)
    field("secret", n.workflow_secret, indent=4)
    field("artefacts", n.artifact_bucket_parameter)
    field("", n.artifact_bucket_parameter_for_account)
    for backend, names in sorted(own.items()):
        row(f"  {backend}")
        for what, name in names.items():
            field(what, name, indent=4)
    _table(lines, "produces", [
        [p.name, p.type, p.path + ("  (s3artifact)" if p.s3artifact else "")]
        for p in e.products
    ])
    _table(lines, "consumes", [_consumer_row(c) for c in e.consumers])
    if e.kind == "container_image":
        _table(lines, "images", [[i.name, i.local, f"→ ECR {i.repository}"] for i in e.images])
    return "\n".join(lines) + "\n"


def _consumer_row(c: Consumer) -> list[str]:
    tail = f"from {c.producer} ({c.product}), on change: {_reaction(c.reaction)}"
    if c.default is not None:
        tail += f", default {json.dumps(c.default)}"
    return [c.name, c.type, c.reads, tail]


def _reaction(r: Reaction) -> str:
    return f"{r.kind}({', '.join(r.roles)})" if r.roles else r.kind


def _table(lines: list[str], title: str, rows: list[list[str]]) -> None:
    if not rows:
        lines.append(f"  {title.ljust(_KEY)}none")
        return
    lines.append(f"  {title}")
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for r in rows:
        cells = [c.ljust(w) for c, w in zip(r, widths, strict=False)] + [r[-1]]
        lines.append("    " + "  ".join(cells).rstrip())
