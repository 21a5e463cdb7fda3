"""The resolved model: what the contracts declare, with every name looked up.

Resolution is lenient: it records what it could not resolve (`Model.unresolved`, reported as
E201) or found twice (`Model.duplicates`, E002) and carries on with the first declaration, so
one mistake yields one diagnostic rather than a cascade. Rules read this model; `ir.build`
turns it into the graph IR backends read. Objects compare by identity.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from odmdc.compiler import ast
from odmdc.compiler.span import Span

RefKind = Literal["build", "enver", "product", "type", "account", "origin"]


@dataclass(eq=False, slots=True)
class Unresolved:
    """A name that names nothing (E201)."""

    kind: RefKind
    name: ast.Name
    candidates: tuple[str, ...]  # what it could have meant
    scope: str  # "in build `orders`" etc., for the message
    note: str | None = None


@dataclass(eq=False, slots=True)
class Duplicate:
    """A second declaration of a name in one scope (E002)."""

    kind: str
    name: ast.Name
    first: Span
    scope: str


@dataclass(eq=False, slots=True)
class ProductDef:
    path: tuple[str, ...]  # ("bus-src", "ev-src") below the enver
    type: str
    s3artifact: bool
    name: ast.Name  # the declaring name, for spans
    type_name: ast.Name | None  # None for products implied by an `image`
    source: str  # "type X", "enver", "image"

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(eq=False, slots=True)
class SlotDef:
    name: str
    type: str
    node: ast.Slot
    owner: str  # the enver type declaring it


@dataclass(eq=False, slots=True)
class TypeDef:
    name: str
    node: ast.EnverType | None  # None for the built-in kinds
    singleton: bool = False
    stdlib: bool = False
    base: TypeDef | None = None
    kind: str | None = None  # the root kind, when the chain resolves
    #: the standard library's `contracts_lib` is in the chain (a user type of that name is not)
    contracts_lib: bool = False
    products: list[ProductDef] = field(default_factory=list)  # inherited first
    slots: dict[str, SlotDef] = field(default_factory=dict)
    attributes: dict[str, ast.Attribute] = field(default_factory=dict)

    @property
    def is_kind(self) -> bool:
        return self.node is None

    def attribute(self, name: str) -> ast.Attribute | None:
        t: TypeDef | None = self
        while t is not None:
            if name in t.attributes:
                return t.attributes[name]
            t = t.base
        return None

    def chain(self) -> Iterator[TypeDef]:
        t: TypeDef | None = self
        while t is not None:
            yield t
            t = t.base


@dataclass(eq=False, slots=True)
class AccountDef:
    alias: str
    id: str
    node: ast.AccountEntry


@dataclass(eq=False, slots=True)
class OrgDef:
    name: str
    node: ast.Org
    accounts: dict[str, AccountDef] = field(default_factory=dict)
    attributes: dict[str, ast.Attribute] = field(default_factory=dict)
    ci: str = "github_actions"
    backends: tuple[str, ...] = ("cloudformation", "ssm", "github_actions")
    max_clones: int = 20
    phases: tuple[str, ...] = ()
    central_alias: str = "central"
    github_app: int | None = None
    #: `backend NAME { … }` blocks by backend name, and their options by option name
    backend_blocks: dict[str, ast.BackendOptions] = field(default_factory=dict)
    backend_options: dict[str, dict[str, ast.Attribute]] = field(default_factory=dict)

    @property
    def central(self) -> AccountDef | None:
        return self.accounts.get(self.central_alias)

    def alias_of(self, account_id: str) -> str | None:
        for a in self.accounts.values():
            if a.id == account_id:
                return a.alias
        return None


@dataclass(eq=False, slots=True)
class ConsumerDef:
    enver: EnverDef
    name: str
    node: ast.Consumer
    slot: SlotDef | None = None
    declared_type: str | None = None  # written on the consumer, else the slot's
    producer: EnverDef | None = None
    product: ProductDef | None = None
    inherited: bool = False  # a clone's copy of its origin's consumer

    @property
    def default(self) -> ast.LiteralValue | None:
        return self.node.default

    @property
    def reaction(self) -> str:
        return self.node.reaction.kind if self.node.reaction else "redeploy"

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(r.value for r in self.node.reaction.roles) if self.node.reaction else ()

    @property
    def type(self) -> str | None:
        """The type the consumer reads as: declared, else the product's."""
        if self.declared_type is not None:
            return self.declared_type
        return self.product.type if self.product else None

    @property
    def resolved(self) -> bool:
        return self.producer is not None and self.product is not None


@dataclass(eq=False, slots=True)
class EnverDef:
    build: BuildDef
    name: str
    node: ast.Enver | ast.Clone
    revision_kind: Literal["branch", "tag"]
    revision_value: str
    rev_path: str
    region: str
    account_alias: str | None = None
    account_id: str | None = None
    origin: EnverDef | None = None  # set for clones
    products: dict[tuple[str, ...], ProductDef] = field(default_factory=dict)
    consumers: list[ConsumerDef] = field(default_factory=list)
    stacks: tuple[str, ...] = ()
    attributes: dict[str, ast.Attribute] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.build.id}.{self.name}"

    @property
    def is_clone(self) -> bool:
        return self.origin is not None

    @property
    def mutable(self) -> bool:
        return self.revision_kind == "branch"

    @property
    def name_span(self) -> Span:
        return self.node.name.span

    @property
    def region_span(self) -> Span:
        node = self.node if isinstance(self.node, ast.Enver) else None
        return node.region.span if node else self.node.span

    @property
    def kind(self) -> str | None:
        return self.build.kind


@dataclass(eq=False, slots=True)
class BuildDef:
    id: str
    node: ast.Build
    file: str
    type: TypeDef | None = None
    attributes: dict[str, ast.Attribute] = field(default_factory=dict)
    envers: dict[str, EnverDef] = field(default_factory=dict)  # declared envers and clones

    @property
    def kind(self) -> str | None:
        return self.type.kind if self.type else None

    @property
    def singleton(self) -> bool:
        return any(t.singleton for t in self.type.chain()) if self.type else False

    def string(self, name: str) -> str | None:
        a = self.attributes.get(name)
        return a.value.value if a and isinstance(a.value, ast.Str) else None


@dataclass(eq=False, slots=True)
class Model:
    files: list[ast.SourceFile]
    stdlib: list[ast.SourceFile]
    org: OrgDef | None = None
    types: dict[str, TypeDef] = field(default_factory=dict)
    builds: dict[str, BuildDef] = field(default_factory=dict)
    clones: list[ast.Clone] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    #: type-inheritance cycles found while resolving: (type, chain)
    type_cycles: list[tuple[ast.EnverType, tuple[str, ...]]] = field(default_factory=list)

    def envers(self) -> Iterator[EnverDef]:
        """Every enver, clones included, in a stable order (by build id, then name)."""
        for bid in sorted(self.builds):
            b = self.builds[bid]
            for name in sorted(b.envers):
                yield b.envers[name]

    def consumers(self) -> Iterator[ConsumerDef]:
        for e in self.envers():
            yield from e.consumers

    def enver(self, ident: str) -> EnverDef | None:
        build, _, name = ident.partition(".")
        b = self.builds.get(build)
        return b.envers.get(name) if b else None

    def user_items(self) -> Iterator[ast.Item]:
        for f in self.files:
            yield from f.items
