"""A Lark whose internals are not what the fast front end reads still parses: the parser falls
back to the stock path for the rest of the process, builds the same trees and diagnostics,
and says so in `parser.FALLBACK` (and a debug log).

Each case is the installed Lark with one internal changed the way a release could change it,
Lark's own parsing left working: where the front end trips on it (building its tables, or a
state's scanner on its first use) and how (one of its own checks, or any other exception).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from lark import Lark

from odmdc.compiler.grammar import parser
from tests.compiler.grammar.test_front_end_differential import dump
from tests.compiler.grammar.test_no_reference_cycles import sample_inputs

Change = Callable[[Lark], None]


def _table_moved(lark: Lark) -> None:
    """The LALR parser keeps its table under another name (Lark's own parsing uses its inner
    parser's reference to it)."""
    lalr: Any = lark.parser.parser
    lalr.table = lalr.__dict__.pop("_parse_table")


class _OnDemand(dict[int, Any]):
    def __init__(self, make: Callable[[int], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, state: int) -> Any:
        self[state] = made = self.make(state)
        return made


def _lexers_on_demand(lark: Lark) -> None:
    """The contextual lexer makes a state's lexer when the parser first needs it."""
    lexer: Any = lark.parser.lexer
    lexer.lexers = _OnDemand(dict(lexer.lexers).__getitem__)


class _Scanner:
    """A scanner of Lark's as a release could shape it: `_mres` left out or replaced, every
    other attribute (the `match` Lark's lexer calls) the original's."""

    def __init__(self, inner: Any, mres: Callable[[Any], Any] | None) -> None:
        self._inner = inner
        self._change = mres

    def __getattr__(self, name: str) -> Any:
        if name == "_mres":
            if self._change is None:
                raise AttributeError(name)
            return self._change(self._inner._mres)
        return getattr(self._inner, name)


def _scanners(mres: Callable[[Any], Any] | None) -> Change:
    def change(lark: Lark) -> None:
        lexer: Any = lark.parser.lexer
        for basic in {id(b): b for b in lexer.lexers.values()}.values():
            basic._scanner = _Scanner(basic.scanner, mres)
    return change


CASES: dict[str, tuple[Change, str, str]] = {
    # name: (the change, when the front end trips on it, what FALLBACK says)
    "table moved": (_table_moved, "construction", "AttributeError"),
    "lexers made on demand": (_lexers_on_demand, "construction", "a scanner for every state"),
    # Lark splits a scanner's alternation where Python's `re` takes no more groups
    "two regexes per scanner": (_scanners(lambda m: [*m, *m]), "first use",
                                "one regular expression per scanner"),
    "scanner regexes moved": (_scanners(None), "first use", "AttributeError"),
}

INPUTS = sample_inputs()


@pytest.fixture(scope="module")
def reference() -> list[tuple[Any, Any]]:
    """Every input as the stock path parses it with the unchanged Lark."""
    return [(dump(tree), diags) for tree, diags in
            (parser._parse("t.odmd", text, stock=True) for text in INPUTS)]


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_lark_the_front_end_cannot_read_parses_the_same(
    case: tuple[Change, str, str], reference: list[tuple[Any, Any]],
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    change, when, reason = case

    class Changed(Lark):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            change(self)

    monkeypatch.setattr(parser, "Lark", Changed)
    monkeypatch.setattr(parser, "_PARSER", None)  # the next parse makes a new one, of Changed
    monkeypatch.setattr(parser, "FALLBACK", None)
    caplog.set_level(logging.DEBUG, logger=parser.__name__)

    built = parser._parser()
    assert (built.tables is None) == (when == "construction")
    got = [(dump(tree), diags) for tree, diags in
           (parser.parse("t.odmd", text) for text in INPUTS)]
    assert built.tables is None
    assert got == reference
    assert parser.FALLBACK is not None
    assert reason in parser.FALLBACK
    assert parser.FALLBACK in caplog.text
