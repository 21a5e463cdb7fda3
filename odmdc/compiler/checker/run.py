"""Run every enabled rule over a parsed unit; build the IR when nothing is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.model import Model
from odmdc.compiler.checker.resolve import resolve
from odmdc.compiler.diagnostics import Diagnostic, Severity, Sink
from odmdc.compiler.ir import IR, build_ir
from odmdc.compiler.rules import FrontEndRule, all_rules
from odmdc.compiler.unit import Unit


@dataclass
class CheckResult:
    unit: Unit
    model: Model
    diagnostics: list[Diagnostic]
    ir: IR | None  # None when there are errors

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def check_unit(
    unit: Unit, enable: Iterable[str] = (), deny_warnings: bool = False, with_ir: bool = True
) -> CheckResult:
    """Resolve and check `unit`; build the IR only if asked and nothing is wrong (`check`
    itself never needs it, and it is the largest part of the work after parsing)."""
    model = resolve(unit.files, unit.stdlib)
    sink = Sink()
    sink.extend(unit.diagnostics)
    ctx = CheckContext(unit, model, sink)
    enabled = {c.upper() for c in enable}
    for code, rule in all_rules().items():
        if issubclass(rule, FrontEndRule):
            continue
        if not rule.enabled_by_default and code not in enabled:
            continue
        ctx.severity = rule.effective_severity()
        rule().check(ctx)
    diagnostics = _without_cascades(sink.sorted(), unit)
    if deny_warnings:
        diagnostics = [d.as_error() if d.severity is Severity.WARNING else d for d in diagnostics]
    errors = any(d.severity is Severity.ERROR for d in diagnostics)
    ir = build_ir(model, ctx.name_cache) if with_ir and not errors and model.org is not None \
        else None
    return CheckResult(unit, model, diagnostics, ir)


_FRONT_END = {"E000", "E001"}


def _without_cascades(diagnostics: list[Diagnostic], unit: Unit) -> list[Diagnostic]:
    """After a syntax error or an unreadable file, what the checker says about the broken
    item, and every unknown name anywhere, may only echo the text it could not read: a
    missing `repo` that is really a mistyped line, a product whose declaration did not
    parse. Those are held back until the input reads cleanly (rustc does the same)."""
    broken = [d.span for d in diagnostics if d.code in _FRONT_END]
    if not broken:
        return diagnostics
    items = [i.span for f in unit.files for i in f.items]
    damaged = [i for i in items if any(i.contains(b) for b in broken)]

    def echo(d: Diagnostic) -> bool:
        if d.code in _FRONT_END:
            return False
        if any(i.contains(d.span) for i in damaged):
            return True
        return d.code == "E201" or (d.code == "E004" and "declare no `org`" in d.message)

    return [d for d in diagnostics if not echo(d)]
