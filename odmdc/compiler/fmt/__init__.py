"""`odmdc fmt`: the one canonical layout of a contracts file.

`format_source` prints a parsed file (the layout and comment rules are in `layout.py`);
`format_text` is what the command uses: it refuses files that do not parse, and it re-parses
its own output, so a formatter bug that would change what a file says (or lose a comment)
stops with an error instead of being written over the user's file.
"""

from __future__ import annotations

from collections import Counter

from odmdc.compiler import ast
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.fmt.layout import format_source
from odmdc.compiler.fmt.words import comment as comment_text
from odmdc.compiler.grammar import parse

__all__ = ["FormatterBug", "format_source", "format_text"]


class FormatterBug(AssertionError):
    """The formatted text does not say what the original said: an internal error."""


def format_text(path: str, text: str) -> tuple[str | None, list[Diagnostic]]:
    """The canonical text of `text`, or None and the syntax errors when it does not parse."""
    tree, diagnostics = parse(path, text)
    if diagnostics:
        return None, diagnostics
    out = format_source(tree)
    again, problems = parse(path, out)
    if problems or again.items != tree.items or _comments(again) != _comments(tree):
        raise FormatterBug(
            f"formatting {path} would change its meaning or its comments; "
            "please report this bug with the file"
        )
    return out, []


def _comments(tree: ast.SourceFile) -> Counter[str]:
    return Counter(comment_text(c) for c in tree.comments)
