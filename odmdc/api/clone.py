"""What `odmdc clone` does, apart from printing: read the commit message, check the contracts
with the clone it asks for, and work out the clone's names (or, for `odmd: delete`, what would
be removed).

The contracts are always checked, whatever the message says, so a broken contract or an
unknown `--build` is never hidden behind "nothing to do". A create goes through the ordinary
checker: the planned `ast.Clone` is added to the unit as the only item of a source file named
`<commit message>`, so E401 counts it with the declared clones and every other rule sees it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from odmdc.api.compilation import Checked, check
from odmdc.compiler import ast, ir, naming
from odmdc.compiler.checker.model import BuildDef
from odmdc.compiler.checker.resolve import clone_def, inherited_consumers, resolve
from odmdc.compiler.clones.commit_message import CODE as E406
from odmdc.compiler.clones.commit_message import COMMIT_MESSAGE, Create, Delete, parse
from odmdc.compiler.clones.dynamic import Planned, plan_create
from odmdc.compiler.diagnostics import Diagnostic, Label, Severity, make
from odmdc.compiler.sources import UsageError
from odmdc.compiler.span import Span
from odmdc.compiler.suggest import did_you_mean
from odmdc.compiler.unit import Unit

Action = Literal["create", "delete", "none"]


@dataclass
class Outcome:
    action: Action  # what the message asks for ("none": no command, or a malformed one)
    diagnostics: list[Diagnostic]
    clone: ir.Enver | None = None  # create: the new clone, when everything checks
    #: delete: the clone that would be removed; one per possible origin when the branch is
    #: not a declared clone and the build has several envers it could have been made from
    removes: list[ir.Enver] = field(default_factory=list)
    origin_known: bool = True
    #: why a delete removes nothing
    reason: str | None = None
    #: `odmd:` written inside a line (prose, not a command)
    mentions: tuple[Span, ...] = ()
    #: the contracts as they will be after the push (with the clone, or without it)
    unit: Unit | None = None

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def _merged(*groups: list[Diagnostic] | tuple[Diagnostic, ...]) -> list[Diagnostic]:
    return sorted({d for g in groups for d in g}, key=Diagnostic.sort_key)


def _message_file(message: str, items: tuple[ast.Item, ...]) -> ast.SourceFile:
    lines = message.split("\n")
    end = Span(COMMIT_MESSAGE, 0, len(message), 1, 1, len(lines), len(lines[-1]) + 1)
    return ast.SourceFile(end, COMMIT_MESSAGE, items)


def _with(unit: Unit, message: str, items: tuple[ast.Item, ...] = ()) -> Unit:
    """`unit` plus the commit message: its text for the renderer and, for a create, its
    clone as a source file."""
    files = [*unit.files, _message_file(message, items)] if items else list(unit.files)
    return Unit(files=files, stdlib=unit.stdlib, texts={**unit.texts, COMMIT_MESSAGE: message},
                diagnostics=list(unit.diagnostics), file_count=unit.file_count)


def evaluate(unit: Unit, build: str, branch: str, message: str) -> Outcome:
    """The outcome of pushing a commit with `message` to `branch` of `build`. Raises
    `UsageError` for a `--build` the (otherwise clean) contracts do not declare."""
    parsed = parse(message)
    plain = _with(unit, message)
    cmd = parsed.command
    planned: Planned | None = None
    if isinstance(cmd, Create):
        # plan on the resolved contracts, then check once, with the clone when there is one
        b = resolve(plain.files, plain.stdlib).builds.get(build)
        planned = plan_create(b, branch, cmd) if b is not None else None
        if planned is not None and planned.clone is not None:
            after = _with(plain, message, (planned.clone,))
            result = check(after)
            ident = f"{build}.{planned.clone.name.text}"
            return Outcome("create", result.diagnostics,
                           clone=result.ir.enver(ident) if result.ir else None, unit=after)
    base = check(plain)
    b = base.model.builds.get(build)
    if b is None and base.ok:
        hint = did_you_mean(build, base.model.builds)
        raise UsageError(f"no build `{build}` in the contracts" + (f"; {hint}" if hint else ""))
    if isinstance(cmd, Create):  # no clone to check: why, and what else is wrong
        return Outcome("create", _merged(planned.diagnostics if planned else [],
                                         base.diagnostics))
    if isinstance(cmd, Delete) and b is not None:
        return _delete(base, b, branch, cmd)
    action: Action = "delete" if isinstance(cmd, Delete) else "none"
    return Outcome(action, _merged(parsed.diagnostics, base.diagnostics),
                   mentions=parsed.mentions, unit=plain)


def _delete(base: Checked, b: BuildDef, branch: str, cmd: Delete) -> Outcome:
    if not base.ok or base.ir is None:
        return Outcome("delete", base.diagnostics)
    on_branch = [b.envers[n] for n in sorted(b.envers)
                 if b.envers[n].revision_kind == "branch" and b.envers[n].revision_value == branch]
    declared = [e for e in on_branch if not e.is_clone]
    if declared:
        e = declared[0]
        return Outcome("delete", _merged(base.diagnostics, [make(
            E406, f"`odmd: delete` on branch `{branch}`, which deploys enver `{e.id}`",
            cmd.span, "not a clone's branch",
            secondary=[Label(e.name_span, f"`{e.id}` is declared on branch `{branch}`")],
            help="`odmd: delete` removes the clone of the branch it is pushed to; to remove a "
            "declared enver, delete it from the contracts",
        )]))
    clones = [base.ir.enver(e.id) for e in on_branch]
    if clones:
        return Outcome("delete", base.diagnostics, removes=clones, unit=base.unit)
    if b.singleton:
        return Outcome("delete", base.diagnostics,
                       reason=f"`{b.id}` is a singleton build: it has no clones")
    name = naming.clone_enver_name(branch)
    if name in b.envers:
        taken = b.envers[name]
        return Outcome("delete", base.diagnostics,
                       reason=f"no clone can live on branch `{branch}`: its name `{name}` is "
                       f"taken by `{taken.id}`")
    origins = [b.envers[n] for n in sorted(b.envers) if not b.envers[n].is_clone]
    central = base.ir.org.central_account_id
    removes = []
    for origin in origins:
        span = cmd.span
        node = ast.Clone(span, ast.Name(span, name), ast.Name(span, b.id),
                         ast.Name(span, origin.name),
                         ast.Revision(span, "branch", ast.Str(span, branch)))
        clone = clone_def(origin, node)
        clone.consumers = inherited_consumers(clone, origin)
        removes.append(ir.enver_model(clone, central))
    return Outcome("delete", base.diagnostics, removes=removes, origin_known=len(removes) <= 1,
                   reason=None if removes else f"build `{b.id}` declares no envers", unit=base.unit)
