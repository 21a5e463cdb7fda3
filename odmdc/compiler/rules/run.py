"""Run every enabled rule over a parsed unit (the composition root builds the IR from a clean
result: `odmdc.compiler.ir.build_ir`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.model import EnverDef, Model
from odmdc.compiler.checker.names import EnverNames
from odmdc.compiler.checker.plugins import Plugins
from odmdc.compiler.checker.resolve import resolve
from odmdc.compiler.diagnostics import Diagnostic, Severity, Sink
from odmdc.compiler.rules.base import all_rules
from odmdc.compiler.unit import Unit


@dataclass
class CheckResult:
    unit: Unit
    model: Model
    diagnostics: list[Diagnostic]
    #: every enver's generated names, as the rules computed them (the IR reuses them)
    names: dict[EnverDef, EnverNames]

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def check_unit(unit: Unit, plugins: Plugins, enable: Iterable[str] = (),
               deny_warnings: bool = False) -> CheckResult:
    """Resolve `unit` and run every enabled rule over it; `plugins` are the installed backends
    and CI engines (what backend names and options may be)."""
    model = resolve(unit.files, unit.stdlib)
    sink = Sink()
    sink.extend(unit.diagnostics)
    ctx = CheckContext(unit, model, sink, plugins)
    enabled = {c.upper() for c in enable}
    for code, rule in all_rules().items():
        if not rule.enabled_by_default and code not in enabled:
            continue
        ctx.severity = rule.effective_severity()
        rule().check(ctx)
    diagnostics = _without_cascades(sink.sorted(), unit)
    if deny_warnings:
        diagnostics = [d.as_error() if d.severity is Severity.WARNING else d for d in diagnostics]
    return CheckResult(unit, model, diagnostics, ctx.name_cache)


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
