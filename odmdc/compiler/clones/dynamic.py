"""The clone a commit command asks for, as an `ast.Clone` the checker checks like a declared one.

`odmd: create@<origin>` pushed to branch BR of build B becomes

    clone <name> of B.<enver> = branch "BR"

with every span pointing into the commit message, so E201, E4xx and every other rule report it
where the user wrote it:

- `<enver>` is the enver of B whose revision value (branch or tag) is `<origin>`. A revision
  path (`b..main`, `t..v1.0.0`) also says which kind is meant. Declared envers are searched
  first, then declared clones (a clone of a clone is E402). No match is E201 with a "did you
  mean" over B's revisions; several matches are E406, since the command cannot say which.
- `<name>` is `naming.clone_enver_name(BR)`: the branch, with characters an enver name cannot
  hold replaced by `-` (`fix.login` → `fix-login`). It must not be taken by an enver or
  declared clone of B (E002). When BR is the origin's own branch, the name usually collides
  with the origin's; that is reported as what it is, E403, rather than as a name clash.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from odmdc.compiler import ast, naming
from odmdc.compiler.checker.model import BuildDef, EnverDef
from odmdc.compiler.clones.commit_message import CODE as E406
from odmdc.compiler.clones.commit_message import Create
from odmdc.compiler.diagnostics import Diagnostic, Label, make
from odmdc.compiler.span import Span
from odmdc.compiler.suggest import did_you_mean

_KINDS = {"b..": "branch", "t..": "tag"}
_LISTED = 12


@dataclass
class Planned:
    clone: ast.Clone | None  # None when the diagnostics say why there is none
    diagnostics: list[Diagnostic] = field(default_factory=list)


def split_origin(origin: str) -> tuple[str | None, str]:
    """(kind, value) of a command's origin: `b..main` → ("branch", "main"), `main` → (None,
    "main")."""
    kind = _KINDS.get(origin[:3])
    return (kind, origin[3:]) if kind and len(origin) > 3 else (None, origin)


def _describe(e: EnverDef) -> str:
    return f"`{e.id}` ({e.revision_kind} `{e.revision_value}`)"


def find_origin(b: BuildDef, cmd: Create) -> tuple[EnverDef | None, Diagnostic | None]:
    kind, value = split_origin(cmd.origin)
    envers = [b.envers[n] for n in sorted(b.envers)]

    def matching(clones: bool) -> list[EnverDef]:
        return [e for e in envers if e.is_clone == clones and e.revision_value == value
                and kind in (None, e.revision_kind)]

    found = matching(clones=False) or matching(clones=True)
    if len(found) == 1:
        return found[0], None
    if found:
        kinds = {e.revision_kind for e in found}
        ambiguity = (f"write `odmd: create@b..{value}` or `odmd: create@t..{value}` to say "
                     "which" if len(kinds) > 1 else
                     f"a commit command can only clone an enver whose {found[0].revision_kind} "
                     f"is unique in build `{b.id}`: declare the clone in the contracts instead "
                     f"(`clone NAME of {b.id}.ENVER = branch \"…\"`)")
        return None, make(
            E406, f"`{cmd.origin}` is the revision of {len(found)} envers of build `{b.id}`",
            cmd.origin_span, "ambiguous origin",
            notes=["it could be " + ", ".join(_describe(e) for e in found)], help=ambiguity,
        )
    declared = [e for e in envers if not e.is_clone]
    values = sorted({e.revision_value for e in declared})
    help_text = did_you_mean(value, values)
    named = b.envers.get(value)
    if named is not None and not named.is_clone:
        help_text = (f"`{value}` is the name of enver `{named.id}`; a command names its "
                     f"{named.revision_kind}: `odmd: create@{named.revision_value}`")
    shown = ", ".join(_describe(e) for e in declared[:_LISTED])
    more = ", …" if len(declared) > _LISTED else ""
    what = {None: "branch or tag", "branch": "branch", "tag": "tag"}[kind]
    return None, make(
        "E201", f"unknown {what} `{value}` in build `{b.id}`", cmd.origin_span,
        f"no enver of `{b.id}` is on this {what}",
        notes=[f"the envers of `{b.id}`: {shown}{more}" if declared
               else f"build `{b.id}` declares no envers"],
        help=help_text,
    )


def plan_create(b: BuildDef, branch: str, cmd: Create) -> Planned:
    """The clone `cmd`, pushed to `branch` of build `b`, asks for (`b` from the contracts
    resolved without it)."""
    origin, problem = find_origin(b, cmd)
    if origin is None:
        return Planned(None, [problem] if problem else [])
    name = naming.clone_enver_name(branch)
    if origin.revision_kind == "branch" and origin.revision_value == branch:
        return Planned(None, [same_revision(origin, cmd.span)])
    taken = b.envers.get(name)
    if taken is not None:
        what = "clone" if taken.is_clone else "enver"
        same_branch = taken.revision_kind == "branch" and taken.revision_value == branch
        help_text = (f"branch `{branch}` is already declared as clone `{taken.id}`: drop the "
                     "command, or the declaration" if taken.is_clone and same_branch else
                     f"push the command to a branch whose name is not taken in build `{b.id}`")
        return Planned(None, [make(
            "E002", f"clone name `{name}` (from branch `{branch}`) is taken by {what} "
            f"`{taken.id}`", cmd.span, f"would make clone `{b.id}.{name}`",
            secondary=[Label(taken.name_span, f"{what} `{taken.id}` declared here")],
            notes=["a commit command's clone is named after its branch"], help=help_text,
        )])
    span = cmd.span
    clone = ast.Clone(
        span, ast.Name(span, name), ast.Name(span, b.id), ast.Name(cmd.origin_span, origin.name),
        ast.Revision(span, "branch", ast.Str(span, branch)),
    )
    return Planned(clone)


def same_revision(origin: EnverDef, span: Span) -> Diagnostic:
    """E403 for a commit command pushed to its origin's own branch: the clone never reaches
    the checker, since it would be named like its origin."""
    kind, value = origin.revision_kind, origin.revision_value
    origin_revision = Label(origin.node.revision.span, f"`{origin.id}` is on this {kind}")
    return make("E403", f"the commit command clones `{origin.id}` onto its own {kind} `{value}`",
                span, f"pushed to {kind} `{value}`", secondary=[origin_revision],
                help=f"push `odmd: create@{value}` to a new branch: a clone deploys another "
                "branch than its origin")
