"""The fast front end's tables are read off Lark's parser; what they rely on is checked, so a
Lark that changes it fails loudly instead of parsing differently."""

from __future__ import annotations

import re
from typing import Any

import pytest
from lark import Lark, Tree
from lark.parse_tree_builder import maybe_create_child_filter

from odmdc.compiler.grammar import parser, tables
from odmdc.compiler.grammar.tables import UnsupportedLark, tables_of

CALLBACKS = {name: (lambda t: t) for name in ("LINE_COMMENT", "BLOCK_COMMENT", "LBRACE",
                                               "RBRACE")}


def _lark(grammar: str = parser._GRAMMAR, lexer: str = "contextual",
          callbacks: dict[str, Any] = CALLBACKS) -> Lark:
    return Lark(grammar, parser="lalr", lexer=lexer, lexer_callbacks=callbacks)


def test_every_state_has_a_scanner_made_from_larks() -> None:
    lark = _lark()
    t = tables_of(lark)
    for state in range(len(t.match)):
        t.match[state]("", 0)  # the first use makes the state's scanner
        pattern = t.match[state].__self__  # type: ignore[attr-defined]
        assert isinstance(pattern, re.Pattern)
        larks = lark.parser.lexer.lexers[state].scanner._mres[0].pattern
        assert pattern.pattern.endswith(f"(?:{larks})?")
    # A name spells a keyword only in the states that accept the keyword: `enver` in a build's
    # body, not in a consumer's.
    tables = [kw for kw in t.keywords if kw is not None]
    assert any("enver" in kw for kw in tables)
    assert any("enver" not in kw for kw in tables)


def test_the_stock_parser_and_the_tables_share_lark() -> None:
    p = parser._parser()
    t = p.tables
    assert t is not None, parser.FALLBACK
    t.match[t.start]("org", 0)
    match: Any = t.match[t.start]
    assert match.__self__.pattern.endswith(
        f"(?:{p.lark.parser.lexer.lexers[t.start].scanner._mres[0].pattern})?")


def test_the_fast_front_end_reads_the_installed_lark() -> None:
    """Every state's scanner made, on the Lark this suite runs with: `pyproject.toml` admits
    only versions on which this passes (and the differential test with it)."""
    p = parser._parser()
    assert p.tables is not None, parser.FALLBACK
    for state in range(len(p.tables.match)):
        p.tables.match[state]("", 0)
    assert parser.FALLBACK is None


def test_pickers_shape_children_as_larks_callbacks_get_them() -> None:
    """For every alternative of every rule with a builder, what the fast front end hands the
    builder is what Lark's child filter hands it on the stock path."""
    checked = 0
    for rule in parser._parser().lark.rules:
        if rule.origin.name.startswith("_") or rule.options.expand1:
            continue
        stack: list[Any] = ["below"]  # the picker reads from the top of a deeper stack
        larks: list[Any] = []
        for i, sym in enumerate(rule.expansion):
            if not sym.is_term and sym.name.startswith("_"):  # a repetition: a list here
                stack.append([f"{i}a", f"{i}b"])
                larks.append(Tree(sym.name, [f"{i}a", f"{i}b"]))
            else:
                stack.append(str(i))
                larks.append(str(i))
        picker = tables._picker(rule)
        got = stack[len(stack) - len(rule.expansion):] if picker is None else picker(stack)
        child_filter = maybe_create_child_filter(rule.expansion, False, False, [])
        want = larks if child_filter is None else child_filter(lambda c: c)(larks)
        assert list(got) == want, rule
        checked += 1
    assert checked > 40


@pytest.mark.parametrize(("grammar", "lexer", "problem"), [
    (parser._GRAMMAR, "basic", "a contextual lexer"),
    (parser._GRAMMAR.replace("account_entry: NAME", "account_entry: NAME -> entry\n| NAME"),
     "contextual", "plain rule"),
    (parser._GRAMMAR.replace("?value: scalar | list", "value: scalar | list"), "contextual",
     "a builder for rule value"),
    (parser._GRAMMAR.replace("%ignore WS", "%ignore WS\n%ignore TAB\nTAB: /\\t+/"),
     "contextual", "one whitespace terminal"),
    (parser._GRAMMAR.replace("IN (NAME | STRING) STRING", "IN (NAME | STRING) [STRING]"),
     "contextual", "plain rule"),
])
def test_a_lark_it_cannot_read_is_refused(grammar: str, lexer: str, problem: str) -> None:
    with pytest.raises(UnsupportedLark, match=problem):
        tables_of(_lark(grammar, lexer))


def test_a_lexer_callback_it_does_not_run_is_refused() -> None:
    with pytest.raises(UnsupportedLark, match="lexer callbacks it knows"):
        tables_of(_lark(callbacks={**CALLBACKS, "NAME": lambda t: t}))
