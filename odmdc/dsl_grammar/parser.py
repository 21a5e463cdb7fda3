"""Text → typed AST. Lark's trees and exceptions stop in this package (`errors.py` words them).

The grammar is LALR with an inline transformer (no intermediate tree), which is the fastest
way Lark offers; every node's span is taken from its first and last token. A syntax error
becomes E001. After one, the file is cut into its top-level items and each is parsed on its
own; inside an item, the body entry holding the error is blanked out and the item parsed
again (`recovery.py`). So one broken consumer neither hides the errors of the rest of the file
nor its declarations.
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput

from odmdc.compiler import ast
from odmdc.compiler.diagnostics import Diagnostic, make
from odmdc.compiler.span import Span
from odmdc.dsl_grammar.errors import Chunk, syntax_error
from odmdc.dsl_grammar.recovery import blank, broken_region, split_items
from odmdc.dsl_grammar.words import terminal_words

__all__ = ["MAX_NESTING", "parse", "split_items"]

MAX_NESTING = 64
# Re-parses of one item after blanking a broken entry; each finds one more error. A file's
# recovery may re-read at most this many times its size, so a huge broken item stays cheap.
MAX_RECOVERIES = 32
RECOVERY_BUDGET = 8


class _TooDeep(Exception):
    def __init__(self, token: Token) -> None:
        self.token = token


@dataclass(slots=True)
class _Context:
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


def _unquote(raw: str) -> str:
    inner = raw[1:-1]
    if "\\" not in inner:
        return inner
    # The grammar admits only `\"` and `\\`; read them left to right so `\\"` stays right.
    out: list[str] = []
    i = 0
    while i < len(inner):
        c = inner[i]
        if c == "\\":
            i += 1
            c = inner[i]
        out.append(c)
        i += 1
    return "".join(out)


class _ToAst(Transformer[Token, Any]):
    """Builds `odmdc.compiler.ast` nodes as the parser reduces (inline: no Lark tree)."""

    def __init__(self, ctx: _Context) -> None:
        super().__init__(visit_tokens=False)
        self.ctx = ctx

    # -- leaves ----------------------------------------------------------------------------
    def _name(self, tok: Token) -> ast.Name:
        return ast.Name(self.ctx.token_span(tok), str(tok))

    def _str(self, tok: Token) -> ast.Str:
        return ast.Str(self.ctx.token_span(tok), _unquote(str(tok)))

    def _scalar(self, tok: Token) -> ast.Scalar:
        span = self.ctx.token_span(tok)
        kind = tok.type
        if kind == "STRING":
            return ast.Str(span, _unquote(str(tok)))
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


_GRAMMAR = resources.files("odmdc.dsl_grammar").joinpath("odmd.lark").read_text("utf-8")


class _Parser:
    """One Lark instance for the process, re-pointed at each file through `_Context`."""

    def __init__(self) -> None:
        self.ctx = _Context()
        callbacks = {
            "LINE_COMMENT": self._comment,
            "BLOCK_COMMENT": self._comment,
            "LBRACE": self._open,
            "RBRACE": self._close,
        }
        self.lark = Lark(
            _GRAMMAR,
            parser="lalr",
            lexer="contextual",
            transformer=_ToAst(self.ctx),
            lexer_callbacks=callbacks,
            cache=True,
        )
        self.words = terminal_words(self.lark.terminals)

    def _comment(self, tok: Token) -> Token:
        self.ctx.comments.append(ast.Comment(self.ctx.token_span(tok), str(tok)))
        return tok

    def _open(self, tok: Token) -> Token:
        self.ctx.depth += 1
        if self.ctx.depth > MAX_NESTING:
            raise _TooDeep(tok)
        return tok

    def _close(self, tok: Token) -> Token:
        self.ctx.depth -= 1
        return tok

    def parse_chunk(
        self, chunk: Chunk
    ) -> tuple[list[ast.Item], list[ast.Comment], Diagnostic | None]:
        ctx = self.ctx
        ctx.file, ctx.line_offset, ctx.pos_offset = chunk.file, chunk.line_offset, chunk.pos_offset
        ctx.depth = 0
        ctx.comments = []
        try:
            items: list[ast.Item] = self.lark.parse(chunk.text)  # type: ignore[assignment]
        except _TooDeep as e:
            return [], ctx.comments, make(
                "E001", f"blocks nested deeper than {MAX_NESTING} levels",
                ctx.token_span(e.token), "too deeply nested",
                help="products nest a few levels at most; look for a `{` that should be `}`",
            )
        except UnexpectedInput as e:
            return [], ctx.comments, syntax_error(e, chunk, self.words)
        return items, ctx.comments, None

    def parse_item(
        self, chunk: Chunk, budget: list[int]
    ) -> tuple[list[ast.Item], list[ast.Comment], list[Diagnostic]]:
        """Parse one top-level item, blanking out broken body entries (or a stray `,` or `;`)
        until the rest parses.

        `budget` holds the characters recovery may still re-read (shared by a file's items).
        """
        items, comments, error = self.parse_chunk(chunk)
        if error is None:
            return items, comments, []
        errors = [error]
        for _ in range(MAX_RECOVERIES):
            budget[0] -= 2 * len(chunk.text)  # one scan for the region, one re-parse
            if budget[0] < 0:
                break
            at = error.span.start - chunk.pos_offset
            # A stray separator is a mistake of its own: drop just it, keep the entry.
            region = (at, at + 1) if chunk.text[at : at + 1] in (",", ";") \
                else broken_region(chunk.text, at)
            if region is None:
                break
            start, end = region
            chunk = Chunk(chunk.file, blank(chunk.text, start, end), chunk.line_offset,
                          chunk.pos_offset, chunk.follow)
            items, comments, error = self.parse_chunk(chunk)
            if error is None:
                return items, comments, errors
            if error.span.start - chunk.pos_offset < end:
                break  # the blanking itself broke something: the guess was wrong
            errors.append(error)
        return [], [], errors


_PARSER: _Parser | None = None
_LOCK = threading.Lock()


def _parser() -> _Parser:
    global _PARSER
    if _PARSER is None:
        _PARSER = _Parser()
    return _PARSER


_WORD = re.compile(r"[A-Za-z_]+")


def _keyword_at(file: str, text: str, pos: int) -> tuple[Span, str] | None:
    """The span and text of the keyword starting the item at `pos` (None at end of file)."""
    m = _WORD.match(text, pos)
    if m is None:
        return None
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return Span(file, pos, m.end(), line, col, line, col + len(m.group())), m.group()


def parse(file: str, text: str) -> tuple[ast.SourceFile, list[Diagnostic]]:
    """Parse one file. Never raises on bad input: problems come back as E001 diagnostics.

    A leading byte-order mark is skipped; positions are those of the text after it.
    """
    text = text.removeprefix("\ufeff")
    with _LOCK:  # one Lark instance and one context: parse one file at a time
        p = _parser()
        items, comments, error = p.parse_chunk(Chunk(file, text, 0, 0))
        diagnostics: list[Diagnostic] = []
        if error is not None:
            items, comments = [], []
            bounds = [*split_items(text), len(text)]
            budget = [RECOVERY_BUDGET * len(text) + 65536]
            for a, b in itertools.pairwise(bounds):
                if not text[a:b].strip():
                    continue
                line_start = text.rfind("\n", 0, a) + 1
                chunk = Chunk(file, " " * (a - line_start) + text[a:b],
                              text.count("\n", 0, line_start), line_start,
                              _keyword_at(file, text, b))
                got, got_comments, errs = p.parse_item(chunk, budget)
                items.extend(got)
                comments.extend(got_comments)
                diagnostics.extend(errs)
            if not diagnostics:  # the pieces parse alone but not together: report the original
                diagnostics.append(error)
    end_line = text.count("\n") + 1
    end_col = len(text) - (text.rfind("\n") + 1) + 1
    span = Span(file, 0, len(text), 1, 1, end_line, end_col)
    return ast.SourceFile(span, file, tuple(items), tuple(comments)), diagnostics
