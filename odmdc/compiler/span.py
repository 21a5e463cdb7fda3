"""Source positions: the one `Span` type every AST node, diagnostic and IR edge carries."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """A region of one source file.

    Lines and columns are 1-based; `end_column` is exclusive (the column after the last
    character), `start`/`end` are character offsets. Ordering sorts by file, then position,
    which is the order diagnostics are reported in. A NamedTuple because the parser makes one
    per token and a tuple is the cheapest immutable record Python has.
    """

    file: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    def cover(self, other: Span) -> Span:
        """The smallest span containing both (same file)."""
        first = self if self.start <= other.start else other
        last = self if self.end >= other.end else other
        return Span(
            self.file, first.start, last.end, first.line, first.column, last.end_line,
            last.end_column,
        )

    def contains(self, other: Span) -> bool:
        return self.file == other.file and self.start <= other.start and other.end <= self.end

    def short(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def file_start(file: str) -> Span:
    """A zero-width span at the top of a file, for whole-file problems."""
    return Span(file, 0, 0, 1, 1, 1, 1)
