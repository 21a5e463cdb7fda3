"""Finding what a syntax error breaks, so that the rest of a file still parses.

Two levels, both decided from the text alone (strings, comments and braces), so they are
deterministic and never move a position:

- `split_items` cuts a file into its top-level items; each is parsed on its own.
- `broken_region` finds, inside an item, the body entry (a consumer, product, attribute,
  enver …) that holds the error. The parser blanks it out (spaces, newlines kept) and parses
  the item again, so one bad consumer costs that consumer, not its whole build.

Entries need no separators, so where one ends is a guess: the next line, at the same brace
depth, that starts a new entry (a name followed by `=` or `:`, an entry keyword, or the `}`
closing the body). A guess that fails shows up as a new error at or before the blanked region;
the parser then gives up on the item, which is what it would have done without recovery.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# A top-level item starts with one of these keywords followed by a name. Used only after a
# syntax error, to cut the file into items that can be parsed on their own.
_ITEM_SCAN = re.compile(
    r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"?'    # strings (possibly unterminated)
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


_TOKEN = re.compile(
    r"[ \t\r\f]*(?:"
    r'(?P<str>"[^"\\\n]*(?:\\.[^"\\\n]*)*"?)'
    r"|(?P<comment>//[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/)?)"
    r"|(?P<nl>\n)"
    r"|(?P<word>[A-Za-z0-9_-]+)"
    r"|(?P<punct>.))",
    re.S,
)

# Keywords that continue an entry begun on an earlier line (`default "…"` under a consumer,
# `in ws "region" {` under an enver header); a line starting with one starts no entry.
_CONTINUATION = frozenset({
    "in", "branch", "tag", "of", "default", "on_change", "repo", "s3artifact",
    "redeploy", "ignore", "notify", "approve", "true", "false",
})
# Keywords that start an entry of a body.
_ENTRY_KEYWORDS = frozenset({"enver", "image", "produces", "consumes", "accounts"})


class _Tok(NamedTuple):
    kind: str  # "word", "punct" (one character, braces included) or "str"
    text: str
    start: int
    end: int
    depth: int  # braces open before this token (a `}` counts the body it closes)
    first: bool  # the first token on its line
    body: int  # index of the innermost `{` open before this token, -1 at top level


def _scan(text: str, items: list[_Tok]) -> Iterator[_Tok]:
    """The tokens of `text`, for `_Tokens`, which appends each one to `items` as it gets it.

    A function of its own, not a method: a generator holding its owner would make a reference
    cycle, which only the cyclic garbage collector frees (and the parser pauses it).
    """
    opened: list[int] = []
    first = True
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "nl":
            first = True
            continue
        if kind == "comment" or kind is None:
            continue
        value = m.group(kind)
        yield _Tok(kind, value, m.start(kind), m.end(), len(opened), first,
                   opened[-1] if opened else -1)
        if value == "{":  # resumed after `get` stored the token just yielded
            opened.append(len(items) - 1)
        elif value == "}" and opened:
            opened.pop()
        first = False


class _Tokens:
    """The tokens of a text, scanned only as far as they are asked for."""

    def __init__(self, text: str) -> None:
        self.items: list[_Tok] = []
        self._scan = _scan(text, self.items)

    def get(self, k: int) -> _Tok | None:
        while len(self.items) <= k:
            tok = next(self._scan, None)
            if tok is None:
                return None
            self.items.append(tok)
        return self.items[k]


def _starts_entry(toks: _Tokens, j: int) -> bool:
    """Token `j` (first on its line) begins a new body entry."""
    tok = toks.items[j]
    if tok.kind != "word":
        return False
    nxt = toks.get(j + 1)
    if nxt is not None and nxt.text in ("=", ":"):
        return True  # `NAME = …`, `NAME: TYPE`, `default = …` (a consumer named default)
    return tok.text not in _CONTINUATION


def broken_region(text: str, pos: int) -> tuple[int, int] | None:
    """The span `[start, end)` of the body entry holding offset `pos`, or None when the error
    is not inside a body (an item's header, the end of the file)."""
    toks = _Tokens(text)
    i = 0
    while (tok := toks.get(i)) is not None and tok.end <= pos:
        i += 1
    if tok is None or tok.body < 0:
        return None
    body, depth = tok.body, tok.depth
    # The entry starts at the last line, at this depth, that starts an entry; failing that,
    # just inside the body's `{` (entries on the same line as the brace).
    items = toks.items
    s = next((k for k in range(i, body, -1)
              if items[k].first and items[k].depth == depth and items[k].body == body
              and _starts_entry(toks, k)), None)
    start = items[body].end if s is None else text.rfind("\n", 0, items[s].start) + 1
    # It ends at the next line, at this depth, that starts an entry, or at the body's `}`.
    if tok.text == "}" and tok.depth == depth:
        end = tok.start
    else:
        k = i + 1
        while (t := toks.get(k)) is not None and not (t.depth == depth and (
                t.text == "}" or (t.first and t.body == body and _starts_entry(toks, k)))):
            k += 1
        if t is None:
            return None
        end = text.rfind("\n", 0, t.start) + 1 if t.first else t.start
    if end <= start:
        return None
    return start, end


def blank(text: str, start: int, end: int) -> str:
    """`text` with `[start, end)` turned into spaces, line breaks kept (positions unchanged)."""
    region = re.sub(r"[^\n]", " ", text[start:end])
    return text[:start] + region + text[end:]
