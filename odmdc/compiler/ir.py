"""The checked graph IR: what planner and backends read, and nothing else.

A typed facade over a `networkx.MultiDiGraph`: one node per enver (clones included) holding an
`Enver` model, one edge per consumer from the producing enver to the consuming one holding an
`Edge` model (keyed by the consumer's name). Every generated name comes from
`odmdc.compiler.checker.names` (the same function rules E105/E106 read), which applies the
formulas of `odmdc.compiler.naming`. Models are pydantic so that third-party backends get validated,
documented data (`Enver.model_json_schema()`), and are frozen: backends cannot change them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict

from odmdc.compiler import ast
from odmdc.compiler.checker.backend_options import options_of
from odmdc.compiler.checker.model import ConsumerDef, EnverDef, Model
from odmdc.compiler.checker.names import EnverNames, enver_names, image_part, reads_path
from odmdc.compiler.checker.names import Names as Names  # noqa: PLC0414 (re-exported)
from odmdc.compiler.literals import literal_text
from odmdc.compiler.location import Location as Location  # noqa: PLC0414 (re-exported: backends read it with the IR)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")



class Revision(_Frozen):
    kind: Literal["branch", "tag"]
    value: str
    path: str  # b..master, t..v1.0.0, b..master-_b..feature-x


class Product(_Frozen):
    name: str  # dotted below the enver: "api", "api.schema-url"
    path: str  # the config-store path
    type: str
    s3artifact: bool
    output_key: str  # the CloudFormation output a `cdk` enver gives its value in


class Reaction(_Frozen):
    kind: Literal["redeploy", "ignore", "notify", "approve"]
    roles: tuple[str, ...] = ()


class Consumer(_Frozen):
    name: str
    producer: str  # enver id, BUILD.ENVER
    product: str  # dotted product name
    reads: str  # the config-store path it reads
    type: str
    default: str | None
    reaction: Reaction
    location: Location


class Image(_Frozen):
    name: str
    local: str  # "LOCAL:TAG" as built
    part: str  # its `repo "PART"`, else its name: the repository's last part
    repository: str  # the ECR repository it is pushed to


class Enver(_Frozen):
    id: str  # BUILD.ENVER
    build: str
    name: str
    kind: str
    enver_type: str
    revision: Revision
    account_alias: str
    account_id: str
    region: str
    partition: str
    clone_of: str | None
    products: tuple[Product, ...]
    consumers: tuple[Consumer, ...]
    images: tuple[Image, ...]
    names: Names
    #: `cdk`: the `stacks` templates `names.stacks` come from (`{build}--{rev}`), which a clone
    #: made at run time by a commit command fills with its own revision
    stack_templates: tuple[str, ...]
    location: Location

    @property
    def mutable(self) -> bool:
        return self.revision.kind == "branch"


class Edge(_Frozen):
    producer: str
    consumer: str
    consumer_name: str
    product: str
    product_path: str
    type: str
    placeholder: str | None  # the consumer's default: the edge may be deferred
    reaction: Reaction
    location: Location

    @property
    def deferrable(self) -> bool:
        return self.placeholder is not None


class Build(_Frozen):
    id: str
    kind: str
    enver_type: str
    singleton: bool
    repo: str
    owner: str | None
    work_dirs: tuple[str, ...]
    envers: tuple[str, ...]
    location: Location


class Org(_Frozen):
    name: str
    accounts: dict[str, str]  # alias → id
    central_alias: str
    central_account_id: str
    ci: str
    backends: tuple[str, ...]
    max_clones: int
    phases: tuple[str, ...]
    github_app: int | None
    #: `backend NAME { … }` options by backend, as written (each backend validates its own)
    backend_options: dict[str, dict[str, Any]] = {}


class IR:
    """The checked contracts as a graph. Build it with `build_ir` from an error-free model."""

    def __init__(self, org: Org, builds: dict[str, Build], graph: nx.MultiDiGraph) -> None:
        self.org = org
        self.builds = builds
        self.graph = graph

    def envers(self) -> list[Enver]:
        return [self.graph.nodes[n]["enver"] for n in sorted(self.graph.nodes)]

    def enver(self, ident: str) -> Enver:
        enver: Enver = self.graph.nodes[ident]["enver"]
        return enver

    def has_enver(self, ident: str) -> bool:
        return ident in self.graph

    def edges(self) -> list[Edge]:
        return sorted(
            (d["edge"] for _, _, d in self.graph.edges(data=True)),
            key=lambda e: (e.consumer, e.consumer_name),
        )

    def consumers_of(self, ident: str) -> list[Edge]:
        """Edges leaving `ident`: who reads its products."""
        return sorted((d["edge"] for _, _, d in self.graph.out_edges(ident, data=True)),
                      key=lambda e: (e.consumer, e.consumer_name))

    def producers_of(self, ident: str) -> list[Edge]:
        """Edges entering `ident`: what it reads."""
        return sorted((d["edge"] for _, _, d in self.graph.in_edges(ident, data=True)),
                      key=lambda e: e.consumer_name)

    def envers_of(self, build: str) -> Iterator[Enver]:
        for ident in self.builds[build].envers:
            yield self.enver(ident)

    def may_have_clones(self, build: str) -> bool:
        """Whether `build` may have clones: it declares some, or commit commands can make them
        (`odmd: create@…` on any branch) — it is not a singleton (E404) and the org's `max_clones`
        is above 0 (E401). The roles of such a build must admit clones nobody can list in advance
        (docs/semantics.md#least-privilege); `max_clones = 0` is how an org asks for the strictest
        roles."""
        b = self.builds[build]
        declared = any(self.enver(i).clone_of is not None for i in b.envers)
        return declared or (not b.singleton and self.org.max_clones > 0)


@functools.cache
def _reaction(kind: str, roles: tuple[str, ...]) -> Reaction:
    return Reaction(kind=kind, roles=roles)  # type: ignore[arg-type]


def _consumer(c: ConsumerDef) -> tuple[Consumer, Edge]:
    assert c.producer is not None and c.product is not None
    reads = reads_path(c)
    assert reads is not None
    reaction = _reaction(c.reaction, c.roles)
    default = literal_text(c.default) if c.default is not None else None
    ctype = c.type or c.product.type
    location = Location.of(c.node.span)
    consumer = Consumer(name=c.name, producer=c.producer.id, product=c.product.dotted,
                        reads=reads, type=ctype, default=default, reaction=reaction,
                        location=location)
    edge = Edge(producer=c.producer.id, consumer=c.enver.id, consumer_name=c.name,
                product=c.product.dotted, product_path=reads, type=ctype, placeholder=default,
                reaction=reaction, location=location)
    return consumer, edge


def enver_model(
    e: EnverDef,
    central_id: str,
    consumers: tuple[Consumer, ...] | None = None,
    names: EnverNames | None = None,
) -> Enver:
    """The IR node of one enver, its names from `enver_names` (with its resolved consumers,
    unless given). Products, consumers and images are sorted by name, not kept in declaration
    order: the IR must not change when declarations move."""
    n = names if names is not None else enver_names(e, central_id)
    products = tuple(sorted((
        Product(name=p.product.dotted, path=p.path, type=p.product.type,
                s3artifact=p.product.s3artifact, output_key=p.output_key)
        for p in n.products
    ), key=lambda p: p.name))
    if consumers is None:
        consumers = tuple(_consumer(c)[0] for c in _resolved_sorted(e))
    images = tuple(sorted((Image(name=i.image.name.text, local=i.image.local.value,
                                 part=image_part(i.image), repository=i.repository)
                           for i in n.images),
                          key=lambda i: i.name))
    t = e.build.type
    return Enver(
        id=e.id, build=e.build.id, name=e.name, kind=n.kind,
        enver_type=t.name if t else "cdk",
        revision=Revision(kind=e.revision_kind, value=e.revision_value, path=e.rev_path),
        account_alias=n.account_alias, account_id=n.account_id,
        region=e.region, partition=n.partition,
        clone_of=e.origin.id if e.origin else None, products=products, consumers=consumers,
        images=images, names=n.names, stack_templates=tuple(t.template for t in n.stacks),
        location=Location.of(e.node.span),
    )


def _resolved_sorted(e: EnverDef) -> list[ConsumerDef]:
    return sorted((c for c in e.consumers if c.resolved), key=lambda c: c.name)


def build_ir(model: Model, names: Mapping[EnverDef, EnverNames] | None = None) -> IR:
    """The IR of a model the checker found no errors in (`names`: those the rules already
    computed, reused rather than made again)."""
    org_def = model.org
    assert org_def is not None, "build_ir needs a checked model"
    central = org_def.central
    central_id = central.id if central else ""
    org = Org(
        name=org_def.name, accounts={a.alias: a.id for a in org_def.accounts.values()},
        central_alias=org_def.central_alias, central_account_id=central_id, ci=org_def.ci,
        backends=org_def.backends, max_clones=org_def.max_clones, phases=org_def.phases,
        github_app=org_def.github_app,
        backend_options={b: options_of(org_def, b) for b in sorted(org_def.backend_options)},
    )
    graph = nx.MultiDiGraph()
    builds: dict[str, Build] = {}
    edges: list[Edge] = []
    for e in model.envers():
        pairs = [_consumer(c) for c in _resolved_sorted(e)]
        known = names.get(e) if names is not None else None
        graph.add_node(e.id, enver=enver_model(e, central_id, tuple(p[0] for p in pairs), known))
        edges.extend(p[1] for p in pairs)
    for edge in edges:
        graph.add_edge(edge.producer, edge.consumer, key=edge.consumer_name, edge=edge)
    for bid in sorted(model.builds):
        b = model.builds[bid]
        work_dirs = b.attributes.get("work_dirs")
        dirs = tuple(i.value for i in work_dirs.value.items if isinstance(i, ast.Str)) \
            if work_dirs and isinstance(work_dirs.value, ast.ListValue) else ()
        builds[bid] = Build(
            id=bid, kind=b.kind or "cdk", enver_type=b.type.name if b.type else "cdk",
            singleton=b.singleton, repo=b.string("repo") or "", owner=b.string("owner"),
            work_dirs=dirs, envers=tuple(f"{bid}.{n}" for n in sorted(b.envers)),
            location=Location.of(b.node.span),
        )
    return IR(org, builds, graph)
