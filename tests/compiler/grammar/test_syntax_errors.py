"""E001: what a syntax error says, where it points, and what still parses after it."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from odmdc.compiler import ast
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.grammar import MAX_NESTING, parse


def in_enver(body: str) -> str:
    return f'build b : cdk {{\n  enver e = branch "e" in ws "us-west-1" {{\n    {body}\n  }}\n}}\n'


class Case(NamedTuple):
    source: str
    message: str
    at: tuple[int, int, int, int]  # line, column, end line, end column (exclusive)
    help: str | None = None  # a part of the help text; None: no help expected


NAME_OR_CLOSE = "expected a name, `enver` or `}`"
VALUE = "expected a name, a string, a number, `false`, `true` or `[`"

CASES: dict[str, Case] = {
    # expected tokens, in words, pointing at the token found
    "stray `=` in a build": Case(
        "build b : cdk {\n  = 3\n}\n", f"{NAME_OR_CLOSE}, found `=`", (2, 3, 2, 4)),
    "missing name": Case("build : cdk {}", "expected a name, found `:`", (1, 7, 1, 8)),
    "`:` for `=`": Case('build b : cdk { repo: "x" }', "expected `=`, found `:`", (1, 21, 1, 22)),
    "`=` for `:` in a product": Case(
        in_enver("produces { api = url }"), "expected `:`, found `=`", (3, 20, 3, 21)),
    "missing value": Case("build b : cdk { repo = }", f"{VALUE}, found `}}`", (1, 24, 1, 25)),
    "two-part reference": Case(
        in_enver("consumes { a = x.y }"), "expected `.`, found `}`", (3, 24, 3, 25),
        "`BUILD.ENVER.PRODUCT`"),
    "misspelt reaction": Case(
        in_enver("consumes { a = x.y.z on_change redeploi }"),
        "expected `approve`, `ignore`, `notify` or `redeploy`, found a name `redeploi`",
        (3, 36, 3, 44)),
    "approve without roles": Case(
        in_enver("consumes { a = x.y.z on_change approve }"), "expected `(`, found `}`",
        (3, 44, 3, 45)),
    "approve with no role": Case(
        in_enver("consumes { a = x.y.z on_change approve() }"),
        "expected a string, found `)`", (3, 44, 3, 45)),
    "default that is not a literal": Case(
        in_enver("consumes { a = x.y.z default foo }"),
        "expected a string, a number, `false` or `true`, found a name `foo`", (3, 34, 3, 37)),
    "enver without region": Case(
        'build b : cdk {\n  enver e = branch "e" in ws {\n  }\n}', "expected a string, found `{`",
        (2, 30, 2, 31)),
    "unknown revision kind": Case(
        'build b : cdk { enver e = commit "e" in ws "r" }',
        "expected `branch` or `tag`, found a name `commit`", (1, 27, 1, 33)),
    "list without comma": Case(
        "org a { l = [a b] }", "expected `,` or `]`, found a name `b`", (1, 16, 1, 17)),
    "clone origin without enver": Case(
        'clone x of orders = branch "x"', "expected `.`, found `=`", (1, 19, 1, 20),
        "`BUILD.ENVER`"),
    "junk at top level": Case(
        "hello world",
        "expected `build`, `clone`, `enver_type`, `org`, `singleton` or end of file, "
        "found a name `hello`", (1, 1, 1, 6)),
    "stray `}` at top level": Case(
        "build b : cdk { } }",
        "expected `build`, `clone`, `enver_type`, `org`, `singleton` or end of file, found `}`",
        (1, 19, 1, 20)),
    "singleton before build": Case(
        "singleton build x : cdk {}", "expected `enver_type`, found `build`", (1, 11, 1, 16)),
    "end of file in a header": Case(
        "build b : cdk", "expected `{`, found end of file", (1, 14, 1, 14)),
    # keywords where a name is meant
    "`image` without a name": Case(
        in_enver('image = "x:1"'), "expected a name, found `=`", (3, 11, 3, 12),
        '`image` is a keyword here (`image NAME = "LOCAL:TAG" [repo "PART"]`) and cannot be '
        "used as a name"),
    "`enver` without a name": Case(
        'build b : cdk {\n  enver = branch "e" in ws "r"\n}', "expected a name, found `=`",
        (2, 9, 2, 10), "`enver` is a keyword here"),
    "`produces` as a build attribute": Case(
        "build b : cdk { ci = x produces = 1 }", f"{NAME_OR_CLOSE}, found `produces`",
        (1, 24, 1, 32), "`produces` is a keyword here and cannot be used as a name"),
    "`accounts` as a build attribute": Case(
        'build b : cdk { ci = y accounts = "x" }', f"{NAME_OR_CLOSE}, found `accounts`",
        (1, 24, 1, 32), "`accounts` is a keyword here"),
    # separators and characters from other languages
    "comma between entries": Case(
        'build b : cdk { repo = "x", owner = "y" }', f"{NAME_OR_CLOSE}, found `,`",
        (1, 27, 1, 28), "items need no separator; remove the `,`"),
    "semicolon": Case(
        'build b : cdk { repo = "x"; }', "unexpected character `;`", (1, 27, 1, 28),
        "items need no separator; remove the `;`"),
    "single quotes": Case(
        "build b : cdk { repo = 'x' }", "unexpected character `'`", (1, 24, 1, 25),
        'strings are written in double quotes: `"…"`'),
    "hash comment": Case(
        "build b : cdk {\n  # comment\n}", "unexpected character `#`", (2, 3, 2, 4),
        "comments start with `//`"),
    "smart quote": Case(
        "build b : cdk { repo = \u201cx\u201d }",
        "unexpected character U+201C (LEFT DOUBLE QUOTATION MARK)", (1, 24, 1, 25),
        'use a straight double quote `"`'),
    "no-break space": Case(
        "build b : cdk {\u00a0}", "unexpected character U+00A0 (NO-BREAK SPACE)",
        (1, 16, 1, 17), "replace it with a space"),
    "zero-width space": Case(
        "build b : cdk {\u200b}", "unexpected character U+200B (ZERO WIDTH SPACE)",
        (1, 16, 1, 17), "remove this invisible character"),
    "escape character": Case(
        "build b : cdk {\x1b}", "unexpected character U+001B", (1, 16, 1, 17),
        "remove this invisible character"),
    "other character": Case(
        "build b : cdk { repo = @x }", "unexpected character `@`", (1, 24, 1, 25),
        "expected a name, a string, a number, `false`, `true` or `[`"),
    # special messages
    "unterminated string": Case(
        'build b : cdk {\n  repo = "acme/orders\n}\n', "unterminated string", (2, 10, 2, 11),
        'a string ends on the line it starts on; add the closing `"`'),
    "string ending in a backslash": Case(
        'build b : cdk {\n  repo = "acme\\\n}\n', "unterminated string", (2, 10, 2, 11)),
    "unknown escape": Case(
        'build b : cdk { repo = "C:\\temp" }', "unknown escape `\\t` in a string",
        (1, 27, 1, 29), 'the only escapes are `\\"` and `\\\\`'),
    "unterminated block comment": Case(
        "build b : cdk { /* never\nclosed }\n", "unterminated block comment", (1, 17, 1, 19),
        "close it with `*/`"),
    "malformed number": Case(
        "org a { n = 1.2.3 }", "invalid number `1.2.3`", (1, 13, 1, 18),
        "numbers are written `42`, `-7` or `2.5`"),
    "number glued to letters": Case("org a { n = 3rd }", "invalid number `3rd`", (1, 13, 1, 16)),
    "exponent": Case("org a { n = 1e5 }", "invalid number `1e5`", (1, 13, 1, 16)),
    "missing `}` at end of file": Case(
        'build b : cdk {\n  enver e = branch "e" in ws "us-west-1" {\n    produces { a: url }\n',
        "missing `}` at end of file", (3, 24, 3, 24), "add the `}` that closes the block"),
    "missing `}` before the next item": Case(
        'build a : cdk {\n  repo = "x"\n\nbuild b : cdk { }\n', "missing `}` before `build`",
        (4, 1, 4, 6), "add the `}` that closes the block"),
}


def only_error(source: str) -> Diagnostic:
    _tree, diagnostics = parse("t.odmd", source)
    assert len(diagnostics) == 1, diagnostics
    return diagnostics[0]


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_e001_message_and_position(case: Case) -> None:
    d = only_error(case.source)
    assert d.code == "E001"
    assert d.message == case.message
    s = d.span
    assert (s.line, s.column, s.end_line, s.end_column) == case.at
    if case.help is None:
        assert d.help is None or "keyword" not in d.help
    else:
        assert d.help is not None and case.help in d.help
    assert d.primary.message  # every E001 labels its caret


def test_expected_set_is_what_really_advances_the_parser() -> None:
    # After `x = y` the LALR state's lookaheads are merged with those of other bodies
    # (`accounts`, `produces`, `,` and `]` among them); none of those is valid in a build.
    d = only_error("build b : cdk { x = y = }")
    assert d.message == f"{NAME_OR_CLOSE}, found `=`"


def test_missing_brace_marks_the_unclosed_brace() -> None:
    d = only_error(CASES["missing `}` at end of file"].source)
    (label,) = d.secondary
    assert label.message == "this `{` is never closed"
    # the enver's `{`, not the already closed one of `produces`
    assert (label.span.line, label.span.column) == (2, 42)


def test_missing_brace_before_next_item_marks_the_unclosed_brace() -> None:
    d = only_error(CASES["missing `}` before the next item"].source)
    (label,) = d.secondary
    assert (label.span.line, label.span.column) == (1, 15)


def test_too_deep_nesting() -> None:
    depth = MAX_NESTING + 10
    products = "".join(f"p{i}: string {{ " for i in range(depth)) + "}" * depth
    d = only_error(in_enver(f"produces {{ {products} }}"))
    assert d.message == f"blocks nested deeper than {MAX_NESTING} levels"
    assert d.primary.message == "too deeply nested"


def test_hundred_thousand_braces_are_an_error_not_a_crash() -> None:
    for text in ("{" * 100_000, "build a : cdk {" + "{" * 100_000, "}" * 100_000,
                 in_enver("produces { a: url " + "{ b: url " * 50_000)):
        _tree, diagnostics = parse("t.odmd", text)
        assert [d.code for d in diagnostics] == ["E001"]


def test_deep_valid_nesting_within_the_limit_parses() -> None:
    depth = MAX_NESTING - 3  # build, enver and produces take three levels
    products = "".join(f"p{i}: string {{ " for i in range(depth)) + "}" * depth
    tree, diagnostics = parse("t.odmd", in_enver(f"produces {{ {products} }}"))
    assert diagnostics == []
    product = next(tree.items[0].envers).products  # type: ignore[union-attr]
    levels = 0
    node: ast.Product | None = next(product)
    while node is not None:
        levels += 1
        node = node.children[0] if node.children else None
    assert levels == depth


def test_very_long_line() -> None:
    value = "x" * 200_000
    tree, diagnostics = parse("t.odmd", f'build b : cdk {{ repo = "{value}" @ }}')
    (d,) = diagnostics
    assert (d.span.line, d.span.column) == (1, 200_027)
    assert len(tree.items) == 1


# ---- recovery ------------------------------------------------------------------------------

def names(tree: ast.SourceFile) -> list[str]:
    return [item.name.text for item in tree.items]


def test_error_in_one_item_leaves_the_others() -> None:
    source = (
        'build a : cdk { = }\n'
        'build b : cdk { repo = "x" }\n'
        'org o { accounts { c = "1" } }\n'
        'build c : cdk { repo = }\n'
        'clone k of b.main = branch "k"\n'
    )
    tree, diagnostics = parse("t.odmd", source)
    assert [(d.code, d.span.line) for d in diagnostics] == [("E001", 1), ("E001", 4)]
    assert names(tree) == ["a", "b", "o", "c", "k"]


def test_unrecoverable_item_is_dropped_alone() -> None:
    source = 'build a : cdk\nbuild b : cdk { repo = "x" }\n'
    tree, diagnostics = parse("t.odmd", source)
    assert [d.message for d in diagnostics] == ["expected `{`, found `build`"]
    assert names(tree) == ["b"]


def test_missing_brace_costs_one_item() -> None:
    source = 'build a : cdk {\n  repo = "x"\n\nbuild b : cdk {\n  repo = "y"\n}\n'
    tree, diagnostics = parse("t.odmd", source)
    assert len(diagnostics) == 1
    assert names(tree) == ["b"]


RECOVERY = """\
org sandbox {
  accounts { central = "590184031795" workspace1 = "590184130740" }
}

build orders : cdk {
  repo = "ondemandenv/orders"
  enver master = branch "master" in workspace1 "us-west-1" {
    consumes {
      event-bus = foundation.master.bus-src
      event-src = foundation.master on_change ignore
      eks-api: url = eks.main.cluster-endpoint
                 default "https://example.eks.amazonaws.com"
                 on_change redeploi
      last = foundation.master.last
    }
    produces { api: url }
  }
  enver dev = branch "dev" in workspace1 {
    produces { api: url }
  }
  enver v1 = tag "v1.0.0" in workspace1 "us-west-1"
}

build other : cdk {
  repo = "x"
  owner "me"
  enver main = branch "main" in workspace1 "us-west-1"
}
"""


def test_recovery_sets_aside_only_the_broken_entries() -> None:
    tree, diagnostics = parse("t.odmd", RECOVERY)
    assert [(d.span.line, d.message) for d in diagnostics] == [
        (10, "expected `.`, found `on_change`"),
        (13, "expected `approve`, `ignore`, `notify` or `redeploy`, found a name `redeploi`"),
        (18, "expected a string, found `{`"),
        (26, 'expected `=`, found a string `"me"`'),
    ]
    org, orders, other = tree.items
    assert isinstance(org, ast.Org) and org.name.text == "sandbox"
    assert isinstance(orders, ast.Build) and isinstance(other, ast.Build)
    assert [a.name.text for a in orders.attributes] == ["repo"]
    master, v1 = orders.envers
    assert (master.name.text, v1.name.text) == ("master", "v1")
    assert [c.name.text for c in master.consumers] == ["event-bus", "last"]
    assert [p.name.text for p in master.products] == ["api"]
    assert [a.name.text for a in other.attributes] == ["repo"]
    assert [e.name.text for e in other.envers] == ["main"]
    # positions of what survived are those of the original text
    last = list(master.consumers)[1]
    assert (last.span.line, last.span.column) == (14, 7)


def test_recovery_keeps_comments_outside_broken_entries() -> None:
    source = 'build b : cdk { // keep\n  x = @\n  repo = "r" /* keep too */\n}\n'
    tree, diagnostics = parse("t.odmd", source)
    assert len(diagnostics) == 1
    assert [c.text for c in tree.comments] == ["// keep", "/* keep too */"]
    (b,) = tree.items
    assert isinstance(b, ast.Build)
    assert [a.name.text for a in b.attributes] == ["repo"]


def test_recovery_is_deterministic() -> None:
    assert parse("t.odmd", RECOVERY) == parse("t.odmd", RECOVERY)


def test_error_on_a_one_line_body() -> None:
    tree, diagnostics = parse("t.odmd", in_enver("consumes { a = x.y.z b = c }"))
    assert [d.message for d in diagnostics] == ["expected `.`, found `}`"]
    (b,) = tree.items
    assert isinstance(b, ast.Build)
    (e,) = b.envers
    assert list(e.consumers) == []  # the whole one-line body is set aside


def test_stray_separators_are_dropped_alone() -> None:
    tree, diagnostics = parse("t.odmd", 'build b : cdk { repo = "x", owner = "y"; docs = "d" }')
    assert [d.message for d in diagnostics] == [
        f"{NAME_OR_CLOSE}, found `,`", "unexpected character `;`"]
    (b,) = tree.items
    assert isinstance(b, ast.Build)
    assert [a.name.text for a in b.attributes] == ["repo", "owner", "docs"]


def test_messages_quote_at_most_forty_characters_of_a_token() -> None:
    long_string = '"' + "s" * 1000 + '"'
    d = only_error(f"build b : cdk {{ owner {long_string} }}")
    assert d.message == 'expected `=`, found a string `"' + "s" * 38 + "…`"
    assert d.span.end - d.span.start == 1002  # the caret still covers the whole token
    d = only_error("org a { n = " + "1" * 500 + "x }")
    assert d.message == "invalid number `" + "1" * 39 + "…`"


def test_a_comment_holding_equals_does_not_turn_a_keyword_into_a_name() -> None:
    # found by the fmt properties: `//=` once satisfied the keyword's "`=` follows" look-ahead
    from odmdc.compiler.grammar import parse

    text = 'enver_type t : cdk { produces { a: string s3artifact //=\n { b: string } } }'
    tree, diagnostics = parse("x.odmd", text)
    assert diagnostics == []
    (product,) = tree.items[0].products  # type: ignore[union-attr]
    assert product.s3artifact and product.children[0].name.text == "b"
