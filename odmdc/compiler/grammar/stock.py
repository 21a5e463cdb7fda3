"""The stock path: Lark's own contextual lexer and LALR loop, driving `build.py`'s builders
through Lark's public inline-transformer interface.

This was the whole front end before `front.py`; it stays as the reference the fast path is
tested against (`tests/compiler/grammar/test_front_end_differential.py`), as the path that words
syntax errors, which are made from Lark's exceptions and its parser state (`errors.py`), and as
the parser of every chunk when the fast front end's tables cannot be read off this Lark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lark import Token, Transformer

from odmdc.compiler import ast
from odmdc.compiler.grammar.build import BUILDERS, Builder, Tok
from odmdc.compiler.span import Span


@dataclass(slots=True)
class Context:
    """Per-parse state shared by the transformer and the lexer callbacks."""

    file: str = ""
    line_offset: int = 0
    pos_offset: int = 0
    depth: int = 0
    comments: list[ast.Comment] = field(default_factory=list)

    def tok(self, t: Any) -> Tok:
        """A Lark token as the builders take it."""
        return (t.type, str(t), t.start_pos + self.pos_offset, t.end_pos + self.pos_offset,
                t.line + self.line_offset, t.column, t.end_column)

    def token_span(self, tok: Any) -> Span:
        return Span(
            self.file, tok.start_pos + self.pos_offset, tok.end_pos + self.pos_offset,
            tok.line + self.line_offset, tok.column, tok.end_line + self.line_offset,
            tok.end_column,
        )


class ToAst(Transformer[Token, Any]):
    """Builds `odmdc.compiler.ast` nodes as the parser reduces (inline: no Lark tree).

    A method per rule of `BUILDERS`, which Lark calls with the rule's filtered, spliced
    children; it turns their tokens into `build.Tok` tuples and calls the builder. Rules
    without a method (the repetitions) get Lark's default, a tree that their parent splices.
    """

    def __init__(self, ctx: Context) -> None:
        super().__init__(visit_tokens=False)
        self.ctx = ctx
        for name, builder in BUILDERS.items():
            setattr(self, name, self._callback(builder))

    def _callback(self, builder: Builder) -> Callable[[list[Any]], Any]:
        ctx = self.ctx

        def call(children: list[Any]) -> Any:
            return builder(ctx.file,
                           [ctx.tok(c) if isinstance(c, Token) else c for c in children])
        return call
