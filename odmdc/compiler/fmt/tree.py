"""The formatter's view of a file: every item as a node with its children and its comments.

The AST has a different class for every construct; the printer and the comment attacher only
need to know what contains what, where each item is, and where its `{` is. `Node` gives them
that one shape, and holds the comments `comments.attach` hands to each item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from odmdc.compiler import ast
from odmdc.compiler.span import Span

Printable = (
    ast.Org | ast.Accounts | ast.BackendOptions | ast.AccountEntry | ast.Attribute
    | ast.EnverType | ast.Produces
    | ast.Product | ast.Slots | ast.Slot | ast.Build | ast.Enver | ast.Consumes | ast.Consumer
    | ast.Image | ast.Clone
)


@dataclass(slots=True)
class Remark:
    """A comment printed on a line of its own, and whether a blank line preceded it."""

    comment: ast.Comment
    blank_before: bool


@dataclass(slots=True, eq=False)
class Node:
    item: Printable
    children: list[Node]
    #: Comments on their own lines before the item.
    leading: list[Remark] = field(default_factory=list)
    #: Comments among the item's own tokens: for a block, those before its `{` or on the
    #: `{` line before the first child (the "header"); for anything else, all inside its span.
    inner: list[ast.Comment] = field(default_factory=list)
    #: Comments after the item, starting on its last line.
    trailing: list[ast.Comment] = field(default_factory=list)
    #: Comments inside the item's braces after its last child (or in an empty body).
    dangling: list[Remark] = field(default_factory=list)
    #: The source had a blank line between the item and whatever preceded it.
    blank_before: bool = False

    @property
    def span(self) -> Span:
        return self.item.span

    @property
    def open_brace(self) -> Span | None:
        if isinstance(self.item, ast.AccountEntry | ast.Attribute | ast.Slot | ast.Consumer
                      | ast.Image | ast.Clone):
            return None
        return self.item.open_brace

    @property
    def is_block(self) -> bool:
        """Printed with a `{ … }` body over several lines (else on one line, maybe `{}`)."""
        return bool(self.children or self.dangling)


def children_of(item: Printable) -> tuple[Printable, ...]:
    if isinstance(item, ast.Org | ast.EnverType | ast.Build | ast.Enver):
        return item.body
    if isinstance(item, ast.Accounts):
        return item.entries
    if isinstance(item, ast.BackendOptions):
        return item.attributes
    if isinstance(item, ast.Produces):
        return item.products
    if isinstance(item, ast.Product):
        return item.children
    if isinstance(item, ast.Slots):
        return item.slots
    if isinstance(item, ast.Consumes):
        return item.consumers
    return ()


def build(items: tuple[Printable, ...]) -> list[Node]:
    return [Node(i, build(children_of(i))) for i in items]
