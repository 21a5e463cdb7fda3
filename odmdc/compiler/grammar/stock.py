"""The stock path: Lark's own contextual lexer and LALR loop, with an inline transformer.

This was the whole front end before `front.py`; it stays as the reference the fast path is
tested against (`tests/compiler/grammar/test_front_end_differential.py`) and as the path that words
syntax errors, which are made from Lark's exceptions and its parser state (`errors.py`). It
builds the same tree as `build.py`, from Lark's children (tokens filtered, repetitions
spliced in) instead of the raw stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lark import Token, Transformer

from odmdc.compiler import ast
from odmdc.compiler.grammar.build import unquote
from odmdc.compiler.span import Span


@dataclass(slots=True)
class Context:
    """Per-parse state shared by the transformer and the lexer callbacks."""

    file: str = ""
    line_offset: int = 0
    pos_offset: int = 0
    depth: int = 0
    comments: list[ast.Comment] = field(default_factory=list)

    def span(self, first: Any, last: Any) -> Span:
        a: Span = self.token_span(first) if isinstance(first, Token) else first.span
        b: Span = self.token_span(last) if isinstance(last, Token) else last.span
        return Span(self.file, a.start, b.end, a.line, a.column, b.end_line, b.end_column)

    def token_span(self, tok: Any) -> Span:
        return Span(
            self.file, tok.start_pos + self.pos_offset, tok.end_pos + self.pos_offset,
            tok.line + self.line_offset, tok.column, tok.end_line + self.line_offset,
            tok.end_column,
        )


class ToAst(Transformer[Token, Any]):
    """Builds `odmdc.compiler.ast` nodes as the parser reduces (inline: no Lark tree)."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(visit_tokens=False)
        self.ctx = ctx

    # -- leaves ----------------------------------------------------------------------------
    def _name(self, tok: Token) -> ast.Name:
        return ast.Name(self.ctx.token_span(tok), str(tok))

    def _str(self, tok: Token) -> ast.Str:
        return ast.Str(self.ctx.token_span(tok), unquote(str(tok)))

    def _scalar(self, tok: Token) -> ast.Scalar:
        span = self.ctx.token_span(tok)
        kind = tok.type
        if kind == "STRING":
            return ast.Str(span, unquote(str(tok)))
        if kind == "NUMBER":
            text = str(tok)
            return ast.Number(span, float(text) if "." in text else int(text), text)
        if kind in ("TRUE", "FALSE"):
            return ast.Bool(span, kind == "TRUE")
        return ast.Ident(span, str(tok))

    # -- items -----------------------------------------------------------------------------
    def start(self, c: list[Any]) -> list[ast.Item]:
        return c

    def org(self, c: list[Any]) -> ast.Org:
        return ast.Org(
            self.ctx.span(c[0], c[-1]), self._name(c[1]), tuple(c[3:-1]),
            self.ctx.token_span(c[2]),
        )

    def accounts(self, c: list[Any]) -> ast.Accounts:
        return ast.Accounts(self.ctx.span(c[0], c[-1]), tuple(c[2:-1]), self.ctx.token_span(c[1]))

    def backend_options(self, c: list[Any]) -> ast.BackendOptions:
        return ast.BackendOptions(
            self.ctx.span(c[0], c[-1]), self._name(c[1]), tuple(c[3:-1]),
            self.ctx.token_span(c[2]),
        )

    def account_entry(self, c: list[Any]) -> ast.AccountEntry:
        return ast.AccountEntry(self.ctx.span(c[0], c[1]), self._name(c[0]), self._str(c[1]))

    def enver_type(self, c: list[Any]) -> ast.EnverType:
        singleton = c[0].type == "SINGLETON"
        i = 1 if singleton else 0
        return ast.EnverType(
            self.ctx.span(c[0], c[-1]), singleton, self._name(c[i + 1]), self._name(c[i + 2]),
            tuple(c[i + 4 : -1]), self.ctx.token_span(c[i + 3]),
        )

    def slots(self, c: list[Any]) -> ast.Slots:
        return ast.Slots(self.ctx.span(c[0], c[-1]), tuple(c[2:-1]), self.ctx.token_span(c[1]))

    def slot(self, c: list[Any]) -> ast.Slot:
        return ast.Slot(self.ctx.span(c[0], c[1]), self._name(c[0]), self._name(c[1]))

    def build(self, c: list[Any]) -> ast.Build:
        return ast.Build(
            self.ctx.span(c[0], c[-1]), self._name(c[1]), self._name(c[2]), tuple(c[4:-1]),
            self.ctx.token_span(c[3]),
        )

    def enver(self, c: list[Any]) -> ast.Enver:
        # ENVER NAME revision IN account STRING [LBRACE item* RBRACE]
        account_tok: Token = c[4]
        account: ast.Name | ast.Str = (
            self._str(account_tok) if account_tok.type == "STRING" else self._name(account_tok)
        )
        has_body = len(c) > 6
        return ast.Enver(
            self.ctx.span(c[0], c[-1]), self._name(c[1]), c[2], account, self._str(c[5]),
            tuple(c[7:-1]) if has_body else (),
            self.ctx.token_span(c[6]) if has_body else None,
        )

    def revision(self, c: list[Any]) -> ast.Revision:
        kind: ast.RevisionKind = "branch" if c[0].type == "BRANCH" else "tag"
        return ast.Revision(self.ctx.span(c[0], c[1]), kind, self._str(c[1]))

    def produces(self, c: list[Any]) -> ast.Produces:
        return ast.Produces(self.ctx.span(c[0], c[-1]), tuple(c[2:-1]), self.ctx.token_span(c[1]))

    def product(self, c: list[Any]) -> ast.Product:
        s3 = len(c) > 2 and isinstance(c[2], Token) and c[2].type == "S3ARTIFACT"
        rest = c[3 if s3 else 2 :]
        children: tuple[ast.Product, ...] = tuple(rest[1:-1]) if rest else ()
        return ast.Product(
            self.ctx.span(c[0], c[-1]), self._name(c[0]), self._name(c[1]), s3, children,
            self.ctx.token_span(rest[0]) if rest else None,
        )

    def consumes(self, c: list[Any]) -> ast.Consumes:
        return ast.Consumes(self.ctx.span(c[0], c[-1]), tuple(c[2:-1]), self.ctx.token_span(c[1]))

    def consumer(self, c: list[Any]) -> ast.Consumer:
        name = self._name(c[0])
        i = 1
        declared: ast.Name | None = None
        if isinstance(c[1], Token):
            declared = self._name(c[1])
            i = 2
        ref: ast.Ref = c[i]
        i += 1
        default: ast.LiteralValue | None = None
        reaction: ast.Reaction | None = None
        while i < len(c):
            item = c[i]
            if isinstance(item, Token) and item.type == "DEFAULT":
                lit = self._scalar(c[i + 1])
                assert not isinstance(lit, ast.Ident)
                default = lit
                i += 2
            elif isinstance(item, Token) and item.type == "ON_CHANGE":
                reaction = c[i + 1]
                i += 2
            else:  # pragma: no cover - the grammar admits nothing else
                raise AssertionError(f"unexpected consumer child {item!r}")
        return ast.Consumer(self.ctx.span(c[0], c[-1]), name, declared, ref, default, reaction)

    def ref(self, c: list[Token]) -> ast.Ref:
        return ast.Ref(self.ctx.span(c[0], c[-1]), tuple(self._name(t) for t in c))

    def reaction(self, c: list[Token]) -> ast.Reaction:
        kind = str(c[0])
        roles = tuple(self._str(t) for t in c if t.type == "STRING")
        return ast.Reaction(self.ctx.span(c[0], c[-1]), kind, roles)  # type: ignore[arg-type]

    def image(self, c: list[Token]) -> ast.Image:
        repo = self._str(c[4]) if len(c) > 4 else None
        return ast.Image(self.ctx.span(c[0], c[-1]), self._name(c[1]), self._str(c[2]), repo)

    def clone(self, c: list[Any]) -> ast.Clone:
        # CLONE NAME OF NAME NAME revision
        return ast.Clone(
            self.ctx.span(c[0], c[-1]), self._name(c[1]), self._name(c[3]), self._name(c[4]),
            c[5],
        )

    def attribute(self, c: list[Any]) -> ast.Attribute:
        value = c[1] if isinstance(c[1], ast.ListValue) else self._scalar(c[1])
        return ast.Attribute(self.ctx.span(c[0], value), self._name(c[0]), value)

    def list(self, c: list[Token]) -> ast.ListValue:
        return ast.ListValue(self.ctx.span(c[0], c[-1]), tuple(self._scalar(t) for t in c[1:-1]))
