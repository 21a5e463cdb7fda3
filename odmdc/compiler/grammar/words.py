"""Terminal names → the words a syntax error uses for them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

_CLASSES = {
    "NAME": "a name",
    "STRING": "a string",
    "NUMBER": "a number",
    "$END": "end of file",
}

# Order in which expected tokens are listed: names and literals first, then keywords, then
# punctuation, so "expected a name or `}`" reads naturally.
_RANK = {"NAME": 0, "STRING": 1, "NUMBER": 2}

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

# How each keyword is used, for the help of an error where a keyword stands in for a name.
USAGE = {
    "org": "org NAME { … }",
    "accounts": 'accounts { ALIAS = "ACCOUNT-ID" … }',
    "singleton": "singleton enver_type NAME : BASE { … }",
    "enver_type": "enver_type NAME : BASE { … }",
    "build": "build NAME : TYPE { … }",
    "enver": 'enver NAME = branch "…" in ACCOUNT "REGION" { … }',
    "produces": "produces { NAME: TYPE … }",
    "consumes": "consumes { NAME = BUILD.ENVER.PRODUCT … }",
    "image": 'image NAME = "LOCAL:TAG" [repo "PART"]',
    "clone": 'clone NAME of BUILD.ENVER = branch "…"',
}


def terminal_words(terminals: Iterable[Any]) -> dict[str, str]:
    """Terminal name → the text it stands for (`LBRACE` → `{`, `DEFAULT` → `default`).

    Most keywords are plain strings. The few written as regular expressions (they look ahead
    past the word) are named after their word, which the pattern starts with.
    """
    words: dict[str, str] = {}
    for t in terminals:
        value: str = t.pattern.value
        if t.pattern.type == "str":
            words[t.name] = value
        elif value.startswith(t.name.lower()):
            words[t.name] = t.name.lower()
    return words


def is_keyword(kind: str, words: Mapping[str, str]) -> bool:
    """A terminal that spells a word that could otherwise be a name."""
    text = words.get(kind)
    return kind != "NAME" and text is not None and _IDENT.fullmatch(text) is not None


def char_text(char: str) -> str:
    """A character as an error message shows it: visible ones quoted, others by code point."""
    if char.isprintable() and char.isascii() and not char.isspace():
        return f"`{char}`"
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    return f"{code} ({name})" if name else code


MAX_SHOWN = 40  # characters of a token a message quotes; the caret shows the rest


def shorten(value: str) -> str:
    return value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"


def token_text(kind: str, value: str) -> str:
    if kind in ("NAME", "STRING", "NUMBER"):
        return f"{_CLASSES[kind]} `{shorten(value)}`"
    if kind == "$END":
        return "end of file"
    return f"`{value}`"


def describe_terminals(names: Iterable[str], words: Mapping[str, str]) -> str:
    found: list[tuple[int, str]] = []
    for n in set(names):
        if n in _CLASSES:
            found.append((_RANK.get(n, 5), _CLASSES[n]))
        elif n in words:
            text = words[n]
            rank = 3 if text[:1].isalpha() else 4
            found.append((rank, f"`{text}`"))
        else:
            found.append((5, n.lower()))
    ordered = [w for _, w in sorted(set(found))]
    if not ordered:
        return "nothing more"
    if len(ordered) == 1:
        return ordered[0]
    return ", ".join(ordered[:-1]) + " or " + ordered[-1]
