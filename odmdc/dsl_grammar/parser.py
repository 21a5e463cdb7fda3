"""Text → typed AST. The only module that touches Lark: its trees and exceptions stop here.

The grammar is LALR with an inline transformer (no intermediate tree), which is the fastest
way Lark offers; every node's span is taken from its first and last token. A syntax error
becomes E001. After one, the file is cut into its top-level items and each is parsed on its
own, so one broken item neither hides the errors of the others nor their declarations.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from odmdc.compiler import ast
from odmdc.compiler.diagnostics import Diagnostic, make
from odmdc.compiler.span import Span
from odmdc.dsl_grammar.words import describe_terminals, token_text

MAX_NESTING = 64


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


_ESCAPE = re.compile(r"\\([\"\\])")


def _unquote(raw: str) -> str:
    inner = raw[1:-1]
    return _ESCAPE.sub(r"\1", inner) if "\\" in inner else inner


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
        self.terminal_patterns = {t.name: t.pattern.value for t in self.lark.terminals}

    def _comment(self, tok: Token) -> Token:
        self.ctx.comments.append(ast.Comment(self.ctx.token_span(tok), str(tok).rstrip("\r")))
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
        self, file: str, text: str, line_offset: int = 0, pos_offset: int = 0
    ) -> tuple[list[ast.Item], list[ast.Comment], Diagnostic | None]:
        ctx = self.ctx
        ctx.file, ctx.line_offset, ctx.pos_offset = file, line_offset, pos_offset
        ctx.depth = 0
        ctx.comments = []
        try:
            items: list[ast.Item] = self.lark.parse(text)  # type: ignore[assignment]
        except _TooDeep as e:
            span = ctx.token_span(e.token)
            return [], ctx.comments, make(
                "E001", f"braces nested deeper than {MAX_NESTING} levels", span,
                "too deeply nested",
                help="products nest a few levels at most; look for a missing `}`",
            )
        except UnexpectedInput as e:
            return [], ctx.comments, self._syntax_error(file, text, e, line_offset, pos_offset)
        return items, ctx.comments, None

    def _syntax_error(
        self, file: str, text: str, e: UnexpectedInput, line_offset: int, pos_offset: int
    ) -> Diagnostic:
        if isinstance(e, UnexpectedToken):
            tok = e.token
            expected = set(e.accepts or e.expected)
            if tok.type == "$END":
                pos = len(text)
                line, col = _line_col(text, pos)
                span = Span(file, pos + pos_offset, pos + pos_offset, line + line_offset, col,
                            line + line_offset, col)
                found = "end of file"
            else:
                span = Span(
                    file, tok.start_pos + pos_offset, tok.end_pos + pos_offset,
                    tok.line + line_offset, tok.column, tok.end_line + line_offset,
                    tok.end_column,
                )
                found = token_text(tok.type, str(tok))
            wanted = describe_terminals(expected, self.terminal_patterns)
            help_text = None
            if "NAME" in expected and tok.type in self.terminal_patterns and tok.type != "NAME":
                pattern = self.terminal_patterns[tok.type]
                if re.fullmatch(r"[a-z_0-9]+", pattern):
                    help_text = (
                        f"`{pattern}` is a keyword in this position; choose another name"
                    )
            if tok.type == "$END" and "RBRACE" in expected:
                help_text = "a `{` is never closed; add the missing `}`"
            return make("E001", f"expected {wanted}, found {found}", span, f"expected {wanted}",
                        help=help_text)
        assert isinstance(e, UnexpectedCharacters)
        at: int = e.pos_in_stream or 0
        line, col = e.line, e.column
        char = text[at] if at < len(text) else ""
        length = 1
        if text.startswith("/*", at):
            message, label = "unterminated block comment", "this comment is never closed"
            help_text = "close it with `*/`"
            length = 2
        elif char == '"':
            message, label = "unterminated string or unknown escape", "string starts here"
            help_text = (
                "strings end on the line they start on; the only escapes are `\\\"` and `\\\\`"
            )
        else:
            shown = char if char.isprintable() else repr(char)
            message, label = f"unexpected character `{shown}`", "not valid here"
            allowed = describe_terminals(set(e.allowed or ()), self.terminal_patterns)
            help_text = f"expected {allowed}" if e.allowed else None
        span = Span(file, at + pos_offset, at + pos_offset + length, line + line_offset, col,
                    line + line_offset, col + length)
        return make("E001", message, span, label, help=help_text)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


# A top-level item starts with one of these keywords followed by a name. Used only after a
# syntax error, to cut the file into items that can be parsed on their own.
_ITEM_SCAN = re.compile(
    r'"(?:[^"\\\n]|\\.)*"?'          # strings (possibly unterminated)
    r"|//[^\n]*"                      # line comments
    r"|/\*(?:[^*]|\*(?!/))*(?:\*/)?"  # block comments (possibly unterminated)
    r"|[{}]"
    r"|(?<![A-Za-z0-9_-])(?:singleton\s+enver_type|enver_type|org|build|clone)"
    r"(?=\s+[A-Za-z_])"
)


def split_items(text: str) -> list[int]:
    """Start offsets of the top-level items of `text`, found by brace depth alone.

    A keyword that starts an item at the beginning of a line also ends an unclosed item
    before it, so a missing `}` costs one item, not the rest of the file.
    """
    starts: list[int] = []
    depth = 0
    for m in _ITEM_SCAN.finditer(text):
        tok = m.group()
        c = tok[0]
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif c in "\"/":
            continue
        else:
            line_start = text.rfind("\n", 0, m.start()) + 1
            at_line_start = not text[line_start : m.start()].strip()
            if depth == 0 or at_line_start:
                depth = 0
                starts.append(m.start())
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return starts


_PARSER: _Parser | None = None


def _parser() -> _Parser:
    global _PARSER
    if _PARSER is None:
        _PARSER = _Parser()
    return _PARSER


def parse(file: str, text: str) -> tuple[ast.SourceFile, list[Diagnostic]]:
    """Parse one file. Never raises on bad input: problems come back as E001 diagnostics."""
    p = _parser()
    items, comments, error = p.parse_chunk(file, text)
    diagnostics: list[Diagnostic] = []
    if error is not None:
        items, comments = [], []
        starts = split_items(text)
        bounds = [*starts, len(text)]
        for a, b in itertools.pairwise(bounds):
            if not text[a:b].strip():
                continue
            line_start = text.rfind("\n", 0, a) + 1
            chunk = " " * (a - line_start) + text[a:b]
            line_offset = text.count("\n", 0, line_start)
            got, got_comments, err = p.parse_chunk(file, chunk, line_offset, line_start)
            items.extend(got)
            comments.extend(got_comments)
            if err is not None:
                diagnostics.append(err)
        if not diagnostics:  # the pieces parse alone but not together: report the original
            diagnostics.append(error)
    end_line, end_col = _line_col(text, len(text))
    span = Span(file, 0, len(text), 1, 1, end_line, end_col)
    return ast.SourceFile(span, file, tuple(items), tuple(comments)), diagnostics
