"""`--format json`: a stable, documented shape for editors and scripts (pydantic models)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from odmdc.compiler.diagnostics import Diagnostic, Label, Severity, count_by_severity
from odmdc.compiler.location import Location


class _Model(BaseModel):
    # Unknown keys are an error, so the published schema says `additionalProperties: false`.
    model_config = ConfigDict(extra="forbid")


class LabelOut(_Model):
    location: Location
    message: str

    @classmethod
    def of(cls, label: Label) -> LabelOut:
        return cls(location=Location.of(label.span), message=label.message)


class DiagnosticOut(_Model):
    code: str
    severity: str
    message: str
    location: Location
    label: str
    secondary: list[LabelOut]
    notes: list[str]
    help: str | None


class Summary(_Model):
    files: int
    errors: int
    warnings: int
    infos: int


class Report(_Model):
    version: int = 1
    diagnostics: list[DiagnosticOut]
    summary: Summary


def report_schema() -> dict[str, Any]:
    """The JSON Schema every `--format json` output validates against."""
    return Report.model_json_schema()


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
