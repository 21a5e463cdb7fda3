"""The example orgs (`examples/*/`) parse and check clean, and obey docs/rules.md rule by rule.

`odmdc check` does not enforce §3 yet (the checker is being written), so besides running it
these tests re-derive from the AST alone the facts each rule looks at — who consumes what,
in which region, on which revision, under which generated names — and assert them. They are
deliberately independent of the checker: when it lands, both must agree that the examples
are clean.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import networkx as nx
import pytest

from odmdc.cli import main
from odmdc.compiler import ast
from odmdc.compiler.grammar import parse
from odmdc.compiler.sources import stdlib_sources

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ORGS = ("platform", "shop")
KINDS = ("cdk", "cmd", "container_image", "npm_package")
KIND_TAGS = {"cdk": "CdkGH", "container_image": "ContainerImageEcr", "cmd": "CmdsGH",
             "npm_package": "NpmPackGH"}
NON_STRING = ("number", "bool", "json")

BUILD_ID = re.compile(r"[A-Za-z0-9_-]+")
REVISION = re.compile(r"[A-Za-z0-9_.-]+")
PRODUCT = re.compile(r"[A-Za-z0-9_-]+")
STACK = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
ACCOUNT_ID = re.compile(r"[0-9]{12}")
ARN = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:([0-9]{12})?:.+")
SECRET_ARN = re.compile(
    r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+-[A-Za-z0-9]{6}"
)
ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+")
URL = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:]+.*")


@functools.cache
def known_regions() -> frozenset[str]:
    data = json.loads(resources.files("botocore").joinpath("data", "endpoints.json").read_text())
    return frozenset(r for p in data["partitions"] for r in p.get("regions", {}))


# ---- a model of one org, built from the AST only ------------------------------------------
@dataclass
class Edge:
    producer: str  # "build.enver"
    consumer: str
    name: str
    product: tuple[str, ...]
    product_type: str
    declared_type: str | None  # written on the consumer or its type's slot
    default: ast.LiteralValue | None
    reaction: ast.Reaction | None


@dataclass
class Deployable:
    build: ast.Build
    node: ast.Enver
    type_name: str
    kind: str
    revision_path: str
    stack_rev: str  # what `{rev}` becomes in a stack name template
    origin: str | None = None  # for a clone: "build.enver" of its origin

    @property
    def key(self) -> str:
        return f"{self.build.name.text}.{self.node.name.text}"


@dataclass
class Org:
    path: Path
    files: list[ast.SourceFile]
    org: ast.Org
    types: dict[str, ast.EnverType]
    builds: dict[str, ast.Build]
    clones: list[ast.Clone]
    envers: dict[str, Deployable] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    @property
    def accounts(self) -> dict[str, str]:
        return {a.name.text: a.value.value for a in self.org.accounts}

    def attribute(self, body: Iterator[ast.Attribute], name: str) -> ast.Value | None:
        return next((a.value for a in body if a.name.text == name), None)

    def chain(self, type_name: str) -> list[ast.EnverType]:
        """The enver type and every type it extends, down to (not including) its kind."""
        out = []
        while type_name not in KINDS:
            t = self.types[type_name]
            out.append(t)
            type_name = t.base.text
        return out

    def kind(self, type_name: str) -> str:
        chain = self.chain(type_name)
        return chain[-1].base.text if chain else type_name

    def is_a(self, type_name: str, ancestor: str) -> bool:
        return type_name == ancestor or any(t.name.text == ancestor for t in self.chain(type_name))

    def singleton(self, type_name: str) -> bool:
        return any(t.singleton for t in self.chain(type_name))

    def slots(self, type_name: str) -> dict[str, str]:
        return {s.name.text: s.type.text for t in self.chain(type_name) for s in t.slots}

    def products(self, e: Deployable) -> dict[tuple[str, ...], str]:
        out: dict[tuple[str, ...], str] = {}

        def add(prefix: tuple[str, ...], ps: Iterable[ast.Product]) -> None:
            for p in ps:
                path = (*prefix, p.name.text)
                out[path] = p.type.text
                add(path, p.children)

        for t in self.chain(e.type_name):
            add((), t.products)
        add((), e.node.products)
        for image in e.node.images:
            out[(image.name.text,)] = "image_repo"
            out[(image.name.text, "latestSha")] = "image_digest"
        return out

    def stacks(self, e: Deployable) -> list[str]:
        if e.kind != "cdk":
            return []
        templates = self.attribute(e.node.attributes, "stacks")
        for t in self.chain(e.type_name):
            templates = templates or self.attribute(t.attributes, "stacks")
        if templates is None:
            names = ["{build}--{rev}"]
        else:
            assert isinstance(templates, ast.ListValue)
            names = [i.value for i in templates.items if isinstance(i, ast.Str)]
        build = e.build.name.text
        return [sanitize_stack(n.replace("{build}", build).replace("{rev}", e.stack_rev))
                for n in names]


def sanitize_stack(name: str) -> str:
    """docs/names.md#stack-names: every character outside [A-Za-z0-9] → `-`; a leading `-` → `A`,
    trailing → `Z`."""
    s = re.sub(r"[^A-Za-z0-9]", "-", name)
    if s.startswith("-"):
        s = "A" + s[1:]
    if s.endswith("-"):
        s = s[:-1] + "Z"
    return s


def revision_path(r: ast.Revision) -> str:
    """docs/names.md#revision-paths: `b..<branch>` / `t..<tag>`."""
    return ("b.." if r.kind == "branch" else "t..") + r.value.value


@functools.cache
def load(org_name: str) -> Org:
    path = EXAMPLES / org_name
    files = []
    for f in sorted(path.rglob("*.odmd")):
        tree, diagnostics = parse(str(f), f.read_text("utf-8"))
        assert diagnostics == [], f"{f}: {diagnostics}"
        files.append(tree)
    stdlib = [parse(s.path, s.text)[0] for s in stdlib_sources()]
    items = [i for t in [*stdlib, *files] for i in t.items]
    orgs = [i for i in items if isinstance(i, ast.Org)]
    assert len(orgs) == 1, "one org per example"
    model = Org(
        path, files, orgs[0],
        {i.name.text: i for i in items if isinstance(i, ast.EnverType)},
        {i.name.text: i for i in items if isinstance(i, ast.Build)},
        [i for i in items if isinstance(i, ast.Clone)],
    )
    for b in model.builds.values():
        for node in b.envers:
            r = node.revision
            rev_path = revision_path(r)
            enver = Deployable(b, node, b.type.text, model.kind(b.type.text), rev_path,
                               r.value.value if r.kind == "branch" else rev_path)
            model.envers[enver.key] = enver
    for decl in model.clones:
        origin = model.envers[f"{decl.build.text}.{decl.origin.text}"]
        kind = "b" if decl.revision.kind == "branch" else "t"
        rev_path = f"{origin.revision_path}-_{kind}..{decl.revision.value.value}"
        # a clone is its origin's enver on another revision, under its own name
        copy = ast.Enver(decl.span, decl.name, decl.revision, origin.node.account,
                         origin.node.region, origin.node.body)
        clone = Deployable(origin.build, copy, origin.type_name, origin.kind, rev_path,
                           decl.revision.value.value if kind == "b" else rev_path, origin.key)
        model.envers[clone.key] = clone
    for e in model.envers.values():
        slots = model.slots(e.type_name)
        for c in e.node.consumers:
            build_id, enver_id, *product = (p.text for p in c.ref.parts)
            producer = model.envers.get(f"{build_id}.{enver_id}")
            assert producer is not None, f"{e.key}.{c.name.text}: no enver {c.ref.text}"  # E201
            product_type = model.products(producer).get(tuple(product))
            assert product_type is not None, f"{e.key}.{c.name.text}: no product {c.ref.text}"
            declared = c.type.text if c.type else slots.get(c.name.text)
            model.edges.append(Edge(producer.key, e.key, c.name.text, tuple(product),
                                    product_type, declared, c.default, c.reaction))
    return model


def graph(org: Org, *, deferred: bool = True) -> nx.MultiDiGraph:
    """Producer → consumer; without `deferred`, edges with a placeholder are left out."""
    g = nx.MultiDiGraph()
    g.add_nodes_from(org.envers)
    for e in org.edges:
        if deferred or e.default is None:
            g.add_edge(e.producer, e.consumer, name=e.name)
    return g


@pytest.fixture(params=ORGS)
def org(request: pytest.FixtureRequest) -> Org:
    return load(request.param)


# ---- the files themselves ------------------------------------------------------------------
def test_examples_are_the_two_orgs() -> None:
    assert sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()) == sorted(ORGS)


@pytest.mark.parametrize("name", ORGS)
def test_every_file_parses_without_diagnostics(name: str) -> None:
    files = sorted((EXAMPLES / name).rglob("*.odmd"))
    assert len(files) >= 4, "an org of several files"
    for f in files:
        _, diagnostics = parse(str(f), f.read_text("utf-8"))
        assert diagnostics == [], f


@pytest.mark.parametrize("name", ORGS)
def test_odmdc_check_is_clean(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLES / name)]) == 0
    # not even a warning: the examples are what users copy
    assert main(["check", "--format", "json", str(EXAMPLES / name)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["diagnostics"] == []
    assert report["summary"]["files"] == len(list((EXAMPLES / name).rglob("*.odmd")))


@pytest.mark.parametrize("name", ORGS)
def test_readme_says_what_the_org_shows(name: str) -> None:
    text = (EXAMPLES / name / "README.md").read_text("utf-8")
    assert text.startswith(f"# {name}") and f"odmdc check examples/{name}" in text


# ---- docs/rules.md, rule by rule ----------------------------------------------------------
def test_org_header_and_accounts(org: Org) -> None:  # E004, E107
    attrs = {a.name.text for a in org.org.attributes}
    assert {"github_app", "ci", "backends"} <= attrs
    accounts = org.accounts
    assert "central" in accounts
    assert all(ACCOUNT_ID.fullmatch(v) for v in accounts.values())
    assert len(set(accounts.values())) == len(accounts)
    for e in org.envers.values():
        account = e.node.account
        assert (account.text in accounts if isinstance(account, ast.Name)
                else ACCOUNT_ID.fullmatch(account.value)), e.key
        assert e.node.region.value in known_regions(), e.key


def test_names(org: Org) -> None:  # E101–E104
    for b in org.builds.values():
        if b.name.span.file.startswith("<stdlib>"):
            continue
        assert BUILD_ID.fullmatch(b.name.text) and b.name.text.lower() != "config"
        assert org.attribute(b.attributes, "repo") is not None, b.name.text  # E004
    for e in org.envers.values():
        r = e.node.revision
        value = r.value.value
        assert REVISION.fullmatch(value), e.key
        assert not any(bad in value for bad in ("..", "_-", "-_")), e.key
        assert r.kind == "tag" or not value.lower().startswith("v"), e.key
        for path in org.products(e):
            assert PRODUCT.fullmatch(path[-1]) and path[-1] != "ServiceToken", path
            assert not path[-1].startswith("ODMD_rev_ref"), path


def test_generated_names_fit_aws_and_do_not_collide(org: Org) -> None:  # E105, E106
    accounts = org.accounts
    stacks: dict[str, str] = {}
    ssm: dict[str, str] = {}
    ecr: dict[str, str] = {}
    for e in org.envers.values():
        for s in org.stacks(e):
            assert len(s) <= 128 and STACK.fullmatch(s), s
            assert s not in stacks, f"stack {s} of {e.key} and {stacks.get(s)}"
            stacks[s] = e.key
        for path in org.products(e):
            p = "/".join(("/odmd-share", e.build.name.text, e.revision_path, *path))
            assert len(p) <= 1011 and p.count("/") <= 15, p
            assert ssm.setdefault(p, e.key) == e.key, p
        for image in e.node.images:
            part = image.repo.value if image.repo else image.name.text
            name = f"{e.build.name.text}/{e.revision_path}/{part}".lower()
            repo = re.sub(r"[^a-z0-9/-]", "", name)
            assert len(repo) <= 256 and ecr.setdefault(repo, e.key) == e.key, repo
        account = e.node.account
        account_id = accounts[account.text] if isinstance(account, ast.Name) else account.value
        region = e.node.region.value
        for role in (f"{e.build.name.text}-{region}{account_id}-buildRole",
                     f"{e.build.name.text}-{region}{accounts['central']}-centerRole"):
            assert len(role) <= 64, role
        alias = account.text if isinstance(account, ast.Name) else account.value
        workflow = f"ODMD_{e.build.name.text}-{KIND_TAGS[e.kind]}{region}-{alias}.yaml"
        assert len(workflow) <= 255 and re.fullmatch(r"[A-Za-z0-9_.-]+", workflow), workflow


def test_references_resolve_and_types_fit(org: Org) -> None:  # E004, E201, E202, E203, E501
    for e in org.envers.values():
        if e.origin:
            continue
        bound = {c.name.text for c in e.node.consumers}
        assert set(org.slots(e.type_name)) <= bound, f"{e.key} leaves a slot unbound"
        assert len(bound) == len(list(e.node.consumers)), f"{e.key}: duplicate consumer"
    for edge in org.edges:
        t = edge.declared_type or edge.product_type
        assert t in (edge.product_type, "string") and not (
            t == "string" and edge.product_type in NON_STRING), edge
        d = edge.default
        if d is not None:
            assert isinstance(d, ast.Str), edge
            pattern = {"arn": ARN, "secret": SECRET_ARN, "url": URL}[t]
            assert pattern.fullmatch(d.value), edge
        r = edge.reaction
        if r is not None and r.kind == "approve":
            assert r.roles and all(ROLE_ARN.fullmatch(s.value) for s in r.roles), edge


def test_graph_rules(org: Org) -> None:  # E301–E305, E307–E309
    libs = [b for b in org.builds.values() if org.is_a(b.type.text, "contracts_lib")]
    assert len(libs) == 1, "exactly one contracts_lib build"
    lib_regions = {e.region.value for e in libs[0].envers}
    for b in org.builds.values():
        if not b.name.span.file.startswith("<stdlib>"):
            assert list(b.envers), f"{b.name.text} has no envers"
    for type_name in org.types:
        users = [b for b in org.builds.values() if b.type.text == type_name]
        assert not org.singleton(type_name) or len(users) <= 1, type_name
    for e in org.envers.values():
        assert e.node.region.value in lib_regions, f"no contracts_lib enver for {e.key}"
    for edge in org.edges:
        producer, consumer = org.envers[edge.producer], org.envers[edge.consumer]
        assert producer.build is not consumer.build, edge
        assert consumer.kind != "container_image", edge
        assert not org.is_a(consumer.type_name, "contracts_lib"), edge
        assert producer.node.region.value == consumer.node.region.value, edge
        if consumer.node.revision.kind == "tag":
            assert producer.node.revision.kind == "tag", edge


def test_phases_are_respected(org: Org) -> None:  # W310
    phases = org.attribute(org.org.attributes, "phases")
    if phases is None:
        return
    assert isinstance(phases, ast.ListValue)
    order = [i.text for i in phases.items if isinstance(i, ast.Ident)]
    for edge in org.edges:
        mine = org.envers[edge.consumer].node.revision.value.value
        theirs = org.envers[edge.producer].node.revision.value.value
        if mine in order and theirs in order:
            assert order.index(mine) >= order.index(theirs), edge


def test_clones(org: Org) -> None:  # E401–E404, E407
    limit = org.attribute(org.org.attributes, "max_clones")
    max_clones = limit.value if isinstance(limit, ast.Number) else 20
    per_origin: dict[str, int] = {}
    clone_keys = {k for k, e in org.envers.items() if e.origin}
    for k in clone_keys:
        clone = org.envers[k]
        assert clone.origin is not None and clone.origin not in clone_keys
        origin = org.envers[clone.origin]
        assert not org.singleton(origin.type_name), k
        assert clone.node.revision != origin.node.revision, k
        per_origin[clone.origin] = per_origin.get(clone.origin, 0) + 1
    assert all(n <= max_clones for n in per_origin.values())
    assert not any(edge.producer in clone_keys for edge in org.edges)


def test_only_cycles_are_broken_by_placeholders(org: Org) -> None:  # E306; docs/semantics.md
    assert nx.is_directed_acyclic_graph(graph(org, deferred=False))
    cycles = sorted(sorted(c) for c in nx.simple_cycles(nx.DiGraph(graph(org))))
    expected = {
        "platform": [["logging.main", "networking.ipam_west1_le"]],
        "shop": [],
    }[org.path.name]
    assert cycles == expected


def test_platform_plan_deploys_networking_then_logging_then_updates_networking() -> None:
    org = load("platform")
    phases = [sorted(g) for g in nx.topological_generations(graph(org, deferred=False))]
    where = {node: i for i, g in enumerate(phases) for node in g}
    deferred = [e for e in org.edges if e.default is not None]
    assert [(e.producer, e.consumer) for e in deferred] == [
        ("logging.main", "networking.ipam_west1_le")
    ]
    # networking first on its placeholder, logging after it, then networking again
    assert where["networking.ipam_west1_le"] < where["logging.main"]
    assert deferred[0].reaction is not None and deferred[0].reaction.kind == "redeploy"


def test_declared_docs_exist(org: Org) -> None:  # E108
    for f in org.files:
        for item in f.items:
            if isinstance(item, ast.Build | ast.EnverType):
                docs = org.attribute(item.attributes, "docs")
                if docs is not None:
                    assert isinstance(docs, ast.Str)
                    assert (Path(f.path).parent / docs.value).is_file(), docs.value


def test_examples_show_what_they_are_for() -> None:
    platform, shop = load("platform"), load("shop")
    lib = next(b for b in platform.builds.values() if b.type.text == "contracts_lib")
    assert len({e.region.value for e in lib.envers}) == 2
    for type_name in ("networking", "eks_cluster", "user_auth", "contracts_lib"):
        assert any(b.type.text == type_name for b in platform.builds.values()), type_name
    kinds = {shop.kind(b.type.text) for b in shop.builds.values()}
    assert {"cdk", "cmd", "container_image"} <= kinds
    assert shop.clones and any(
        e.node.revision.kind == "tag" and list(e.node.consumers) for e in shop.envers.values())
    assert any(e.declared_type == "secret" and e.default is not None for e in shop.edges)
    reactions = {e.reaction.kind for o in (platform, shop) for e in o.edges if e.reaction}
    assert reactions == {"redeploy", "ignore", "notify", "approve"}


@pytest.mark.parametrize("path", ["examples/platform", "examples/shop", "odmdc/stdlib_contracts"])
def test_shipped_contracts_are_formatted(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from odmdc.cli import main

    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    assert main(["fmt", "--check", path]) == 0
