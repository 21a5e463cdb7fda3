"""Attach every comment of a file to the item it belongs to, by position alone.

A comment is, relative to the items of the block (or file) around it:

- *inner* when it lies inside an item's span: for a block item, only the comments before its
  `{` or on the `{` line before the first child (its header); the others belong to children;
- *trailing* when it starts on the last line of the item before it (after that item ends);
- *leading* when it sits on lines of its own before an item;
- *dangling* when nothing follows it in its block: it is printed before the `}` (or at the end
  of the file).

Blank lines are kept only as a flag: "the source had at least one blank line between this and
whatever came before it", read off the line numbers (the gap between two adjacent tokens or
comments holds only whitespace, so two line breaks in it mean a blank line).
"""

from __future__ import annotations

from collections.abc import Sequence

from odmdc.compiler import ast
from odmdc.compiler.fmt.tree import Node, Remark


def attach(nodes: Sequence[Node], comments: Sequence[ast.Comment]) -> list[Remark]:
    """Fill in the comments of `nodes` (the items of one file); returns the end-of-file ones."""
    ordered = sorted(comments, key=lambda c: c.span.start)
    return _distribute(nodes, ordered, 0)


def _distribute(nodes: Sequence[Node], comments: list[ast.Comment], line: int) -> list[Remark]:
    """Share `comments` (all inside one block, sorted) among its child `nodes`.

    `line` is the last line before the first child that holds something (the `{`), so that
    blank lines are measured from there. Returns the block's dangling comments.
    """
    i, n = 0, len(comments)
    prev: Node | None = None
    pending: list[Remark] = []
    for node in nodes:
        start, end = node.span.start, node.span.end
        while i < n and comments[i].span.start < start:
            c = comments[i]
            if prev is not None and not pending and c.span.line == prev.span.end_line:
                prev.trailing.append(c)
            else:
                pending.append(Remark(c, c.span.line - line >= 2))
            line = c.span.end_line
            i += 1
        node.leading, pending = pending, []
        node.blank_before = node.span.line - line >= 2
        j = i
        while j < n and comments[j].span.start < end:
            j += 1
        _fill(node, comments[i:j])
        i = j
        line = node.span.end_line
        prev = node
    dangling: list[Remark] = []
    for c in comments[i:]:
        if prev is not None and not dangling and c.span.line == prev.span.end_line:
            prev.trailing.append(c)
        else:
            dangling.append(Remark(c, c.span.line - line >= 2))
        line = c.span.end_line
    return dangling


def _fill(node: Node, inside: list[ast.Comment]) -> None:
    brace = node.open_brace
    if brace is None:
        node.inner = inside
        return
    first = node.children[0].span.start if node.children else node.span.end
    header = [
        c for c in inside
        if c.span.start < brace.start or (c.span.line == brace.line and c.span.start < first)
    ]
    rest = inside[len(header):]
    node.inner = header
    line = max([brace.line, *(c.span.end_line for c in header)])
    node.dangling = _distribute(node.children, rest, line)
