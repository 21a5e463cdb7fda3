"""Span invariants of a parsed tree, shared by the grammar tests and the mutation property."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Protocol, cast

from odmdc.compiler import ast
from odmdc.compiler.span import Span


class Spanned(Protocol):
    @property
    def span(self) -> Span: ...


def nodes(obj: object) -> Iterator[Spanned]:
    """Every AST node under `obj`, depth first."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        yield cast(Spanned, obj)
        for f in dataclasses.fields(obj):
            yield from nodes(getattr(obj, f.name))
    elif isinstance(obj, tuple) and not isinstance(obj, Span):
        for item in obj:
            yield from nodes(item)


def line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def assert_spans_consistent(tree: ast.SourceFile, text: str) -> None:
    """Every node's offsets agree with its lines and columns, and leaves cover their text."""
    for node in nodes(tree):
        span = node.span
        assert span.file == "t.odmd"
        assert (span.line, span.column) == line_col(text, span.start), node
        assert (span.end_line, span.end_column) == line_col(text, span.end), node
        covered = text[span.start : span.end]
        if isinstance(node, ast.Name | ast.Ident | ast.Number):
            assert covered == node.text
        elif isinstance(node, ast.Str):
            assert covered.startswith('"') and covered.endswith('"')
        elif isinstance(node, ast.Comment):
            assert covered == node.text
    for c in tree.comments:
        assert text[c.span.start : c.span.end] == c.text
