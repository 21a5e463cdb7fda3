from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from odmdc.compiler import ast
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.model import EnverDef
from odmdc.compiler.checker.validity import revision_ok
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule
from odmdc.compiler.span import Span

Space = Literal["stack", "path", "ecr", "revision"]
_WHAT: dict[Space, str] = {
    "stack": "stack",
    "path": "config-store path",
    "ecr": "ECR repository",
    # every backend names an enver's own files and records by it (the ssm env file, the
    # codepipeline files, the workflow's table of envers): one build's envers need their own
    "revision": "revision path",
}
_MAX_NOTES = 3


@dataclass(frozen=True, slots=True)
class _Use:
    """One enver's claim on a name: its `index`-th stack template, product or image."""

    space: Space
    name: str
    enver: EnverDef
    index: int
    where: str  # " in account `x`, region `y`" for per-account names
    template: str = ""
    image: ast.Image | None = None

    def order(self) -> tuple[str, int]:
        return (self.enver.id, self.index)


class NameCollision(Rule):
    code = "E105"
    title = "generated names collide"
    summary = (
        "Two envers (clones included), or two stack templates or images of one enver, get the "
        "same stack name or ECR repository in one account and region, or the same "
        "config-store path, once names are sanitised; or two envers of one build the same "
        "revision."
    )

    def check(self, ctx: CheckContext) -> None:
        groups: dict[tuple[str, ...], list[_Use]] = defaultdict(list)
        for e in ctx.model.envers():
            if not revision_ok(e):
                continue  # E102: the names would change with the fix
            n = ctx.names(e)
            groups[("revision", e.build.id, e.rev_path)].append(
                _Use("revision", e.rev_path, e, 0, f" of build `{e.build.id}`"))
            for i, p in enumerate(n.products):
                groups[("path", p.path)].append(_Use("path", p.path, e, i, ""))
            if e.account_id is None or e.kind is None:
                continue  # E201: no account or no kind to place the names in
            # Role names and workflow files are shared on purpose by a build's envers in one
            # account and region; stack names and ECR repositories are not.
            where = f" in account `{n.account_alias}`, region `{e.region}`"
            scope = (e.account_id, e.region)
            for i, s in enumerate(n.stacks):
                groups[("stack", *scope, s.name)].append(
                    _Use("stack", s.name, e, i, where, template=s.template))
            for i, img in enumerate(n.images):
                groups[("ecr", *scope, img.repository)].append(
                    _Use("ecr", img.repository, e, i, where, image=img.image))
        # (offender, first) → the names they share; the first is the smallest enver id
        pairs: dict[tuple[str, str], list[tuple[_Use, _Use]]] = defaultdict(list)
        # collisions are rare: sort only the names more than one use shares
        for key in sorted(k for k, v in groups.items() if len(v) > 1):
            uses = sorted(groups[key], key=_Use.order)
            first_of: dict[str, _Use] = {}
            for u in uses:
                if u.enver.id in first_of:  # two templates or images of one enver
                    pairs[(u.enver.id, u.enver.id)].append((u, first_of[u.enver.id]))
                    continue
                first_of[u.enver.id] = u
                if u is not uses[0]:
                    pairs[(u.enver.id, uses[0].enver.id)].append((u, uses[0]))
        reported: set[tuple[Span, Span | None]] = set()
        # an origin's templates and images before its clones' copies of them
        for key in sorted(pairs, key=lambda k: (pairs[k][0][0].enver.is_clone, k)):
            clashes = pairs[key]
            if key[0] == key[1]:
                for u, first in clashes:
                    self._within(ctx, u, first, reported)
            else:
                self._between(ctx, clashes)

    def _between(self, ctx: CheckContext, clashes: list[tuple[_Use, _Use]]) -> None:
        clashes = sorted(clashes, key=lambda c: (list(_WHAT).index(c[0].space), c[0].name))
        u, first = clashes[0]
        e, f = u.enver, first.enver
        verb = {"stack": "deploy stack", "path": "publish", "ecr": "push to ECR repository",
                "revision": "deploy revision"}
        message = f"`{e.id}` and `{f.id}` both {verb[u.space]} `{u.name}`{u.where}"
        # the shared revision itself goes without saying once another name shows it
        more = [c for c, _ in clashes[1:] if c.space != "revision"]
        notes = [f"they also share {_WHAT[c.space]} `{c.name}`" for c in more[:_MAX_NOTES]]
        if len(more) > _MAX_NOTES:
            notes.append(f"… and {len(more) - _MAX_NOTES} more names")
        if e.build is f.build:
            span, other = _revision_span(e), _revision_span(f)
            if e.rev_path == f.rev_path:
                label = f"same revision as `{f.id}`"
                help_text = (f"two envers of one build need different revisions: give `{e.id}` "
                             "its own branch or tag")
            else:
                label = f"same names as `{f.id}`'s revision once sanitised"
                help_text = _SANITISE_HELP[u.space] + " choose a revision name that stays "\
                    "distinct"
            secondary = Label(other, f"`{f.id}`'s revision")
        else:
            span = e.name_span
            label = f"names collide with `{f.id}`'s"
            secondary = Label(f.name_span, f"`{f.id}` declared here")
            help_text = _SANITISE_HELP[u.space] + (
                " rename a build or a revision, or give one of the envers `stacks` templates "
                "that keep the names apart" if u.space == "stack"
                else " rename one of the builds or revisions")
        ctx.report(self.code, message, span, label, help=help_text, notes=notes,
                   secondary=[secondary])

    def _within(self, ctx: CheckContext, u: _Use, first: _Use,
                reported: set[tuple[Span, Span | None]]) -> None:
        e = u.enver
        if u.image is not None and first.image is not None:
            span, other = _image_span(u.image), _image_span(first.image)
            if (span, other) in reported:
                return  # a clone's copy of its origin's images
            reported.add((span, other))
            ctx.report(
                self.code,
                f"images `{u.image.name.text}` and `{first.image.name.text}` of `{e.id}` both "
                f"push to ECR repository `{u.name}`{u.where}",
                span, "same repository as another image",
                secondary=[Label(other, "first image")],
                help=_SANITISE_HELP["ecr"] + ' give one of them a `repo "…"` part that differs '
                "in lower-case letters, digits or `-`",
            )
            return
        span, other = _template_span(e, u.index), _template_span(e, first.index)
        if (span, other) in reported:
            return  # a clone's copy of its origin's templates
        reported.add((span, other))
        ctx.report(
            self.code,
            f"stack templates `{first.template}` and `{u.template}` of `{e.id}` both give stack "
            f"`{u.name}`{u.where}",
            span, "same stack name as another template",
            secondary=[Label(other, "first template")] if other != span else [],
            help=_SANITISE_HELP["stack"] + " make the templates differ in letters or digits",
        )


_SANITISE_HELP: dict[Space, str] = {
    "stack": "stack names turn every character outside `[A-Za-z0-9]` into `-`:",
    "path": "config-store paths are `/odmd-share/<build>/<revision path>/<product>`:",
    "ecr": "ECR repository names are lower-cased and keep only `[a-z0-9-/]`:",
    "revision": "a revision path is `b..<branch>` or `t..<tag>`:",
}


def _revision_span(e: EnverDef) -> Span:
    return e.node.revision.value.span


def _image_span(image: ast.Image) -> Span:
    return image.repo.span if image.repo is not None else image.name.span


def _template_span(e: EnverDef, index: int) -> Span:
    """The `index`-th template of the `stacks` attribute the enver's templates come from."""
    attribute = e.attributes.get("stacks")
    if attribute is None and e.build.type is not None:
        attribute = e.build.type.attribute("stacks")
    if attribute is None:
        return e.name_span
    value = attribute.value
    if isinstance(value, ast.ListValue) and index < len(value.items):
        return value.items[index].span
    return value.span
