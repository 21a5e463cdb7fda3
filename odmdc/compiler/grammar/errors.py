"""Lark's parse errors → E001 diagnostics that say, in words, what was expected and where.

Lark's own `expected` sets come from an LALR state whose lookaheads are merged with other
states', so they list tokens that would fail one reduction later. The set named here is the one
that really advances the parser: each candidate is fed to a copy of the parser state, as
Lark's interactive parser does.
"""

from __future__ import annotations

import re
import unicodedata
from copy import copy
from dataclasses import dataclass
from typing import Any

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_parser_state import ParserState

from odmdc.compiler.diagnostics import Diagnostic, Label, make
from odmdc.compiler.grammar.words import (
    USAGE,
    char_text,
    describe_terminals,
    is_keyword,
    shorten,
    token_text,
)
from odmdc.compiler.span import Span


@dataclass(frozen=True, slots=True)
class Chunk:
    """The text handed to Lark and where it sits in its file (a chunk is a whole file, or one
    item of it, padded on the left so that columns stay those of the file). `follow` is the
    keyword that starts the next item, where the chunk ends before the end of the file."""

    file: str
    text: str
    line_offset: int
    pos_offset: int
    follow: tuple[Span, str] | None = None

    def point(self, pos: int) -> Span:
        """A zero-width span at a chunk offset."""
        line = self.text.count("\n", 0, pos) + 1
        col = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        return self.span(pos, pos, line, col, line, col)

    def span(self, start: int, end: int, line: int, col: int, end_line: int, end_col: int) -> Span:
        return Span(
            self.file, start + self.pos_offset, end + self.pos_offset, line + self.line_offset,
            col, end_line + self.line_offset, end_col,
        )

    def token_span(self, tok: Token) -> Span:
        return self.span(
            tok.start_pos or 0, tok.end_pos or 0, tok.line or 1, tok.column or 1,
            tok.end_line or 1, tok.end_column or 1,
        )

    def token_end(self, tok: Token) -> Span:
        """A zero-width span just after a token."""
        end = tok.end_pos or 0
        line, col = tok.end_line or 1, tok.end_column or 1
        return self.span(end, end, line, col, line, col)


def acceptable(state: ParserState[Any] | None) -> set[str]:
    """Terminals that advance the parser from `state` (callbacks off: no AST is built)."""
    if state is None:
        return set()
    conf = copy(state.parse_conf)
    conf.callbacks = {}
    out: set[str] = set()
    for kind in conf.states[state.position]:
        if not kind.isupper():
            continue
        trial = ParserState(conf, state.lexer, list(state.state_stack), list(state.value_stack))
        try:
            trial.feed_token(Token(kind, ""), is_end=kind == "$END")
        except UnexpectedToken:
            continue
        out.add(kind)
    return out


def syntax_error(e: UnexpectedInput, chunk: Chunk, words: dict[str, str]) -> Diagnostic:
    if isinstance(e, UnexpectedToken):
        return _unexpected_token(e, chunk, words)
    assert isinstance(e, UnexpectedCharacters)
    return _unexpected_char(e, chunk, words)


def _unexpected_token(e: UnexpectedToken, chunk: Chunk, words: dict[str, str]) -> Diagnostic:
    tok: Token = e.token
    state: ParserState[Any] | None = e.state
    expected = acceptable(state) or set(e.expected)
    wanted = describe_terminals(expected, words)
    if tok.type == "$END":
        return _end_of_file(tok, state, expected, wanted, chunk)
    span = chunk.token_span(tok)
    found = token_text(tok.type, str(tok))
    help_text = _keyword_help(tok, state, expected, words)
    if help_text is None and tok.type == "COMMA":
        help_text = "items need no separator; remove the `,`"
    if help_text is None and expected == {"DOT"}:
        in_clone = any(isinstance(v, Token) and v.type == "OF"
                       for v in (state.value_stack if state else []))
        help_text = (
            "a clone names its origin as `BUILD.ENVER`" if in_clone else
            "a reference names a build, an enver and a product: `BUILD.ENVER.PRODUCT`"
        )
    return make("E001", f"expected {wanted}, found {found}", span, f"expected {wanted}",
                help=help_text)


def _end_of_file(
    tok: Token, state: ParserState[Any] | None, expected: set[str], wanted: str, chunk: Chunk
) -> Diagnostic:
    # Lark's `$END` borrows the position of the last token: point just after it, not at the
    # blank lines that may follow.
    span = chunk.token_end(tok) if tok.end_pos is not None else chunk.point(len(chunk.text))
    if "RBRACE" not in expected:
        if chunk.follow is not None:
            # Not the end of the file: the chunk stopped before the next item's keyword.
            follow_span, word = chunk.follow
            return make("E001", f"expected {wanted}, found `{word}`", follow_span,
                        f"expected {wanted}")
        return make("E001", f"expected {wanted}, found end of file", span, f"expected {wanted}")
    brace = _unclosed_brace(state)
    secondary = [Label(chunk.token_span(brace), "this `{` is never closed")] if brace else []
    where = "at end of file" if chunk.follow is None else f"before `{chunk.follow[1]}`"
    if chunk.follow is not None:
        span = chunk.follow[0]
    return make(
        "E001", f"missing `}}` {where}", span, f"expected {wanted}",
        secondary=secondary,
        help="add the `}` that closes the block; if it is not the last one, look for a `}` "
        "missing earlier",
    )


def _unclosed_brace(state: ParserState[Any] | None) -> Token | None:
    """The innermost `{` on the parser's stack that no `}` there closes."""
    closed = 0
    for v in reversed(state.value_stack if state else []):
        if isinstance(v, Token) and v.type == "RBRACE":
            closed += 1
        elif isinstance(v, Token) and v.type == "LBRACE":
            if not closed:
                return v
            closed -= 1
    return None


def _keyword_help(
    tok: Token, state: ParserState[Any] | None, expected: set[str], words: dict[str, str]
) -> str | None:
    """Help for a keyword where a name was meant.

    Keywords are reserved only where the grammar could take them, so this happens in two
    ways: the keyword itself is the unexpected token, or it was accepted as a keyword and the
    token after it (`image = …`) is what fails.
    """
    if "NAME" in expected and is_keyword(tok.type, words):
        return f"`{words[tok.type]}` is a keyword here and cannot be used as a name"
    if words.get(tok.type) not in ("=", ":"):
        return None  # only a name is followed by these
    if state is None or len(state.state_stack) < 2 or not state.value_stack:
        return None
    prev = state.value_stack[-1]
    if not (isinstance(prev, Token) and is_keyword(prev.type, words)):
        return None
    before = state.parse_conf.states[state.state_stack[-2]]
    if "NAME" not in before:
        return None
    word = words[prev.type]
    usage = USAGE.get(word)
    usage_text = f" (`{usage}`)" if usage else ""
    return f"`{word}` is a keyword here{usage_text} and cannot be used as a name"


_NUMBERISH = re.compile(r"-?[0-9][A-Za-z0-9_.-]*")

_CHAR_HELP = {
    "'": 'strings are written in double quotes: `"…"`',
    "#": "comments start with `//` or are written `/* … */`",
    ";": "items need no separator; remove the `;`",
    "\u201c": 'use a straight double quote `"`',
    "\u201d": 'use a straight double quote `"`',
    "\u2018": 'use a straight double quote `"`',
    "\u2019": 'use a straight double quote `"`',
}


def _bad_escape(text: str, quote: int) -> int | None:
    """Offset of the first backslash in the string opened at `quote` that starts no escape."""
    i = quote + 1
    while i < len(text) and text[i] not in '"\n':
        if text[i] == "\\":
            after = text[i + 1 : i + 2]
            if after in ("", "\r", "\n"):
                return None  # a backslash ending the line: the string is unterminated
            if after not in ('"', "\\"):
                return i
            i += 1
        i += 1
    return None


def _unexpected_char(e: UnexpectedCharacters, chunk: Chunk, words: dict[str, str]) -> Diagnostic:
    text = chunk.text
    at: int = e.pos_in_stream or 0
    line, col = e.line, e.column
    char = text[at] if at < len(text) else ""

    def here(length: int, offset: int = 0) -> Span:
        return chunk.span(at + offset, at + offset + length, line, col + offset, line,
                          col + offset + length)

    if text.startswith("/*", at):
        return make("E001", "unterminated block comment", here(2), "this comment is never closed",
                    help="close it with `*/`")
    if char == '"':
        bad = _bad_escape(text, at)
        if bad is not None:
            esc = text[bad : bad + 2]
            return make(
                "E001", f"unknown escape `{esc}` in a string", here(len(esc), bad - at),
                "not an escape",
                help='the only escapes are `\\"` and `\\\\`; write a backslash as `\\\\`',
            )
        return make(
            "E001", "unterminated string", here(1), "this string is never closed",
            help='a string ends on the line it starts on; add the closing `"`',
        )
    number = _NUMBERISH.match(text, at)
    if number is not None:
        shown = number.group()
        return make(
            "E001", f"invalid number `{shorten(shown)}`", here(len(shown)), "not a number",
            help="numbers are written `42`, `-7` or `2.5`; names start with a letter or `_`; "
            "anything else is written as a string",
        )
    expected = acceptable(e.state) or set(e.allowed or ())
    help_text = _CHAR_HELP.get(char)
    if help_text is None and unicodedata.category(char) in ("Cc", "Cf") and char not in "\t\n\r":
        help_text = "remove this invisible character"
    if help_text is None and char.isspace():
        help_text = "only spaces, tabs and line breaks separate tokens; replace it with a space"
    if help_text is None and expected:
        help_text = f"expected {describe_terminals(expected, words)}"
    return make("E001", f"unexpected character {char_text(char)}", here(1), "not valid here",
                help=help_text)
