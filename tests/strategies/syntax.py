"""Random syntactically valid ODMD programs: an AST, and a messy source text that spells it.

`programs()` draws a file's items as `odmdc.compiler.ast` nodes covering every construct of
the grammar (org with accounts and attributes of every value kind; enver types with and without
`singleton`, with produces (nested children, `s3artifact`), consumer slots and attributes;
builds with attributes and envers on branch or tag, in a NAME or "STRING" account, with and
without a body, with every enver item; consumers with and without a type, a default of every
literal kind and every reaction form; images with and without `repo`; clones). It then prints
them with a deliberately messy printer of its own: between any two tokens, random whitespace
(none where the lexer allows it, spaces, tabs, newlines, blank lines, CRLF) and random
comments (line, one-line block, multi-line block, several in a row), plus comments before the
first and after the last token. Nothing here uses the formatter under test.

Checks are only syntactic: names need not resolve, types need not exist, duplicates are
fine. Names avoid *every* keyword of the language (taken from the grammar file), not only
where the grammar reserves it, so that a generated program always parses.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from importlib import resources
from typing import TypeVar

from hypothesis import strategies as st

from odmdc.compiler import ast
from odmdc.compiler.span import Span

T = TypeVar("T")
GEN = Span("gen.odmd", 0, 0, 1, 1, 1, 1)  # generated nodes have no position; equality ignores it

_GRAMMAR = resources.files("odmdc.compiler.grammar").joinpath("odmd.lark").read_text("utf-8")
KEYWORDS = frozenset(re.findall(r'^[A-Z_]+: "([a-z_]+)"$', _GRAMMAR, re.MULTILINE))

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_STRING_CHARS = 'ab Z09-_:./@"\\\té{}#*,'  # quotes, backslashes and comment look-alikes
_COMMENT_CHARS = 'ab Z09 /*"{}é\t=;'


@dataclass(frozen=True, slots=True)
class Program:
    items: tuple[ast.Item, ...]
    text: str
    comment_count: int


# ---- values -------------------------------------------------------------------------------

names = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(_LETTERS + "_"),
    st.text(_LETTERS[:6] + _LETTERS[26:29] + "0129_-", max_size=11),
).filter(lambda s: s not in KEYWORDS)
name_nodes = names.map(lambda s: ast.Name(GEN, s))
strings = st.one_of(
    st.text(_STRING_CHARS, max_size=12),
    st.text(_STRING_CHARS, min_size=25, max_size=50),  # long enough to push lines past 100
).map(lambda s: ast.Str(GEN, s))


@st.composite
def numbers(draw: st.DrawFn) -> ast.Number:
    text = ("-" if draw(st.booleans()) else "") + draw(st.text("0123456789", min_size=1,
                                                                max_size=12))
    if draw(st.booleans()):
        text += "." + draw(st.text("0123456789", min_size=1, max_size=3))
        return ast.Number(GEN, float(text), text)
    return ast.Number(GEN, int(text), text)


bools = st.booleans().map(lambda b: ast.Bool(GEN, b))
idents = names.map(lambda s: ast.Ident(GEN, s))
literals: st.SearchStrategy[ast.LiteralValue] = st.one_of(strings, numbers(), bools)
scalars: st.SearchStrategy[ast.Scalar] = st.one_of(strings, numbers(), bools, idents)
values: st.SearchStrategy[ast.Value] = st.one_of(
    scalars, st.lists(scalars, max_size=7).map(lambda xs: ast.ListValue(GEN, tuple(xs)))
)
attributes = st.builds(lambda n, v: ast.Attribute(GEN, n, v), name_nodes, values)


def _tuple_of(elements: st.SearchStrategy[T], max_size: int) -> st.SearchStrategy[tuple[T, ...]]:
    return st.lists(elements, max_size=max_size).map(tuple)


# ---- org ----------------------------------------------------------------------------------

account_entries = st.builds(lambda n, v: ast.AccountEntry(GEN, n, v), name_nodes, strings)
accounts = _tuple_of(account_entries, 4).map(lambda es: ast.Accounts(GEN, es))
backend_options = st.builds(lambda n, attrs: ast.BackendOptions(GEN, n, attrs),
                            name_nodes, _tuple_of(attributes, 3))
orgs = st.builds(
    lambda n, body: ast.Org(GEN, n, body),
    name_nodes, _tuple_of(st.one_of(accounts, backend_options, attributes), 5),
)

# ---- enver types --------------------------------------------------------------------------


def _products(depth: int) -> st.SearchStrategy[ast.Product]:
    children = st.just(()) if depth == 0 else _tuple_of(_products(depth - 1), 3)
    return st.builds(
        lambda n, t, s3, cs: ast.Product(GEN, n, t, s3, cs),
        name_nodes, name_nodes, st.booleans(), children,
    )


produces = _tuple_of(_products(2), 3).map(lambda ps: ast.Produces(GEN, ps))
slots = _tuple_of(
    st.builds(lambda n, t: ast.Slot(GEN, n, t), name_nodes, name_nodes), 3
).map(lambda ss: ast.Slots(GEN, ss))
enver_types = st.builds(
    lambda single, n, base, body: ast.EnverType(GEN, single, n, base, body),
    st.booleans(), name_nodes, name_nodes,
    _tuple_of(st.one_of(produces, slots, attributes), 4),
)

# ---- builds and envers --------------------------------------------------------------------

revisions = st.builds(
    lambda kind, value: ast.Revision(GEN, kind, value), st.sampled_from(["branch", "tag"]),
    strings,
)
refs = st.lists(name_nodes, min_size=3, max_size=5).map(lambda ps: ast.Ref(GEN, tuple(ps)))
_BARE: list[ast.ReactionKind] = ["redeploy", "ignore", "notify"]
_WITH_ROLES: list[ast.ReactionKind] = ["notify", "approve"]
reactions = st.one_of(
    st.sampled_from(_BARE).map(lambda k: ast.Reaction(GEN, k, ())),
    st.builds(
        lambda k, roles: ast.Reaction(GEN, k, tuple(roles)), st.sampled_from(_WITH_ROLES),
        st.lists(strings, min_size=1, max_size=3),
    ),
)
consumers = st.builds(
    lambda n, t, ref, default, reaction: ast.Consumer(GEN, n, t, ref, default, reaction),
    name_nodes, st.none() | name_nodes, refs, st.none() | literals, st.none() | reactions,
)
consumes = _tuple_of(consumers, 4).map(lambda cs: ast.Consumes(GEN, cs))
images = st.builds(
    lambda n, local, repo: ast.Image(GEN, n, local, repo), name_nodes, strings,
    st.none() | strings,
)
envers = st.builds(
    lambda n, rev, account, region, body: ast.Enver(GEN, n, rev, account, region, body),
    name_nodes, revisions, st.one_of(name_nodes, strings), strings,
    _tuple_of(st.one_of(produces, consumes, images, attributes), 4),
)
builds = st.builds(
    lambda n, t, body: ast.Build(GEN, n, t, body), name_nodes, name_nodes,
    _tuple_of(st.one_of(envers, attributes), 4),
)
clones = st.builds(
    lambda n, b, origin, rev: ast.Clone(GEN, n, b, origin, rev), name_nodes, name_nodes,
    name_nodes, revisions,
)
items: st.SearchStrategy[ast.Item] = st.one_of(orgs, enver_types, builds, clones)


# ---- the messy printer --------------------------------------------------------------------


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Tokens:
    """The token texts of items, in order. Where the grammar gives a choice (a list's trailing
    comma, `{}` or nothing for an empty enver or product body), it draws one."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.out: list[str] = []

    def add(self, *tokens: str) -> None:
        self.out.extend(tokens)

    def block(self, children: tuple[object, ...], optional: bool = False) -> None:
        if optional and not children and self.draw(st.booleans()):
            return
        self.add("{")
        for child in children:
            self.item(child)
        self.add("}")

    def scalar(self, v: ast.Scalar) -> None:
        if isinstance(v, ast.Str):
            self.add(_quote(v.value))
        elif isinstance(v, ast.Number):
            self.add(v.text)
        elif isinstance(v, ast.Bool):
            self.add("true" if v.value else "false")
        else:
            self.add(v.text)

    def value(self, v: ast.Value) -> None:
        if not isinstance(v, ast.ListValue):
            self.scalar(v)
            return
        self.add("[")
        for k, x in enumerate(v.items):
            if k:
                self.add(",")
            self.scalar(x)
        if v.items:
            self.add(*[","] * self.draw(st.integers(0, 1)))
        self.add("]")

    def revision(self, r: ast.Revision) -> None:
        self.add(r.kind, _quote(r.value.value))

    def item(self, it: object) -> None:
        if isinstance(it, ast.Org):
            self.add("org", it.name.text)
            self.block(it.body)
        elif isinstance(it, ast.Accounts):
            self.add("accounts")
            self.block(it.entries)
        elif isinstance(it, ast.BackendOptions):
            self.add("backend", it.name.text)
            self.block(it.attributes)
        elif isinstance(it, ast.AccountEntry):
            self.add(it.name.text, "=", _quote(it.value.value))
        elif isinstance(it, ast.Attribute):
            self.add(it.name.text, "=")
            self.value(it.value)
        elif isinstance(it, ast.EnverType):
            if it.singleton:
                self.add("singleton")
            self.add("enver_type", it.name.text, ":", it.base.text)
            self.block(it.body)
        elif isinstance(it, ast.Produces):
            self.add("produces")
            self.block(it.products)
        elif isinstance(it, ast.Product):
            self.add(it.name.text, ":", it.type.text)
            if it.s3artifact:
                self.add("s3artifact")
            self.block(it.children, optional=True)
        elif isinstance(it, ast.Slots):
            self.add("consumes")
            self.block(it.slots)
        elif isinstance(it, ast.Slot):
            self.add(it.name.text, ":", it.type.text)
        elif isinstance(it, ast.Build):
            self.add("build", it.name.text, ":", it.type.text)
            self.block(it.body)
        elif isinstance(it, ast.Enver):
            self.add("enver", it.name.text, "=")
            self.revision(it.revision)
            account = it.account
            self.add("in", _quote(account.value) if isinstance(account, ast.Str) else account.text,
                     _quote(it.region.value))
            self.block(it.body, optional=True)
        elif isinstance(it, ast.Consumes):
            self.add("consumes")
            self.block(it.consumers)
        elif isinstance(it, ast.Consumer):
            self.consumer(it)
        elif isinstance(it, ast.Image):
            self.add("image", it.name.text, "=", _quote(it.local.value))
            if it.repo is not None:
                self.add("repo", _quote(it.repo.value))
        elif isinstance(it, ast.Clone):
            self.add("clone", it.name.text, "of", it.build.text, ".", it.origin.text, "=")
            self.revision(it.revision)
        else:  # pragma: no cover - every node kind is listed above
            raise TypeError(it)

    def consumer(self, c: ast.Consumer) -> None:
        self.add(c.name.text)
        if c.type is not None:
            self.add(":", c.type.text)
        self.add("=")
        for k, part in enumerate(c.ref.parts):
            if k:
                self.add(".")
            self.add(part.text)
        if c.default is not None:
            self.add("default")
            self.scalar(c.default)
        if c.reaction is not None:
            self.add("on_change", c.reaction.kind)
            if c.reaction.roles:
                self.add("(")
                for k, role in enumerate(c.reaction.roles):
                    if k:
                        self.add(",")
                    self.add(_quote(role.value))
                self.add(")")


_PUNCTUATION = frozenset("{}[](),.:=")
# Whitespace by "style" of file: all on one line, a few newlines, anything (blank lines, CRLF).
_SPACES = (
    ["", " "],
    ["", " ", "  ", "\t", "\n", "\n"],
    ["", " ", "  ", "\t", "\n", "\n\n", " \r\n\t", "\n  \n\n    "],
)


@dataclass(frozen=True, slots=True)
class _Style:
    """Drawn once per program, so that some programs are sparse (long runs of plain items)
    and others dense with comments and blank lines."""

    spaces: list[str]
    comment_odds: int  # out of 6 + comment_odds gaps hold a comment; 0: none


def _gap(draw: st.DrawFn, style: _Style, left: str, right: str) -> tuple[str, int]:
    """Whitespace and comments between two tokens ('' at the ends of the file)."""
    tight_ok = not left or not right or {left[-1], right[0]} & (_PUNCTUATION | {'"'})
    kind = draw(st.integers(0, 5 + style.comment_odds))
    if kind < 6:  # whitespace only; nothing at all where the lexer can tell the tokens apart
        ws = draw(st.sampled_from(style.spaces))
        return (ws if ws or tight_ok else " "), 0
    comments = []
    for _ in range(draw(st.sampled_from([1, 1, 1, 2]))):
        before = draw(st.sampled_from(["", " ", "\n", "\n\n  "]))
        body = draw(st.text(_COMMENT_CHARS, max_size=20))
        form = draw(st.integers(0, 2))
        if form == 0:
            comments.append(f"{before}//{body}" + draw(st.sampled_from(["\n", "\r\n", "\n\n"])))
        else:
            if form == 2:  # spanning lines, indented any which way
                body += "\n" + draw(st.sampled_from(["", "   ", "\t"])) + draw(
                    st.text(_COMMENT_CHARS, max_size=10))
            body = body.replace("*/", "* /")
            comments.append(f"{before}/*{body}*/" + draw(st.sampled_from(["", " ", "\n"])))
    return "".join(comments), len(comments)


@st.composite
def programs(draw: st.DrawFn, max_items: int = 4) -> Program:
    drawn = tuple(draw(st.lists(items, max_size=max_items)))
    tokens = _Tokens(draw)
    for it in drawn:
        tokens.item(it)
    style = _Style(draw(st.sampled_from(_SPACES)), draw(st.integers(0, 6)))
    toks = ["", *tokens.out, ""]
    parts: list[str] = []
    count = 0
    for left, right in itertools.pairwise(toks):
        gap, n = _gap(draw, style, left, right)
        parts.append(gap + right)
        count += n
    return Program(drawn, "".join(parts), count)
