"""What the roles of a build that may have clones must admit for clones made at run time, and
the check that those admissions reach no other build.

A commit command (`odmd: create@<origin>` on branch B, github_actions backend) makes a clone nobody
can list at compile time. It lives in its origin's account and region, so it deploys through its
origin's group of roles, and its names are the origin's with the clone's revision `<origin
path>-_b..B` (docs/names.md#clones). The roles therefore get, per origin of the group, the patterns
`naming` computes for every such name (`*` for the branch):

* build role: each `stacks` template with `{rev}` (`orders--*`) — deploy and delete; each
  image's repository (`orders/bmaster-b*/web`) — create, push, delete;
* center role: each product's path (`/odmd-share/orders/b..master-_b..*/api`) — write, read,
  delete; and the build's clone records (`/odmd-config/orders/clones/*`: read, write, delete;
  the folder: list).

Parameter paths begin with `/odmd-share/<build>/` or `/odmd-config/<build>/`, so those patterns
cannot reach another build. Stack and repository names are sanitised and may be shaped by a
`stacks` template without `{build}`: a pattern could then also match a stack or repository of
another build in the same account and region, or a name another build's clones can get.
`check` reports that as E601 rather than grant it, and refuses a template whose fixed text
holds no letter or digit (`{rev}`: every stack of the account).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from odmdc.backends.api import EmitContext
from odmdc.backends.ci import RoleGroup
from odmdc.backends.cloudformation.globs import matches, overlap
from odmdc.compiler import naming
from odmdc.compiler.ir import Enver

_ALNUM = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Pattern:
    """A name pattern and the origin (and `stacks` template) it is for."""

    text: str
    origin: Enver
    template: str = ""


@dataclass(frozen=True, slots=True)
class ClonePatterns:
    stacks: tuple[Pattern, ...]  # stack names, target account
    repositories: tuple[Pattern, ...]  # ECR repositories, target account
    products: tuple[Pattern, ...]  # parameter paths, central account

    def texts(self, kind: str) -> list[str]:
        return sorted({p.text for p in getattr(self, kind)})


def clone_patterns(g: RoleGroup) -> ClonePatterns:
    """The names clones made at run time of `g`'s origins can get; nothing when the build may
    have no clones."""
    if not g.clones:
        return ClonePatterns((), (), ())
    b = g.build.id
    stacks = []
    repositories = []
    products = []
    for o in g.origins:
        for t in o.stack_templates:
            text = naming.clone_stack_pattern(t, b)
            if text is not None:  # without `{rev}` no clone is made (the workflow refuses)
                stacks.append(Pattern(text, o, t))
        for i in o.images:
            repositories.append(Pattern(naming.clone_repository_pattern(
                b, o.revision.path, i.part), o))
        for p in o.products:
            products.append(Pattern(naming.clone_product_pattern(
                b, o.revision.path, tuple(p.name.split("."))), o))
    return ClonePatterns(tuple(stacks), tuple(repositories), tuple(products))


def check(groups: list[RoleGroup], ctx: EmitContext) -> None:
    """E601 for every clone pattern that would reach another build in its account and region
    (its stacks or repositories, or names its clones can get), and for stack patterns that
    would match nearly every stack."""
    places: dict[tuple[str, str], list[tuple[RoleGroup, ClonePatterns]]] = defaultdict(list)
    for g in groups:
        places[(g.account_id, g.region)].append((g, clone_patterns(g)))
    for here in places.values():
        for g, pats in here:
            for p in {p.template: p for p in reversed(pats.stacks)}.values():
                fixed = p.template.replace("{build}", g.build.id).replace("{rev}", "")
                if not _ALNUM.search(fixed):
                    ctx.unsupported(
                        p.origin.location,
                        f"clones of `{p.origin.id}` made by commit commands would get stack "
                        f"names `{p.text}` (from `stacks` template `{p.template}`): the build "
                        f"role of `{g.build.id}` would deploy and delete nearly every stack of "
                        f"{g.account_alias} {g.region}",
                        help="give the template fixed text, e.g. `{build}--{rev}`, or set the "
                        "org's `max_clones = 0` so that no clones are made by commit commands")
        for i, (g, pats) in enumerate(here):
            for h, others in here[i + 1:]:
                _pair(g, pats, h, others, ctx)
                _pair(h, others, g, pats, ctx, patterns_too=False)


def _pair(g: RoleGroup, pats: ClonePatterns, h: RoleGroup, others: ClonePatterns,
          ctx: EmitContext, *, patterns_too: bool = True) -> None:
    """Report `g`'s first pattern of each kind that matches one of `h`'s names or (once per
    pair, `patterns_too`) overlaps one of `h`'s patterns."""
    for kind, what, names in (
            ("stacks", "stack", lambda e: e.names.stacks),
            ("repositories", "ECR repository", lambda e: [i.repository for i in e.images])):
        mine: tuple[Pattern, ...] = getattr(pats, kind)
        theirs: tuple[Pattern, ...] = getattr(others, kind)
        hit = _first_hit(mine, ((n, e) for e in h.envers for n in names(e)))
        if hit is not None:
            p, (name, e) = hit
            _report(ctx, g, p, what, f"{what} `{name}` of `{e.id}`")
            continue
        if patterns_too:
            for p in mine:
                q = next((q for q in theirs if overlap(p.text, q.text)), None)
                if q is not None:
                    _report(ctx, g, p, what, f"{what} names `{q.text}` that clones of "
                            f"`{q.origin.id}` made by commit commands get")
                    break


def _first_hit(patterns: tuple[Pattern, ...], names: Iterable[tuple[str, Enver]]
               ) -> tuple[Pattern, tuple[str, Enver]] | None:
    listed = list(names)
    for p in patterns:
        for n in listed:
            if matches(p.text, n[0]):
                return p, n
    return None


def _report(ctx: EmitContext, g: RoleGroup, p: Pattern, what: str, other: str) -> None:
    ctx.unsupported(
        p.origin.location,
        f"clones of `{p.origin.id}` made by commit commands would get {what} names "
        f"`{p.text}`, which include {other} in {g.account_alias} {g.region}: the build role "
        f"of `{g.build.id}` would reach another build's resources",
        help="rename a build or change a `stacks` template or image `repo` so that the names "
        "of one build cannot take the form of the other's, or set the org's `max_clones = 0` "
        "so that no clones are made by commit commands")
