"""The fast front end (`front.py`) against stock Lark (`stock.py`): the same trees, spans,
comments and diagnostics, on any input. Both run the same builders (`build.py`), so what this
holds together is the rest: lexing (keywords, comments, positions), the LALR loop, and the
children each builder is handed.

Inputs: random valid programs of every construct with random whitespace and comments
(`tests/strategies/syntax.py`); the same programs with words swapped for keywords, contextual
ones above all (where a contextual lexer is subtle: a keyword is one only where the parser
could take it); the mutated example files of the mutation property; and a table of corner
cases.

Every chunk the parser reads is checked on its own (the whole file, and after a syntax error
each item and each re-parse of recovery): the fast front end must accept exactly the chunks
Lark accepts, with the same items and comments, spans included, and give up on the others
(Lark's error is then what is reported). Then the whole `parse` must equal the stock one.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odmdc.compiler import ast
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.grammar import front, parser
from odmdc.compiler.grammar.errors import Chunk
from odmdc.compiler.span import Span
from tests.compiler.grammar.test_mutations import mutated
from tests.strategies.syntax import KEYWORDS, Program, programs

# The keywords written as regular expressions in the grammar (they look past the word).
CONTEXTUAL = ("default", "on_change", "s3artifact", "repo")
WORDS = sorted(KEYWORDS | set(CONTEXTUAL))

# What this file guards is worth more examples than the profile's default (a few seconds).
deeper = settings(max_examples=max(150, settings().max_examples))


def dump(obj: object) -> Any:
    """Everything a tree says, spans and node kinds included (node equality leaves spans
    out)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return (type(obj).__name__,
                *(dump(getattr(obj, f.name)) for f in dataclasses.fields(obj)))
    if isinstance(obj, Span):
        return tuple(obj)
    if isinstance(obj, list | tuple):
        return tuple(dump(x) for x in obj)
    if isinstance(obj, int | float):  # bool included: 1, 1.0 and True are equal in Python
        return type(obj).__name__, obj
    return obj


@contextmanager
def chunks_checked() -> Iterator[list[bool]]:
    """Within: every chunk the parser reads is parsed by both front ends and compared; the
    list yielded gets, per chunk, whether it parsed."""
    p = parser._parser()
    tables = p.tables
    assert tables is not None, parser.FALLBACK
    seen: list[bool] = []

    def parse_chunk(
        chunk: Chunk, stock: bool = False
    ) -> tuple[list[ast.Item], list[ast.Comment], Diagnostic | None]:
        fast = front.parse_chunk(tables, chunk.file, chunk.text, chunk.line_offset,
                                 chunk.pos_offset, parser.MAX_NESTING)
        items, comments, error = type(p).parse_chunk(p, chunk, stock=True)
        if error is None:
            assert fast is not None, f"fast front end rejects what Lark accepts: {chunk!r}"
            assert dump(fast) == dump((items, comments)), chunk
        else:
            assert fast is None, f"fast front end accepts what Lark rejects ({error}): {chunk!r}"
        seen.append(error is None)
        return items, comments, error

    p.parse_chunk = parse_chunk  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        del p.parse_chunk


def assert_same(text: str) -> list[bool]:
    with chunks_checked() as seen:
        parser._parse("t.odmd", text)
    fast_tree, fast_diags = parser._parse("t.odmd", text)
    stock_tree, stock_diags = parser._parse("t.odmd", text, stock=True)
    assert dump(fast_tree) == dump(stock_tree)
    assert dump(fast_tree.comments) == dump(stock_tree.comments)
    assert fast_diags == stock_diags
    return seen


@deeper
@given(programs())
def test_valid_programs(program: Program) -> None:
    assert assert_same(program.text) == [True]


@st.composite
def keyworded(draw: st.DrawFn) -> str:
    """A valid program with a few words (names, but also words in strings and comments)
    replaced by keywords."""
    text = draw(programs()).text
    words = list(re.finditer(r"[A-Za-z_][A-Za-z0-9_-]*", text))
    if not words:
        return text
    picked = draw(st.sets(st.sampled_from(range(len(words))), min_size=1, max_size=4))
    for k in sorted(picked, reverse=True):
        m = words[k]
        text = text[: m.start()] + draw(st.sampled_from(WORDS)) + text[m.end() :]
    return text


@deeper
@given(keyworded())
def test_keywords_in_place_of_names(text: str) -> None:
    assert_same(text)


@deeper
@given(mutated())
def test_mutated_examples(case: tuple[str, str]) -> None:
    assert_same(case[1])


def _nested(depth: int) -> str:
    opened = "".join(f"p{k}: t {{\n" for k in range(depth - 3))
    closed = "}\n" * (depth - 3)
    return (f'build b: t {{\n enver e = branch "m" in ws "r" {{\n  produces {{\n{opened}'
            f"{closed}  }}\n }}\n}}\n")


CORNERS = {
    "empty": "",
    "blanks only": " \n\t\r\n\f ",
    "comments only": "// a\n/* b\n c */ // d",
    "keyword as a prefix": "organisation x {}",
    "keyword prefix after a string": 'build b: t { enver e = branch "m" inside ws "r" }',
    "contextual keywords as names": (
        'build b: t {\n repo = "o/r"\n enver e = branch "m" in ws "r" {\n'
        '  consumes {\n   default = a.b.c default "x"\n   on_change: t = a.b.c on_change notify\n'
        '   x = a.b.c default /* c */ = d.e.f\n  }\n'
        '  produces { s3artifact: t s3artifact { repo: t } default: t }\n'
        '  image i = "l:t" repo "r"\n  repo = "x"\n }\n}\n'),
    "keywords as names": "org org { build = enver  in = [true, false, org, -1.5, \"s\",] }",
    "comments between every token": (
        "org/**/o//x\r\n{/*\n*/a/* */=//\n1}"),
    "crlf and tabs": "org o {\r\n\ta = \"x\"\r\n\tb = [1,2]\r\n}\r\n",
    "byte order mark": "\ufefforg o {}",
    "unterminated comment": "org o { /* a = 1 }",
    "unterminated string": 'org o { a = "x }',
    "nested to the limit": _nested(parser.MAX_NESTING),
    "nested past the limit": _nested(parser.MAX_NESTING + 1),
    "stray characters": "org o { a = 1; b = 'x' # c\n}",
    # The state after a value also reads `,` (lists share it): the error shows only after the
    # value is reduced to an attribute.
    "stray comma after a value": 'org o { a = "x", b = 1 }',
    "errors in two items": "org o { a = }\nbuild b: t { x y }\nclone c of b.e = branch \"x\"",
    "non-ascii": "org o { a = \"é\" é = 1 }",
}


@pytest.mark.parametrize("text", CORNERS.values(), ids=CORNERS.keys())
def test_corner_cases(text: str) -> None:
    assert_same(text)
