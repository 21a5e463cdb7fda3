"""The printer: a parsed file and its attached comments → the one canonical text.

Layout (`odmdc fmt`, docs/language.md#layout): 2-space indentation, `{` at the end of the header
line, `}` alone; one item per line; exactly one blank line between top-level items, and inside
blocks one blank line where the source had any (never after `{` or before `}`). Runs of consecutive
one-line `NAME = value` attributes, account entries or consumers line up their `=` (terraform fmt
style); a blank line, a comment on its own line, another kind of item or a multi-line item ends a
run. Lists and consumers stay on one line up to 100 columns (comments not counted), then break: a
list one element per line with a trailing comma, a consumer with `default` and `on_change` on
continuation lines 4 spaces deeper. The text ends with one `\n` and has `\n` line ends throughout; a
file with no items and no comments formats to nothing.

Comments never leave their item. What the printer does with each kind (see `comments.py`):

- leading and dangling comments: one per line at the item's (child) indentation. A body
  with no items but comments on lines of their own inside its braces keeps its braces (an
  enver's too), so that those comments stay inside it;
- trailing comments: after the item's last line, one space before each;
- header comments of a block: after its `{`, when they can share one line (every comment but
  the last is a one-line `/* */`); otherwise they become leading comments of the block;
- comments inside a one-line item: exactly one, and no trailing comment → it becomes the
  trailing comment; otherwise they become leading comments, in order. An empty block printed
  as `{}` (or, for an enver or product, without braces) counts as a one-line item;
- consumers keep a comment after the segment (head, `default`, `on_change`) it follows. A
  comment between a keyword and its value counts as following the segment before the
  keyword (the AST has no span for the keyword). Comments after a segment other than the last
  force the continuation layout, each printed after its segment; comments after the last
  segment are trailing comments. When a segment's comments cannot share its line, all the
  consumer's inner comments become leading comments instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from odmdc.compiler import ast
from odmdc.compiler.fmt import words
from odmdc.compiler.fmt.comments import attach
from odmdc.compiler.fmt.tree import Node, Remark, build

WIDTH = 100
INDENT = "  "
CONTINUATION = "    "


@dataclass(slots=True, eq=False)
class _Plan:
    """How one item is printed, decided before any line of its block is written."""

    node: Node
    #: Comments from inside the item printed as extra leading comments.
    moved: list[ast.Comment] = field(default_factory=list)
    trailing: list[ast.Comment] = field(default_factory=list)
    #: Block items: comments printed after the `{`.
    after_brace: list[ast.Comment] = field(default_factory=list)
    #: Consumers in the forced continuation layout: comments after each segment but the last.
    notes: list[list[ast.Comment]] = field(default_factory=list)
    #: Alignment: the kind of run the item can join, the text left of its `=`, its padding.
    shape: str | None = None
    left: str = ""
    right: str = ""
    pad: int = 0
    breakable: bool = False
    forced: bool = False
    multiline: bool = False

    def width(self, depth: int) -> int:
        return len(INDENT) * depth + self.pad + 3 + len(self.right)


def shares_line(comments: Sequence[ast.Comment]) -> bool:
    """Whether the comments can follow each other on one line: only a one-line `/* */` can
    be followed by something on its line."""
    return all(not c.is_line and "\n" not in c.text for c in comments[:-1])


def _plan(node: Node) -> _Plan:
    item = node.item
    plan = _Plan(node, trailing=list(node.trailing))
    if isinstance(item, ast.Attribute):
        plan.shape, plan.left, plan.right = "attribute", item.name.text, words.value_inline(
            item.value)
        plan.breakable = isinstance(item.value, ast.ListValue) and bool(item.value.items)
    elif isinstance(item, ast.AccountEntry):
        plan.shape, plan.left = "account", item.name.text
        plan.right = words.quote(item.value.value)
    elif isinstance(item, ast.Consumer):
        plan.shape = "consumer"
        plan.left = item.name.text + (f": {item.type.text}" if item.type is not None else "")
        plan.right = " ".join([item.ref.text, *_tail_segments(item)])
        plan.breakable = item.default is not None or item.reaction is not None
    plan.pad = len(plan.left)

    if node.is_block:
        if shares_line(node.inner):
            plan.after_brace = node.inner
        else:
            plan.moved = node.inner
    elif isinstance(item, ast.Consumer):
        _plan_consumer_comments(plan, item)
    elif node.inner:
        if len(node.inner) == 1 and not node.trailing:
            plan.trailing = node.inner
        else:
            plan.moved = node.inner
    return plan


def _tail_segments(c: ast.Consumer) -> list[str]:
    segments = []
    if c.default is not None:
        segments.append(f"default {words.scalar(c.default)}")
    if c.reaction is not None:
        segments.append(f"on_change {words.reaction(c.reaction)}")
    return segments


def _plan_consumer_comments(plan: _Plan, c: ast.Consumer) -> None:
    inner = plan.node.inner
    if not inner:
        return
    bounds = [x.span.start for x in (c.default, c.reaction) if x is not None]
    groups: list[list[ast.Comment]] = [[] for _ in range(len(bounds) + 1)]
    for comment in inner:
        groups[sum(1 for b in bounds if b < comment.span.start)].append(comment)
    last = groups[-1] + plan.trailing
    if any(groups[:-1]):
        if all(shares_line(g) for g in groups) and shares_line(last):
            plan.notes, plan.trailing = groups[:-1], last
            plan.forced = plan.multiline = True
            return
    elif shares_line(last):
        plan.trailing = last
        return
    plan.moved = list(inner)


def _align(plans: list[_Plan], depth: int) -> None:
    """Decide which items break over several lines and pad the one-line ones into runs.

    Padding can push a line past the width, which breaks that item, which ends its run and
    changes the padding: repeat until nothing more breaks (items only ever go from one line to
    several, so this stops).
    """
    for p in plans:
        p.multiline = p.forced or (p.breakable and p.width(depth) > WIDTH)
    while True:
        for p in plans:
            p.pad = len(p.left)
        for run in _runs(plans):
            pad = max(len(p.left) for p in run)
            for p in run:
                p.pad = pad
        over = [p for p in plans if not p.multiline and p.breakable and p.width(depth) > WIDTH]
        if not over:
            return
        for p in over:
            p.multiline = True


def _runs(plans: list[_Plan]) -> list[list[_Plan]]:
    runs: list[list[_Plan]] = []
    current: list[_Plan] = []
    for p in plans:
        if p.shape is None or p.multiline:
            current = []
            continue
        if current and (p.shape != current[-1].shape or p.node.leading or p.moved
                        or p.node.blank_before):
            current = []
        if not current:
            runs.append(current)
        current.append(p)
    return runs


def _after(comments: Sequence[ast.Comment]) -> str:
    return "".join(" " + words.comment(c) for c in comments)


class _Printer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def emit(self, depth: int, text: str) -> None:
        self.lines.append(INDENT * depth + text)

    def body(self, nodes: Sequence[Node], depth: int, top: bool) -> None:
        plans = [_plan(n) for n in nodes]
        _align(plans, depth)
        for k, plan in enumerate(plans):
            self.group(plan, depth, first=k == 0, top=top)

    def group(self, plan: _Plan, depth: int, first: bool, top: bool) -> None:
        """An item with its leading comments; `first` in its block, or at `top` level."""
        node = plan.node
        seq: list[tuple[bool, ast.Comment | None]] = [
            (r.blank_before, r.comment) for r in node.leading
        ]
        if plan.moved:
            # the blank line that preceded the item now precedes the comments moved above it
            seq.append((node.blank_before, plan.moved[0]))
            seq.extend((False, c) for c in plan.moved[1:])
            seq.append((False, None))
        else:
            seq.append((node.blank_before, None))
        for j, (was_blank, comment) in enumerate(seq):
            if was_blank if j else not first and (top or was_blank):
                self.lines.append("")
            if comment is None:
                self.item(plan, depth)
            else:
                self.emit(depth, words.comment(comment))

    def remarks(self, remarks: Sequence[Remark], depth: int, first: bool) -> None:
        for j, r in enumerate(remarks):
            if r.blank_before and not (first and j == 0):
                self.lines.append("")
            self.emit(depth, words.comment(r.comment))

    def item(self, plan: _Plan, depth: int) -> None:
        node, item = plan.node, plan.node.item
        if node.is_block:
            assert not isinstance(item, ast.AccountEntry | ast.Attribute | ast.Slot
                                  | ast.Consumer | ast.Image | ast.Clone)
            self.emit(depth, words.header(item) + " {" + _after(plan.after_brace))
            self.body(node.children, depth + 1, top=False)
            self.remarks(node.dangling, depth + 1, first=not node.children)
            self.emit(depth, "}" + _after(plan.trailing))
            return
        lines = _leaf_lines(plan, INDENT * depth)
        lines[-1] += _after(plan.trailing)
        self.lines.extend(lines)


def _leaf_lines(plan: _Plan, indent: str) -> list[str]:
    item = plan.node.item
    if isinstance(item, ast.Attribute | ast.AccountEntry):
        left = plan.left.ljust(plan.pad)
        if plan.multiline and isinstance(item.value, ast.ListValue):
            return [
                f"{indent}{left} = [",
                *(f"{indent}{INDENT}{words.scalar(v)}," for v in item.value.items),
                f"{indent}]",
            ]
        return [f"{indent}{left} = {plan.right}"]
    if isinstance(item, ast.Consumer):
        head = f"{plan.left.ljust(plan.pad)} = {item.ref.text}"
        tail = _tail_segments(item)
        if not plan.multiline:
            return [indent + " ".join([head, *tail])]
        lines = [indent + head, *(indent + CONTINUATION + s for s in tail)]
        for k, notes in enumerate(plan.notes):
            lines[k] += _after(notes)
        return lines
    if isinstance(item, ast.Slot):
        return [f"{indent}{item.name.text}: {item.type.text}"]
    if isinstance(item, ast.Image):
        return [indent + words.image(item)]
    if isinstance(item, ast.Clone):
        return [indent + words.clone(item)]
    # an empty block: an enver or product simply has no body, the others show `{}`
    empty = "" if isinstance(item, ast.Enver | ast.Product) else " {}"
    return [indent + words.header(item) + empty]


def format_source(file: ast.SourceFile) -> str:
    """The canonical text of a parsed file (which must have parsed without errors)."""
    nodes = build(file.items)
    end = attach(nodes, file.comments)
    printer = _Printer()
    printer.body(nodes, 0, top=True)
    printer.remarks(end, 0, first=not nodes)
    return "\n".join(printer.lines) + "\n" if printer.lines else ""
