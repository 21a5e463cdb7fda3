"""The fast front end: Lark's contextual lexing and LALR parsing of one chunk, in one loop.

It does what `Lark.parse` with the contextual lexer does, with the tables of `tables.py`: the
scanner of the parser's current state finds the next token, keywords are told from names by
that state's table, and the token is fed to the LALR automaton, whose reductions build the AST
directly (`build.py`, the builders the stock path runs too, handed the children Lark would
hand them). It is several times faster for what it leaves out: no `Token` objects
(a token is a tuple, punctuation just its name), no generator between lexer and parser, no
wrapper chain around each reduction, no line counter fed every token (lines are counted in the
blanks and comments between tokens), and one regex match per token (whitespace is skipped by
the same match).

It handles correct input only. On anything wrong (a character no terminal of the state takes,
a token the state does not accept, `{` nested deeper than the limit) it returns None, and the
caller parses the chunk again with stock Lark, whose exceptions the error messages are made
from: errors are rare and costly anyway, and their wording depends on Lark's parser state.
"""

from __future__ import annotations

from typing import Any

from odmdc.compiler import ast
from odmdc.compiler.grammar.tables import Tables
from odmdc.compiler.span import Span

_new = tuple.__new__


def parse_chunk(
    t: Tables, file: str, text: str, line_offset: int, pos_offset: int, max_depth: int
) -> tuple[list[ast.Item], list[ast.Comment]] | None:
    """The items and comments of `text`, or None if it has a syntax error (or nests too deep).

    Positions are those of the file: `pos_offset` is added to offsets, `line_offset` to lines;
    columns are the chunk's (a chunk is padded so that they are the file's).
    """
    match, keywords, actions = t.match, t.keywords, t.actions
    dropped, recorded = t.dropped, t.recorded
    state = t.start
    states = [state]
    values: list[Any] = []
    comments: list[ast.Comment] = []
    pos = 0
    n = len(text)
    line = 1 + line_offset
    line_start = 0  # chunk offset of the current line's first character
    depth = 0
    tok: Any  # a token as the stack holds it: its name, or a `build.Tok`
    while True:
        m = match[state](text, pos)
        kind = m.lastgroup  # type: ignore[union-attr]  # every pattern matches (maybe empty)
        if kind is None:  # no token past the blanks: the end, or a character none takes
            if m.end() != n:  # type: ignore[union-attr]
                return None
            kind = tok = "$END"
        else:
            s, e = m.span(kind)  # type: ignore[union-attr]
            if s != pos:  # blanks skipped
                breaks = text.count("\n", pos, s)
                if breaks:
                    line += breaks
                    line_start = text.rfind("\n", pos, s) + 1
            value = text[s:e]
            pos = e
            if kind in recorded:  # a comment
                breaks = value.count("\n")
                end_line, end_col = line, e - line_start + 1
                if breaks:
                    end_line = line + breaks
                    end_col = e - (s + value.rindex("\n") + 1) + 1
                comments.append(ast.Comment(
                    _new(Span, (file, s + pos_offset, e + pos_offset, line,
                                s - line_start + 1, end_line, end_col)), value))
                if breaks:
                    line = end_line
                    line_start = s + value.rindex("\n") + 1
                continue
            if kind == "NAME":
                kw = keywords[state]
                if kw is not None:
                    kind = kw.get(value, "NAME")
            elif kind == "LBRACE":
                depth += 1
                if depth > max_depth:
                    return None
            elif kind == "RBRACE":
                depth -= 1
            tok = kind if kind in dropped else (
                kind, value, s + pos_offset, e + pos_offset, line, s - line_start + 1,
                e - line_start + 1)
        action = actions[state].get(kind)
        while type(action) is tuple:  # reduce, until the token can be shifted
            size, rule, builder, pick = action
            if builder is None:  # a `?rule` passing its one child through
                state = actions[states[-2]][rule]  # type: ignore[assignment]
                states[-1] = state
            elif size:
                children = values[-size:] if pick is None else pick(values)
                del values[-size:]
                del states[-size:]
                values.append(builder(file, children))
                state = actions[states[-1]][rule]  # type: ignore[assignment]
                states.append(state)
            else:
                state = actions[state][rule]  # type: ignore[assignment]
                states.append(state)
                values.append(builder(file, ()))
            action = actions[state].get(kind)
        if action is None:
            # At the end, the start rule complete; Lark's end state has no actions.
            if kind == "$END" and state == t.end:
                return values[-1], comments
            return None
        state = action  # type: ignore[assignment]
        states.append(state)
        values.append(tok)
