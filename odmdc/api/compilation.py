"""The sequence every front end shares: check a parsed unit (every rule, then the IR, the plan
and every chosen backend's own checks), and compile it (the same, with the backends' files).

This is the one place that sequence is written: the CLI's commands, `clone -o` and, later, the
language server, `diff` and `graph` call it and only print what it returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from odmdc.api.emit import emit, selected
from odmdc.api.plugins import INSTALLED
from odmdc.compiler.checker.backend_options import option_diagnostics
from odmdc.compiler.checker.model import Model
from odmdc.compiler.checker.plugins import Plugins
from odmdc.compiler.diagnostics import Diagnostic, Label, Severity, make
from odmdc.compiler.ir import IR, build_ir
from odmdc.compiler.planner.deferral import Dep, UnbreakableCycle
from odmdc.compiler.planner.plan import PlanOutcome, plan
from odmdc.compiler.rules.run import check_unit
from odmdc.compiler.span import Span
from odmdc.compiler.timings import NULL, Timings
from odmdc.compiler.unit import Unit


@dataclass
class Checked:
    """A checked unit: every diagnostic, and, when there are no errors, its IR and plan."""

    unit: Unit
    model: Model
    diagnostics: list[Diagnostic]
    ir: IR | None = None
    plan: PlanOutcome | None = None
    #: the backends checked (or compiled): `--backend` names, else the org's
    backends: list[str] = field(default_factory=list)
    #: plugins that could not run at all (not loadable): no code, no position
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not any(d.severity is Severity.ERROR
                                           for d in self.diagnostics)


@dataclass
class Compiled(Checked):
    """A compiled unit: its backends' files, DIR-relative (`ssm/paths.json`), when `ok`."""

    files: dict[str, bytes] = field(default_factory=dict)


def check(unit: Unit, *, enable: Iterable[str] = (), deny_warnings: bool = False,
          backends: Sequence[str] = (), run_backends: bool = True,
          plugins: Plugins = INSTALLED, timings: Timings = NULL) -> Checked:
    """Every problem of `unit`: the rules', and — once they find no error — those the chosen
    backends (`backends`, else the org's) would report while compiling it. Without errors the
    result holds the IR, and, when the backends ran, the plan they were given (`run_backends`
    False: the rules and the IR only, for commands that print the IR)."""
    return _run(unit, enable, deny_warnings, backends, plugins, timings,
                backends_too=run_backends, files=False)


def compile(unit: Unit, *, enable: Iterable[str] = (), deny_warnings: bool = False,
            backends: Sequence[str] = (), plugins: Plugins = INSTALLED,
            timings: Timings = NULL) -> Compiled:
    """`check`, and the chosen backends' files when it finds no error."""
    return _run(unit, enable, deny_warnings, backends, plugins, timings,
                backends_too=True, files=True)


def _run(unit: Unit, enable: Iterable[str], deny_warnings: bool, backends: Sequence[str],
         plugins: Plugins, timings: Timings, *, backends_too: bool, files: bool) -> Compiled:
    with timings.stage("check"):
        result = check_unit(unit, plugins, enable=enable, deny_warnings=deny_warnings)
        out = Compiled(unit, result.model, list(result.diagnostics))
        org = result.model.org
        if org is None or not result.ok:
            return out
        if backends:
            # backends named on the command line: their options were not checked with the org's
            out.diagnostics += _promoted(option_diagnostics(org, plugins, backends),
                                         deny_warnings)
            if not out.ok:
                return out
        out.ir = build_ir(result.model, result.names)
        out.backends = selected(out.ir.org, backends)
    if not backends_too:
        return out
    with timings.stage("plan"):
        try:
            out.plan = plan(out.ir)
        except UnbreakableCycle as e:  # E306 rejects these first; should one ever get past it
            out.diagnostics.append(cycle_diagnostic(result.model, e.cycle))
            return out
    emitted = emit(out.ir, out.plan, out.backends, timings=timings, files=files)
    out.diagnostics += _promoted(emitted.diagnostics, deny_warnings)
    out.errors += emitted.errors
    if out.ok:
        out.files = emitted.files
    return out


def _promoted(diagnostics: list[Diagnostic], deny_warnings: bool) -> list[Diagnostic]:
    if not deny_warnings:
        return diagnostics
    return [d.as_error() if d.severity is Severity.WARNING else d for d in diagnostics]


def cycle_diagnostic(model: Model, cycle: tuple[Dep, ...]) -> Diagnostic:
    """E306 for a cycle the planner could not break, with a label on each consumer of it."""
    spans = [_ref_span(model, d) for d in cycle]
    needs = [cycle[0].consumer, *(d.producer for d in [cycle[0], *reversed(cycle[1:])])]
    path = ", which needs ".join(f"`{x}`" for x in needs)
    return make(
        "E306", f"dependency cycle that no placeholder can break: {path.replace(', which', '', 1)}",
        spans[0],
        f"`{cycle[0].consumer}` consumes `{cycle[0].producer}` here",
        secondary=[Label(s, f"`{d.consumer}` consumes `{d.producer}` here")
                   for d, s in zip(cycle[1:], spans[1:], strict=True)],
        help="give one consumer on the cycle a `default` placeholder, so that its enver can "
        "deploy first and be updated once the producer exists",
    )


def _ref_span(model: Model, dep: Dep) -> Span:
    enver = model.enver(dep.consumer)
    assert enver is not None
    consumer = next(c for c in enver.consumers if c.name == dep.name)
    return consumer.node.ref.span
