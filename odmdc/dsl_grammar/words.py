"""Terminal names → the words a syntax error uses for them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

_CLASSES = {
    "NAME": "a name",
    "STRING": "a string",
    "NUMBER": "a number",
    "$END": "end of file",
}

# Order in which expected tokens are listed: names and literals first, then keywords, then
# punctuation, so "expected a name or `}`" reads naturally.
_RANK = {"NAME": 0, "STRING": 1, "NUMBER": 2}


def token_text(kind: str, value: str) -> str:
    if kind in ("NAME", "STRING", "NUMBER"):
        return f"{_CLASSES[kind]} `{value}`"
    if kind == "$END":
        return "end of file"
    return f"`{value}`"


def describe_terminals(names: Iterable[str], patterns: Mapping[str, str]) -> str:
    words: list[tuple[int, str]] = []
    for n in set(names):
        if n in _CLASSES:
            words.append((_RANK.get(n, 5), _CLASSES[n]))
        elif n in patterns:
            pattern = patterns[n]
            rank = 3 if pattern[:1].isalpha() else 4
            words.append((rank, f"`{pattern}`"))
        else:
            words.append((5, n.lower()))
    ordered = [w for _, w in sorted(set(words))]
    if not ordered:
        return "nothing more"
    if len(ordered) == 1:
        return ordered[0]
    return ", ".join(ordered[:-1]) + " or " + ordered[-1]
