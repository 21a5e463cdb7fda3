"""The fast front end's tables, read off the Lark parser of the stock path, so that the two
cannot disagree about the grammar.

- **Scanning.** Lark's contextual lexer gives every LALR state its own scanner: one regular
  expression, an alternation of named groups over the terminals that state accepts (plus the
  ignored ones), in Lark's priority order; keywords that a name could also spell are not in it
  but turned from `NAME` by a table, and only by the keywords that state accepts. Here each
  state gets the very same alternation, behind a prefix that skips whitespace, so one `match`
  finds the next token past the blanks (nothing but whitespace starts with a blank, so skipping
  it first is what Lark's one-token-at-a-time loop does), and the same keyword table as a dict.
- **Parsing.** Lark's LALR table, per state: a terminal or rule name → the state to shift to
  (an int), or a reduction `(size, rule name, builder, picker)`: the rule's builder in
  `build.py` (`None` for a `?rule` that passes its one child through), and what takes its
  children off the stack in the shape Lark's callbacks give them to the stock path's, read off
  the rule's expansion as Lark reads it.

Lark's internals used here (`ContextualLexer.lexers`, `Scanner._mres`, `UnlessCallback`, the
parse table, rule options and expansions) are checked as they are read (a state's scanner on
its first use; `tests/compiler/grammar/test_front_end_tables.py` makes them all). A Lark that
changes them raises `UnsupportedLark`, on which the parser falls back to the stock path for
good (`parser.FALLBACK` says why); the differential test
(`tests/compiler/grammar/test_front_end_differential.py`) catches one that changes their
meaning, which is why `pyproject.toml` admits only the Lark versions it has passed on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from lark import Lark
from lark.grammar import Rule, Terminal
from lark.lexer import BasicLexer, ContextualLexer, PatternStr, UnlessCallback
from lark.parsers.lalr_analysis import Shift

from odmdc.compiler.grammar.build import BUILDERS, Builder

#: The children of a rule off the top of the parser stack (`_picker`).
Picker = Callable[[list[Any]], Sequence[Any]]
#: Rule length, rule name, builder (None: a `?rule` passing its one child through) and the
#: picker of its children (None: the stack slice as it is).
Reduction = tuple[int, str, Builder | None, Picker | None]
#: A shift (the next state) or a reduction.
Action = int | Reduction
Matcher = Callable[[str, int], "re.Match[str] | None"]


@dataclass(frozen=True, slots=True)
class Tables:
    match: list[Matcher]  # by state: the next token past the whitespace at a position
    keywords: list[dict[str, str] | None]  # by state: NAME text → keyword terminal, if any
    actions: list[dict[str, Action]]  # by state
    dropped: frozenset[str]  # terminals no rule keeps (pushed as their name only)
    recorded: frozenset[str]  # ignored terminals that are kept aside: the comments
    start: int
    end: int


class UnsupportedLark(Exception):
    """Lark's internals are not what this module reads."""


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise UnsupportedLark(what)


def _dropped_terminals(rules: list[Rule]) -> frozenset[str]:
    flags: dict[str, set[bool]] = {}
    for rule in rules:
        for sym in rule.expansion:
            if isinstance(sym, Terminal):
                flags.setdefault(sym.name, set()).add(sym.filter_out)
    _check(all(len(f) == 1 for f in flags.values()), "a terminal both kept and dropped")
    return frozenset(n for n, f in flags.items() if f == {True})


def _repetition(rule: Rule, dropped: frozenset[str]) -> Builder:
    """Builder of one of Lark's `__x_star_N` / `__x_plus_N` rules over the raw stack slice: a
    list, grown on the left in place. A parent's picker splices it into the parent's
    children, as Lark does with the tree it makes for such a rule."""
    syms = rule.expansion
    recursive = bool(syms) and syms[0] == rule.origin
    kept = [i for i, s in enumerate(syms)
            if not (recursive and i == 0) and s.name not in dropped]
    _check(len(kept) == 1 and not syms[kept[0]].name.startswith("_"),
           f"repetition {rule} keeps one symbol")
    k = kept[0]
    if recursive:
        def grow(f: str, v: Sequence[Any]) -> list[Any]:
            v[0].append(v[k])
            return v[0]  # type: ignore[no-any-return]
        return grow
    if len(syms) == 1:
        return _fresh_list
    return lambda f, v: [v[k]]


def _fresh_list(f: str, v: Sequence[Any]) -> Sequence[Any]:
    return v  # the parser hands every builder a fresh slice of its stack


_PICKERS: dict[str, Picker] = {}  # by source: rules whose children have one shape share one


def _nothing(v: list[Any]) -> Sequence[Any]:
    return ()


def _picker(rule: Rule) -> Picker | None:
    """What takes a rule's children off the top of the parser stack, shaped as Lark's
    callbacks get them (`lark.parse_tree_builder.maybe_create_child_filter`): filtered
    terminals left out, `_rule` values spliced in. None where that is the slice as it is."""
    syms = rule.expansion
    n = len(syms)
    # Offsets from the top of the stack, so that no slice is made first.
    kept = [(i - n, not s.is_term and s.name.startswith("_"))
            for i, s in enumerate(syms) if not (isinstance(s, Terminal) and s.filter_out)]
    if len(kept) == n and not any(spliced for _, spliced in kept):
        return None
    if not kept:
        return _nothing
    if not any(spliced for _, spliced in kept):
        at = [i for i, _ in kept]
        if at == list(range(at[0], at[0] + len(at))):
            return itemgetter(slice(at[0], at[-1] + 1 or None))
        return itemgetter(*at)  # at least two: a tuple
    # A splice needs Python; a generated expression does it without a loop over the children
    # at each reduction (a reference, a list and every body splices one).
    source = "lambda v: (" + "".join(f"*v[{i}], " if spliced else f"v[{i}], "
                                     for i, spliced in kept) + ")"
    if source not in _PICKERS:
        _PICKERS[source] = eval(source)
    return _PICKERS[source]


def _reduction(rule: Rule, dropped: frozenset[str]) -> Reduction:
    name = rule.origin.name
    # No alias or template (Lark would call another name's callback), no kept punctuation, no
    # `[x]` placeholders: what the pickers mirror.
    _check(rule.alias is None and not rule.options.template_source
           and not rule.options.keep_all_tokens and not rule.options.empty_indices,
           f"plain rule {rule}")
    size = len(rule.expansion)
    if name.startswith("_"):
        return size, name, _repetition(rule, dropped), None
    if rule.options.expand1:
        only = rule.expansion[0].name if size == 1 else ""
        _check(only != "" and only not in dropped and not only.startswith("_"),
               f"pass-through {rule}")
        return size, name, None, None
    _check(name in BUILDERS, f"a builder for rule {name}")
    return size, name, BUILDERS[name], _picker(rule)


def _keywords(lexer: BasicLexer) -> dict[str, str] | None:
    table: dict[str, str] | None = None
    for kind, callback in lexer.callback.items():
        if isinstance(callback, UnlessCallback):
            _check(kind == "NAME", f"keywords spelled by {kind}")
            table = {}
            for t in callback.scanner.terminals:
                _check(isinstance(t.pattern, PatternStr) and not t.pattern.flags,
                       f"keyword {t.name} is a plain string")
                table[t.pattern.value] = t.name
    return table


def tables_of(lark: Lark, start: str = "start") -> Tables:
    """The fast front end's tables for `lark`'s parser. Raises `UnsupportedLark` (and nothing
    else) when they cannot be read, and so may each state's scanner on its first use."""
    try:
        return _tables_of(lark, start)
    except UnsupportedLark:
        raise
    except Exception as e:  # whatever a Lark of another shape makes the reading trip on
        raise _unsupported(e) from e


def _unsupported(e: Exception) -> UnsupportedLark:
    return UnsupportedLark(f"reading Lark's internals: {type(e).__name__}: {e}")


def _tables_of(lark: Lark, start: str) -> Tables:
    frontend: Any = lark.parser
    lexer = frontend.lexer
    _check(isinstance(lexer, ContextualLexer), "a contextual lexer")
    parse_table = frontend.parser._parse_table
    states: dict[int, dict[str, tuple[Any, Any]]] = parse_table.states
    _check(set(states) == set(range(len(states))), "states numbered 0…n-1")

    dropped = _dropped_terminals(lark.rules)
    callbacks = set(lark.lexer_conf.callbacks)
    ignore = set(lark.lexer_conf.ignore)
    recorded = frozenset(ignore & callbacks)
    skipped = ignore - callbacks
    _check(len(skipped) == 1, "one whitespace terminal")
    # `front.py` does what the stock parser's lexer callbacks do: keep comments, count braces.
    _check(callbacks <= recorded | {"LBRACE", "RBRACE"}, "lexer callbacks it knows")
    blank = lark.get_terminal(skipped.pop()).pattern.to_regexp()

    reductions: dict[Rule, Reduction] = {}
    actions: list[dict[str, Action]] = []
    for state in range(len(states)):
        row: dict[str, Action] = {}
        for sym, (action, arg) in states[state].items():
            if action is Shift:
                row[sym] = int(arg)
            else:
                if arg not in reductions:
                    reductions[arg] = _reduction(arg, dropped)
                row[sym] = reductions[arg]
        actions.append(row)
    _check(set(lexer.lexers) == set(states), "a scanner for every state")
    scanners = _Scanners(lexer.lexers, blank)
    return Tables(scanners.match, scanners.keywords, actions, dropped, recorded,
                  parse_table.start_states[start], parse_table.end_states[start])


class _Scanners:
    """The scanners of the states, each made the first time the parser is in its state: a
    file meets a fraction of them, and making them all (Lark's and ours) costs more than
    building the parser."""

    def __init__(self, lexers: dict[int, BasicLexer], blank: str) -> None:
        self.lexers = lexers
        self.blank = blank
        # Tables.match and .keywords: a stand-in for each state until `make` replaces it.
        self.match: list[Matcher] = [self.first_use(s) for s in range(len(lexers))]
        self.keywords: list[dict[str, str] | None] = [None] * len(lexers)

    def first_use(self, state: int) -> Matcher:
        def first(text: str, pos: int) -> re.Match[str] | None:
            return self.make(state)(text, pos)
        return first

    def make(self, state: int) -> Matcher:
        """The scanner of `state`, now in place for it and for every state sharing Lark's.
        Raises `UnsupportedLark` (and nothing else) when Lark's cannot be read."""
        basic = self.lexers[state]
        try:
            mres = basic.scanner._mres
            _check(len(mres) == 1, "one regular expression per scanner")
            match = re.compile(f"(?:{self.blank})?+(?:{mres[0].pattern})?", mres[0].flags).match
            keywords = _keywords(basic)
        except UnsupportedLark:
            raise
        except Exception as e:
            raise _unsupported(e) from e
        for s, other in self.lexers.items():
            if other is basic:
                self.match[s] = match
                self.keywords[s] = keywords
        return match
