"""A source position as data that crosses a boundary (the IR, JSON output): a pydantic model
made from a `Span`, 1-based with an exclusive end column."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from odmdc.compiler.span import Span


class Location(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def of(cls, span: Span) -> Location:
        return cls(file=span.file, line=span.line, column=span.column, end_line=span.end_line,
                   end_column=span.end_column)
