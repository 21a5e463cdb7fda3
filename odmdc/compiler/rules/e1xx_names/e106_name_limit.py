from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from odmdc.compiler import name_limits, naming
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.model import BuildDef, EnverDef
from odmdc.compiler.checker.names import EnverNames
from odmdc.compiler.checker.validity import account_ok, region_ok, revision_ok
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.name_limits import NameKind
from odmdc.compiler.rules.base import Rule
from odmdc.compiler.span import Span

_SHOWN = 100  # longer names are abbreviated in the message and given whole in a note


@dataclass(frozen=True, slots=True)
class _Problem:
    span: Span  # the declaration that determines the name
    label: str
    what: str  # "build role name", "stack name", …
    name: str
    why: str
    help: str
    secondary: tuple[Label, ...] = ()


class NameLimit(Rule):
    code = "E106"
    title = "generated name breaks a limit"
    summary = (
        "A generated name (stack, IAM role name or path, config-store or artefact parameter, "
        "ECR repository, workflow file or secret, and a backend's own names, e.g. the "
        "codepipeline backend's pipelines) breaks an AWS or GitHub limit."
    )

    def check(self, ctx: CheckContext) -> None:
        found: dict[tuple[Span, str, str], _Problem] = {}
        for b in ctx.model.builds.values():
            for p in _build_problems(b):
                found.setdefault((p.span, p.what, p.name), p)
        targets: set[tuple[str, str, str | None]] = set()  # build, region, account
        for e in ctx.model.envers():
            n = ctx.names(e)
            origin = ctx.names(e.origin) if e.origin is not None else None
            problems = _enver_problems(e, n, origin)
            target = (e.build.id, e.region, e.account_id)
            if target not in targets:  # the build's roles and workflow there: once
                targets.add(target)
                problems += _target_problems(e, n)
            for p in problems:
                found.setdefault((p.span, p.what, p.name), p)
        by_span: dict[Span, list[_Problem]] = defaultdict(list)
        for key in sorted(found):
            by_span[key[0]].append(found[key])
        for span, problems in by_span.items():
            first, rest = problems[0], problems[1:]
            shown = _abbreviate(first.name)
            notes = [f"the whole name is `{first.name}`"] if shown != first.name else []
            notes += [f"also: {p.what} `{_abbreviate(p.name)}` {p.why}" for p in rest]
            ctx.report(self.code, f"{first.what} `{shown}` {first.why}", span, first.label,
                       help=first.help, notes=notes, secondary=first.secondary)


def _problem(kind: NameKind, name: str, span: Span, label: str, what: str, help_text: str,
             secondary: tuple[Label, ...] = ()) -> list[_Problem]:
    why = name_limits.limit_problems(kind, name)
    return [] if why is None else [_Problem(span, label, what, name, why, help_text, secondary)]


def _build_problems(b: BuildDef) -> list[_Problem]:
    """Names made of the build id alone."""
    span, label = b.node.name.span, "the build id is part of this name"
    shorten = "shorten the build id"
    return [
        *_problem("role path", naming.role_path(b.id), span, label, "IAM role path", shorten),
        *_problem("parameter name", naming.artifact_bucket_parameter(b.id), span, label,
                  "artefact bucket parameter", shorten),
    ]


def _target_problems(e: EnverDef, n: EnverNames) -> list[_Problem]:
    """Names of the build in the enver's account and region, shared by its envers there."""
    if not (account_ok(e) and region_ok(e)) or e.kind is None:
        return []  # E201/E107 report the account or region, E201 the type
    b = e.build
    span, label = b.node.name.span, "the build id is part of this name"
    out: list[_Problem] = []
    for what, name in (("build role name", n.names.build_role_name),
                       ("center role name", n.names.center_role_name)):
        room = name_limits.MAX_LENGTH["role name"] - (len(name) - len(b.id))
        out += _problem("role name", name, span, label, what,
                        f"shorten the build id to at most {room} characters: role names are "
                        f"`<build>-<region><account>-{name.rsplit('-', 1)[-1]}`")
    out += _problem("parameter name", n.names.artifact_bucket_parameter_for_account, span, label,
                    "artefact bucket parameter", "shorten the build id")
    out += _problem("workflow file", n.names.workflow_file, span, label, "workflow file",
                    "shorten the build id: workflow files are "
                    "`ODMD_<build>-<KindTag><region>-<account alias>.yaml`")
    out += _problem("secret name", n.names.workflow_secret, span, label, "workflow secret",
                    "shorten the build id")
    return out


def _enver_problems(e: EnverDef, n: EnverNames, origin: EnverNames | None) -> list[_Problem]:
    """Names made of the enver's revision: stacks, product paths, ECR repositories.

    A clone's name is skipped when its origin's counterpart fails too: the fault is in what
    the clone copies (a template, a product, an image), reported once, on the origin."""
    if not revision_ok(e):
        return []  # E102 reports the revision
    out: list[_Problem] = []
    clone = origin is not None
    own = e.name_span

    def inherited(kind: NameKind, names: tuple[str, ...], i: int) -> bool:
        return i < len(names) and name_limits.limit_problems(kind, names[i]) is not None

    if e.kind == "cdk":
        template = e.attributes.get("stacks") or (
            e.build.type.attribute("stacks") if e.build.type else None)
        secondary = (Label(template.value.span, "stack templates declared here"),) \
            if template is not None else ()
        origin_stacks = tuple(s.name for s in origin.stacks) if origin else ()
        for i, s in enumerate(n.stacks):
            if inherited("stack name", origin_stacks, i):
                continue
            why = name_limits.limit_problems("stack name", s.name)
            starts = why is not None and why.startswith("starts with")
            out += _problem(
                "stack name", s.name, own, "the clone's stack" if clone else "the enver's stack",
                "stack name",
                f"start the stack template `{s.template}` with a letter or `{{build}}`" if starts
                else "shorten the branch or tag, or give the enver `stacks` templates that make "
                "shorter names", secondary)
    origin_paths = tuple(p.path for p in origin.products) if origin else ()
    failed: set[tuple[str, ...]] = set()  # a child's path is longer and deeper than its parent's
    for i, p in enumerate(n.products):
        if p.product.path[:-1] in failed or inherited("parameter name", origin_paths, i):
            failed.add(p.product.path)
            continue
        if name_limits.limit_problems("parameter name", p.path) is not None:
            failed.add(p.product.path)
        span = own if clone else p.product.name.span
        levels = p.path.strip("/").count("/") + 1
        out += _problem(
            "parameter name", p.path, span,
            f"the clone's path for product `{p.product.dotted}`" if clone else
            f"the path of this product in `{e.id}`", "config-store path",
            "nest products less deeply" if levels > name_limits.MAX_PARAMETER_LEVELS else
            "shorten the product names, the revision or the build id")
    origin_repositories = tuple(i.repository for i in origin.images) if origin else ()
    for i, img in enumerate(n.images):
        if inherited("ECR repository", origin_repositories, i):
            continue
        image = img.image
        span = own if clone else (image.repo.span if image.repo else image.name.span)
        out += _problem(
            "ECR repository", img.repository, span,
            f"the clone's repository for image `{image.name.text}`" if clone else
            f"the repository `{e.id}` pushes this image to", "ECR repository",
            "ECR keeps only `[a-z0-9-/]` of `<build>/<revision path>/<repo part>`, lower-cased: "
            "each `/`-separated part must start and end with a letter or digit, so choose a "
            '`repo "…"` part and a revision name that do')
    return out


def _abbreviate(name: str) -> str:
    return name if len(name) <= _SHOWN else f"{name[:60]}…{name[-30:]}"
