"""The typed syntax tree: exactly what was written, with a span on every node.

Nodes are slotted dataclasses, treated as immutable once built (not `frozen`: a frozen
dataclass costs three times as much to construct, and the parser builds hundreds of thousands).
Spans are excluded from equality so that two parses of differently laid-out text compare equal
when they say the same thing (`fmt`'s round-trip property). Bodies keep their items in source
order: the formatter prints them back in that order and attaches comments to them; the checker
reads them through the accessors below.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal as Lit

from odmdc.compiler.span import Span


@dataclass(slots=True, unsafe_hash=True)
class Name:
    """An identifier as written (a declaration's name or one part of a reference)."""

    span: Span = field(compare=False, repr=False)
    text: str


@dataclass(slots=True, unsafe_hash=True)
class Str:
    """A string literal; `value` has its escapes resolved."""

    span: Span = field(compare=False, repr=False)
    value: str


@dataclass(slots=True, unsafe_hash=True)
class Number:
    span: Span = field(compare=False, repr=False)
    value: int | float
    text: str


@dataclass(slots=True, unsafe_hash=True)
class Bool:
    span: Span = field(compare=False, repr=False)
    value: bool


@dataclass(slots=True, unsafe_hash=True)
class Ident:
    """A bare identifier used as a value, e.g. `ci = github_actions`."""

    span: Span = field(compare=False, repr=False)
    text: str


Scalar = Str | Number | Bool | Ident


@dataclass(slots=True, unsafe_hash=True)
class ListValue:
    span: Span = field(compare=False, repr=False)
    items: tuple[Scalar, ...]


Value = Scalar | ListValue
LiteralValue = Str | Number | Bool


@dataclass(slots=True, unsafe_hash=True)
class Attribute:
    """`NAME = value` in an org, enver type, build or enver."""

    span: Span = field(compare=False, repr=False)
    name: Name
    value: Value


@dataclass(slots=True, unsafe_hash=True)
class AccountEntry:
    span: Span = field(compare=False, repr=False)
    name: Name
    value: Str


@dataclass(slots=True, unsafe_hash=True)
class Accounts:
    span: Span = field(compare=False, repr=False)
    entries: tuple[AccountEntry, ...]
    open_brace: Span | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True, unsafe_hash=True)
class BackendOptions:
    """`backend NAME { option = value … }` in an org: one backend's options."""

    span: Span = field(compare=False, repr=False)
    name: Name
    attributes: tuple[Attribute, ...]
    open_brace: Span | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True, unsafe_hash=True)
class Org:
    span: Span = field(compare=False, repr=False)
    name: Name
    body: tuple[Accounts | BackendOptions | Attribute, ...]
    open_brace: Span | None = field(default=None, compare=False, repr=False)

    @property
    def attributes(self) -> Iterator[Attribute]:
        return (i for i in self.body if isinstance(i, Attribute))

    @property
    def backend_options(self) -> Iterator[BackendOptions]:
        return (i for i in self.body if isinstance(i, BackendOptions))

    @property
    def accounts(self) -> Iterator[AccountEntry]:
        for item in self.body:
            if isinstance(item, Accounts):
                yield from item.entries


@dataclass(slots=True, unsafe_hash=True)
class Product:
    """`NAME: TYPE [s3artifact] [{ children }]`."""

    span: Span = field(compare=False, repr=False)
    name: Name
    type: Name
    s3artifact: bool
    children: tuple[Product, ...]
    open_brace: Span | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True, unsafe_hash=True)
class Produces:
    span: Span = field(compare=False, repr=False)
    products: tuple[Product, ...]
    open_brace: Span | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True, unsafe_hash=True)
class Slot:
    """A typed consumer slot of an enver type: `NAME: TYPE`."""

    span: Span = field(compare=False, repr=False)
    name: Name
    type: Name


@dataclass(slots=True, unsafe_hash=True)
class Slots:
    """`consumes { NAME: TYPE … }` inside an enver type."""

    span: Span = field(compare=False, repr=False)
    slots: tuple[Slot, ...]
    open_brace: Span | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True, unsafe_hash=True)
class EnverType:
    span: Span = field(compare=False, repr=False)
    singleton: bool
    name: Name
    base: Name
    body: tuple[Produces | Slots | Attribute, ...]
    open_brace: Span | None = field(default=None, compare=False, repr=False)

    @property
    def attributes(self) -> Iterator[Attribute]:
        return (i for i in self.body if isinstance(i, Attribute))

    @property
    def products(self) -> Iterator[Product]:
        for item in self.body:
            if isinstance(item, Produces):
                yield from item.products

    @property
    def slots(self) -> Iterator[Slot]:
        for item in self.body:
            if isinstance(item, Slots):
                yield from item.slots


RevisionKind = Lit["branch", "tag"]


@dataclass(slots=True, unsafe_hash=True)
class Revision:
    span: Span = field(compare=False, repr=False)
    kind: RevisionKind
    value: Str


@dataclass(slots=True, unsafe_hash=True)
class Ref:
    """`build.enver.product[.child…]`."""

    span: Span = field(compare=False, repr=False)
    parts: tuple[Name, ...]

    @property
    def text(self) -> str:
        return ".".join(p.text for p in self.parts)


ReactionKind = Lit["redeploy", "ignore", "notify", "approve"]


@dataclass(slots=True, unsafe_hash=True)
class Reaction:
    span: Span = field(compare=False, repr=False)
    kind: ReactionKind
    roles: tuple[Str, ...]


@dataclass(slots=True, unsafe_hash=True)
class Consumer:
    """`NAME [: TYPE] = ref [default literal] [on_change reaction]`."""

    span: Span = field(compare=False, repr=False)
    name: Name
    type: Name | None
    ref: Ref
    default: LiteralValue | None
    reaction: Reaction | None


@dataclass(slots=True, unsafe_hash=True)
class Consumes:
    span: Span = field(compare=False, repr=False)
    consumers: tuple[Consumer, ...]
    open_brace: Span | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True, unsafe_hash=True)
class Image:
    """`image NAME = "LOCAL:TAG" [repo "PART"]` in a container_image enver."""

    span: Span = field(compare=False, repr=False)
    name: Name
    local: Str
    repo: Str | None


@dataclass(slots=True, unsafe_hash=True)
class Enver:
    span: Span = field(compare=False, repr=False)
    name: Name
    revision: Revision
    account: Name | Str
    region: Str
    body: tuple[Produces | Consumes | Image | Attribute, ...]
    open_brace: Span | None = field(default=None, compare=False, repr=False)

    @property
    def attributes(self) -> Iterator[Attribute]:
        return (i for i in self.body if isinstance(i, Attribute))

    @property
    def products(self) -> Iterator[Product]:
        for item in self.body:
            if isinstance(item, Produces):
                yield from item.products

    @property
    def consumers(self) -> Iterator[Consumer]:
        for item in self.body:
            if isinstance(item, Consumes):
                yield from item.consumers

    @property
    def images(self) -> Iterator[Image]:
        return (i for i in self.body if isinstance(i, Image))


@dataclass(slots=True, unsafe_hash=True)
class Build:
    span: Span = field(compare=False, repr=False)
    name: Name
    type: Name
    body: tuple[Enver | Attribute, ...]
    open_brace: Span | None = field(default=None, compare=False, repr=False)

    @property
    def attributes(self) -> Iterator[Attribute]:
        return (i for i in self.body if isinstance(i, Attribute))

    @property
    def envers(self) -> Iterator[Enver]:
        return (i for i in self.body if isinstance(i, Enver))


@dataclass(slots=True, unsafe_hash=True)
class Clone:
    """`clone NAME of BUILD.ENVER = revision`."""

    span: Span = field(compare=False, repr=False)
    name: Name
    build: Name
    origin: Name
    revision: Revision


Item = Org | EnverType | Build | Clone


@dataclass(slots=True, unsafe_hash=True)
class Comment:
    span: Span = field(compare=False, repr=False)
    text: str

    @property
    def is_line(self) -> bool:
        return self.text.startswith("//")


@dataclass(slots=True, unsafe_hash=True)
class SourceFile:
    """One parsed `.odmd` file: its items in source order and every comment in it."""

    span: Span = field(compare=False, repr=False)
    path: str
    items: tuple[Item, ...]
    comments: tuple[Comment, ...] = field(default=(), compare=False)
