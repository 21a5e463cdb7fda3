"""`--format json`: a stable, documented shape for editors and scripts (pydantic models)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from odmdc.compiler.diagnostics import Diagnostic, Label, Severity, count_by_severity
from odmdc.compiler.span import Span


class Location(BaseModel):
    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def of(cls, span: Span) -> Location:
        return cls(file=span.file, line=span.line, column=span.column,
                   end_line=span.end_line, end_column=span.end_column)


class LabelOut(BaseModel):
    location: Location
    message: str

    @classmethod
    def of(cls, label: Label) -> LabelOut:
        return cls(location=Location.of(label.span), message=label.message)


class DiagnosticOut(BaseModel):
    code: str
    severity: str
    message: str
    location: Location
    label: str
    secondary: list[LabelOut]
    notes: list[str]
    help: str | None


class Summary(BaseModel):
    files: int
    errors: int
    warnings: int
    infos: int


class Report(BaseModel):
    version: int = 1
    diagnostics: list[DiagnosticOut]
    summary: Summary


def to_model(d: Diagnostic) -> DiagnosticOut:
    return DiagnosticOut(
        code=d.code, severity=d.severity.value, message=d.message,
        location=Location.of(d.primary.span), label=d.primary.message,
        secondary=[LabelOut.of(s) for s in d.secondary], notes=list(d.notes), help=d.help,
    )


def render_json(diagnostics: Sequence[Diagnostic], files_checked: int = 0) -> str:
    counts = count_by_severity(diagnostics)
    report = Report(
        diagnostics=[to_model(d) for d in diagnostics],
        summary=Summary(files=files_checked, errors=counts[Severity.ERROR],
                        warnings=counts[Severity.WARNING], infos=counts[Severity.INFO]),
    )
    return report.model_dump_json(indent=2) + "\n"
