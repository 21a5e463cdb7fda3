"""The one diagnostic shape every phase reports, and the sink that collects them.

Expected failures (bad input, broken rules) are reported, never raised: only internal bugs
raise. A diagnostic's severity follows its code's first letter (E error, W warning) unless a
rule says otherwise; diagnostics sort by position so output order never depends on which
phase or file found them first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from odmdc.compiler.span import Span


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @classmethod
    def of_code(cls, code: str) -> Severity:
        return cls.ERROR if code.startswith("E") else cls.WARNING


@dataclass(frozen=True, slots=True)
class Label:
    span: Span
    message: str = ""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    primary: Label
    secondary: tuple[Label, ...] = ()
    notes: tuple[str, ...] = ()
    help: str | None = None
    severity: Severity = field(default=Severity.ERROR)

    @property
    def span(self) -> Span:
        return self.primary.span

    def sort_key(self) -> tuple[str, int, int, str, str]:
        s = self.primary.span
        return (s.file, s.start, s.end, self.code, self.message)

    def as_error(self) -> Diagnostic:
        """This diagnostic promoted to an error (`--deny-warnings`)."""
        return Diagnostic(
            self.code, self.message, self.primary, self.secondary, self.notes, self.help,
            Severity.ERROR,
        )


def make(
    code: str,
    message: str,
    span: Span,
    label: str = "",
    *,
    help: str | None = None,
    notes: Iterable[str] = (),
    secondary: Iterable[Label] = (),
    severity: Severity | None = None,
) -> Diagnostic:
    return Diagnostic(
        code=code,
        message=message,
        primary=Label(span, label),
        secondary=tuple(secondary),
        notes=tuple(notes),
        help=help,
        severity=severity or Severity.of_code(code),
    )


class Sink:
    """Collects the diagnostics of one run."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def add(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._items.extend(diagnostics)

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
        severity: Severity | None = None,
    ) -> Diagnostic:
        d = make(
            code, message, span, label, help=help, notes=notes, secondary=secondary,
            severity=severity,
        )
        self._items.append(d)
        return d

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self._items)

    def sorted(self) -> list[Diagnostic]:
        """Sorted by position, each distinct diagnostic once."""
        return sorted(set(self._items), key=Diagnostic.sort_key)


def count_by_severity(diagnostics: Iterable[Diagnostic]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for d in diagnostics:
        counts[d.severity] += 1
    return counts
