"""What a rule sees while it runs: the parsed unit and a way to report."""

from __future__ import annotations

from collections.abc import Iterable

from odmdc.compiler.diagnostics import Diagnostic, Label, Severity, Sink, make
from odmdc.compiler.driver import Unit
from odmdc.compiler.span import Span


class CheckContext:
    def __init__(self, unit: Unit, sink: Sink | None = None) -> None:
        self.unit = unit
        self.sink = sink or Sink()
        self.severity: Severity | None = None  # set per rule by the runner

    def report(
        self,
        code: str,
        message: str,
        span: Span,
        label: str = "",
        *,
        help: str | None = None,
        notes: Iterable[str] = (),
        secondary: Iterable[Label] = (),
    ) -> Diagnostic:
        d = make(code, message, span, label, help=help, notes=notes, secondary=secondary,
                 severity=self.severity)
        self.sink.add(d)
        return d
