"""Properties of `odmdc fmt` over random messy programs and over every shipped contract.

(a) formatting is idempotent; (b) it never changes what a file says (the ASTs compare equal,
spans aside); (c) it keeps every comment, attached to the same item. These call
`format_source` directly, not `format_text`, whose own re-parse check would otherwise turn a
broken formatter into an exception before the property could speak.

Attachment (c) is defined here, independently of `odmdc.compiler.fmt.comments`, from the
parsed AST and comment positions only: a comment belongs to the innermost item that contains
it, unless it lies in a block's body below the block's `{` line, where it belongs to the child
whose last line it trails, else to the next child, else to the block's end ("dangling"). The
formatter may move a comment between an item's header, inside, leading and trailing positions
(its documented rules), but never to another item.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given

from odmdc.compiler import ast
from odmdc.compiler.fmt import format_source
from odmdc.compiler.fmt.tree import children_of
from odmdc.compiler.grammar import parse
from tests.strategies.syntax import Program, programs

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted(
    [*ROOT.glob("examples/**/*.odmd"), *ROOT.glob("odmdc/stdlib_contracts/*.odmd")]
)

Attachment = Counter[tuple[tuple[str, ...], str]]


def _parse_ok(path: str, text: str) -> ast.SourceFile:
    tree, diagnostics = parse(path, text)
    assert diagnostics == [], [d.message for d in diagnostics]
    return tree


def _fmt(path: str, text: str) -> str:
    return format_source(_parse_ok(path, text))


def normalise(comment: str) -> str:
    """The one change `fmt` makes inside a comment: trailing blanks of a line comment go, and
    a block comment's CRLF line ends become LF."""
    if comment.startswith("//"):
        return comment.rstrip(" \t\f\v\r")
    return comment.replace("\r\n", "\n")


# ---- attachment ---------------------------------------------------------------------------

Node = ast.Item | ast.Accounts | ast.BackendOptions | ast.AccountEntry | ast.Attribute \
    | ast.Produces | ast.Product | ast.Slots | ast.Slot | ast.Enver | ast.Consumes \
    | ast.Consumer | ast.Image


def _label(k: int, item: Node) -> str:
    name = getattr(item, "name", None)
    return f"{k}:{type(item).__name__}:{name.text if name is not None else ''}"


def _owner(c: ast.Comment, items: Sequence[Node], path: tuple[str, ...]) -> tuple[str, ...]:
    s = c.span
    for k, item in enumerate(items):
        if item.span.start <= s.start and s.end <= item.span.end:
            return _inside(c, item, (*path, _label(k, item)))
    before = [k for k, item in enumerate(items) if item.span.end <= s.start]
    if before and items[before[-1]].span.end_line == s.line:
        return (*path, _label(before[-1], items[before[-1]]))
    after = [k for k, item in enumerate(items) if item.span.start >= s.end]
    if after:
        return (*path, _label(after[0], items[after[0]]))
    return (*path, "<end>")


def _inside(c: ast.Comment, item: Node, path: tuple[str, ...]) -> tuple[str, ...]:
    brace = getattr(item, "open_brace", None)
    if brace is None or c.span.start < brace.start:
        return path
    kids = children_of(item)
    first = kids[0].span.start if kids else item.span.end
    if c.span.line == brace.line and c.span.start < first:
        return path
    return _owner(c, kids, path)


def attachment(tree: ast.SourceFile) -> Attachment:
    return Counter((_owner(c, tree.items, ()), normalise(c.text)) for c in tree.comments)


# ---- the three properties -----------------------------------------------------------------


def check_idempotent(path: str, text: str) -> None:
    once = _fmt(path, text)
    assert _fmt(path, once) == once


def check_same_meaning(path: str, text: str) -> None:
    assert _parse_ok(path, _fmt(path, text)).items == _parse_ok(path, text).items


def check_comments_stay(path: str, text: str) -> None:
    before = attachment(_parse_ok(path, text))
    after = attachment(_parse_ok(path, _fmt(path, text)))
    assert after == before


@given(programs())
def test_generator_spells_its_ast(program: Program) -> None:
    tree = _parse_ok("gen.odmd", program.text)
    assert tree.items == program.items
    assert len(tree.comments) == program.comment_count


@given(programs())
def test_fmt_is_idempotent(program: Program) -> None:
    check_idempotent("gen.odmd", program.text)


@given(programs())
def test_fmt_keeps_meaning(program: Program) -> None:
    check_same_meaning("gen.odmd", program.text)


@given(programs())
def test_fmt_keeps_comments_attached(program: Program) -> None:
    check_comments_stay("gen.odmd", program.text)


@pytest.mark.parametrize("path", CORPUS, ids=[p.relative_to(ROOT).as_posix() for p in CORPUS])
@pytest.mark.parametrize(
    "check", [check_idempotent, check_same_meaning, check_comments_stay],
    ids=["idempotent", "meaning", "comments"],
)
def test_fmt_properties_on_shipped_contracts(path: Path, check: object) -> None:
    assert callable(check)
    check(path.relative_to(ROOT).as_posix(), path.read_text("utf-8"))
