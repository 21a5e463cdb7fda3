"""Text → typed AST. Lark's trees and exceptions stop in this package (`errors.py` words them).

The grammar is LALR(1) with Lark's contextual lexer. Two front ends run it: the fast one
(`front.py`: one loop doing Lark's lexing and parsing from Lark's own tables, building the AST
as it reduces) parses correct text; when it meets an error, the stock one (`stock.py`: Lark's
parser with an inline transformer) parses the text again and raises the exception a syntax
error is worded from. Every node's span is taken from its first and last token. A syntax
error becomes E001. After one, the file is cut into its top-level items and each is parsed on
its own; inside an item, the body entry holding the error is blanked out and the item parsed
again (`recovery.py`). So one broken consumer neither hides the errors of the rest of the file
nor its declarations.

The fast front end reads Lark's internals. Where they are not what it expects (a Lark outside
the versions `pyproject.toml` admits), the stock one parses everything, slower but the same:
`FALLBACK` says so.
"""

from __future__ import annotations

import itertools
import logging
import re
import threading
from importlib import resources

import lark
from lark import Lark, Token
from lark.exceptions import UnexpectedInput

from odmdc.compiler import ast
from odmdc.compiler.diagnostics import Diagnostic, make
from odmdc.compiler.grammar import front
from odmdc.compiler.grammar.errors import Chunk, syntax_error
from odmdc.compiler.grammar.recovery import blank, broken_region, split_items
from odmdc.compiler.grammar.stock import Context, ToAst
from odmdc.compiler.grammar.tables import Tables, UnsupportedLark, tables_of
from odmdc.compiler.grammar.words import terminal_words
from odmdc.compiler.span import Span

__all__ = ["FALLBACK", "MAX_NESTING", "parse", "split_items"]

MAX_NESTING = 64
# Re-parses of one item after blanking a broken entry; each finds one more error. A file's
# recovery may re-read at most this many times its size, so a huge broken item stays cheap.
MAX_RECOVERIES = 32
RECOVERY_BUDGET = 8

#: Why this process parses with the stock path alone, or None while the fast front end is on:
#: a string to look at for a parse several times slower than it should be.
FALLBACK: str | None = None
_log = logging.getLogger(__name__)


class _TooDeep(Exception):
    def __init__(self, token: Token) -> None:
        self.token = token


_GRAMMAR = resources.files("odmdc.compiler.grammar").joinpath("odmd.lark").read_text("utf-8")


class _Parser:
    """One Lark instance for the process, re-pointed at each file through `Context`, and the
    fast front end's tables read off it."""

    def __init__(self) -> None:
        self.ctx = Context()
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
            transformer=ToAst(self.ctx),
            lexer_callbacks=callbacks,
            cache=True,
        )
        self.words = terminal_words(self.lark.terminals)
        self.tables: Tables | None = None
        try:
            self.tables = tables_of(self.lark)
        except UnsupportedLark as e:
            self._fall_back(e)

    def _fall_back(self, e: UnsupportedLark) -> None:
        global FALLBACK
        self.tables = None
        FALLBACK = f"the fast front end cannot read Lark {lark.__version__}: {e}"
        _log.debug("parsing with stock Lark only: %s", FALLBACK)

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
        self, chunk: Chunk, stock: bool = False
    ) -> tuple[list[ast.Item], list[ast.Comment], Diagnostic | None]:
        """The chunk's items and comments, or its first syntax error: by the fast front end,
        or, where it gives up or is off (and always with `stock`), by Lark, whose exception
        words it."""
        if not stock and self.tables is not None:
            try:
                got = front.parse_chunk(self.tables, chunk.file, chunk.text, chunk.line_offset,
                                        chunk.pos_offset, MAX_NESTING)
            except UnsupportedLark as e:  # a state's scanner, read on its first use
                self._fall_back(e)
            else:
                if got is not None:
                    return got[0], got[1], None
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
        self, chunk: Chunk, budget: list[int], stock: bool = False
    ) -> tuple[list[ast.Item], list[ast.Comment], list[Diagnostic]]:
        """Parse one top-level item, blanking out broken body entries (or a stray `,` or `;`)
        until the rest parses.

        `budget` holds the characters recovery may still re-read (shared by a file's items).
        """
        items, comments, error = self.parse_chunk(chunk, stock)
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
            items, comments, error = self.parse_chunk(chunk, stock)
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
    return _parse(file, text)


def _parse(
    file: str, text: str, *, stock: bool = False
) -> tuple[ast.SourceFile, list[Diagnostic]]:
    """`parse`; with `stock`, by Lark alone (the reference the fast front end is tested
    against)."""
    text = text.removeprefix("\ufeff")
    with _LOCK:  # one Lark instance and one context: parse one file at a time
        p = _parser()
        items, comments, error = p.parse_chunk(Chunk(file, text, 0, 0), stock)
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
                got, got_comments, errs = p.parse_item(chunk, budget, stock)
                items.extend(got)
                comments.extend(got_comments)
                diagnostics.extend(errs)
            if not diagnostics:  # the pieces parse alone but not together: report the original
                diagnostics.append(error)
    end_line = text.count("\n") + 1
    end_col = len(text) - (text.rfind("\n") + 1) + 1
    span = Span(file, 0, len(text), 1, 1, end_line, end_col)
    return ast.SourceFile(span, file, tuple(items), tuple(comments)), diagnostics
