"""AST → `Model`: look every name up, merge types, expand clones, bind consumers.

Nothing here reports a diagnostic: problems are recorded on the model (unresolved names,
duplicates, type cycles) and the rules report them, each under its own code. Iteration order
is the order of the sorted files and of declarations within them, so the first declaration of
a duplicated name wins deterministically.
"""

from __future__ import annotations

from collections.abc import Iterable

from odmdc.compiler import ast, naming, types
from odmdc.compiler.checker import attributes as attrs
from odmdc.compiler.checker.model import (
    AccountDef,
    BuildDef,
    ConsumerDef,
    Duplicate,
    EnverDef,
    Model,
    OrgDef,
    ProductDef,
    RefKind,
    SlotDef,
    TypeDef,
    Unresolved,
)
from odmdc.compiler.span import Span


def resolve(files: list[ast.SourceFile], stdlib: list[ast.SourceFile]) -> Model:
    return _Resolver(Model(files=files, stdlib=stdlib)).run()


class _Resolver:
    def __init__(self, model: Model) -> None:
        self.m = model
        self.orgs: list[ast.Org] = []
        self.type_nodes: dict[str, tuple[ast.EnverType, bool]] = {}
        self.build_nodes: list[tuple[ast.Build, str]] = []

    # -- driver ----------------------------------------------------------------------------
    def run(self) -> Model:
        for f, stdlib in [*((f, True) for f in self.m.stdlib), *((f, False) for f in self.m.files)]:
            for item in f.items:
                self._collect(item, f.path, stdlib)
        self._org()
        self._types()
        for node, file in self.build_nodes:
            self._build(node, file)
        self._clones()
        for e in [e for e in self.m.envers() if not e.is_clone]:
            self._consumers(e)
        for e in self.m.envers():
            if e.origin is not None:
                e.consumers = inherited_consumers(e, e.origin)
        return self.m

    def _collect(self, item: ast.Item, file: str, stdlib: bool) -> None:
        if isinstance(item, ast.Org):
            self.orgs.append(item)
        elif isinstance(item, ast.EnverType):
            name = item.name.text
            if name in self.type_nodes or name in types.KINDS:
                first = self.type_nodes[name][0].name.span if name in self.type_nodes else None
                self._dup("enver type", item.name, first, "in this org")
            else:
                self.type_nodes[name] = (item, stdlib)
        elif isinstance(item, ast.Build):
            self.build_nodes.append((item, file))
        else:
            self.m.clones.append(item)

    def _dup(self, kind: str, name: ast.Name, first: Span | None, scope: str) -> None:
        self.m.duplicates.append(Duplicate(kind, name, first or name.span, scope))

    def _unresolved(
        self,
        kind: RefKind,
        name: ast.Name,
        candidates: Iterable[str],
        scope: str,
        note: str | None = None,
    ) -> None:
        cands = tuple(sorted(candidates))
        self.m.unresolved.append(Unresolved(kind, name, cands, scope, note))

    def _attributes(self, items: Iterable[ast.Attribute], scope: str) -> dict[str, ast.Attribute]:
        out: dict[str, ast.Attribute] = {}
        for a in items:
            name = a.name.text
            if name in out:
                self._dup("attribute", a.name, out[name].name.span, scope)
            else:
                out[name] = a
        return out

    # -- org -------------------------------------------------------------------------------
    def _org(self) -> None:
        if not self.orgs:
            return
        node, *extra = self.orgs
        for other in extra:
            self._dup("org", other.name, node.name.span, "in the contracts")
        org = OrgDef(node.name.text, node)
        for entry in node.accounts:
            alias = entry.name.text
            if alias in org.accounts:
                self._dup("account", entry.name, org.accounts[alias].node.name.span,
                          f"in org `{org.name}`")
            else:
                org.accounts[alias] = AccountDef(alias, entry.value.value, entry)
        org.attributes = self._attributes(node.attributes, f"in org `{org.name}`")
        for block in node.backend_options:
            backend = block.name.text
            if backend in org.backend_blocks:
                self._dup("backend block", block.name, org.backend_blocks[backend].name.span,
                          f"in org `{org.name}`")
                continue
            org.backend_blocks[backend] = block
            org.backend_options[backend] = self._attributes(
                block.attributes, f"in the options of backend `{backend}`")
        get = attrs.Getter(org.attributes, attrs.ORG)
        ci = get("ci")
        if isinstance(ci, str):
            org.ci = ci
        backends = get("backends")
        # without a list: the config map, the infrastructure, and the chosen CI engine
        org.backends = backends if isinstance(backends, tuple) else (
            "cloudformation", "ssm", org.ci)
        max_clones = get("max_clones")
        if isinstance(max_clones, int):
            org.max_clones = max_clones
        phases = get("phases")
        if isinstance(phases, tuple):
            org.phases = phases
        central = get("central_account")
        if isinstance(central, str):
            org.central_alias = central
        app = get("github_app")
        if isinstance(app, int):
            org.github_app = app
        self.m.org = org

    # -- enver types -----------------------------------------------------------------------
    def _types(self) -> None:
        for kind in types.KINDS:
            self.m.types[kind] = TypeDef(kind, None, kind=kind, stdlib=True)
        for name in self.type_nodes:
            self._type(name, ())

    def _type(self, name: str, visiting: tuple[str, ...]) -> TypeDef | None:
        if name in self.m.types:
            return self.m.types[name]
        if name not in self.type_nodes:
            return None
        node, stdlib = self.type_nodes[name]
        if name in visiting:
            self.m.type_cycles.append((node, (*visiting[visiting.index(name):], name)))
            return None
        base_name = node.base.text
        base = self._type(base_name, (*visiting, name))
        if base is None and base_name not in self.type_nodes:
            self._unresolved("type", node.base, [*types.KINDS, *self.type_nodes],
                             f"as the base of enver type `{name}`")
        if name in self.m.types:  # resolved while following a cycle
            return self.m.types[name]
        t = TypeDef(name, node, singleton=node.singleton, stdlib=stdlib, base=base,
                    kind=base.kind if base else None,
                    contracts_lib=(stdlib and name == "contracts_lib")
                    or (base is not None and base.contracts_lib))
        if base is not None:
            t.products = list(base.products)
            t.slots = dict(base.slots)
        taken = {p.path: p for p in t.products}
        for p in node.products:
            self._product(p, (), f"type {name}", taken, f"in enver type `{name}`")
        t.products = list(taken.values())
        for s in node.slots:
            if s.name.text in t.slots:
                self._dup("consumer slot", s.name, t.slots[s.name.text].node.name.span,
                          f"in enver type `{name}`")
                continue
            self._check_type_name(s.type, f"for consumer slot `{s.name.text}`")
            t.slots[s.name.text] = SlotDef(s.name.text, s.type.text, s, name)
        t.attributes = self._attributes(node.attributes, f"in enver type `{name}`")
        self.m.types[name] = t
        return t

    def _check_type_name(self, name: ast.Name, scope: str) -> None:
        if not types.is_product_type(name.text):
            self._unresolved("type", name, types.PRODUCT_TYPES, scope)

    def _product(
        self,
        p: ast.Product,
        prefix: tuple[str, ...],
        source: str,
        taken: dict[tuple[str, ...], ProductDef],
        scope: str,
    ) -> None:
        path = (*prefix, p.name.text)
        if path in taken:
            self._dup("product", p.name, taken[path].name.span, scope)
            return
        self._check_type_name(p.type, f"for product `{'.'.join(path)}`")
        taken[path] = ProductDef(path, p.type.text, p.s3artifact, p.name, p.type, source)
        for child in p.children:
            self._product(child, path, source, taken, scope)

    # -- builds and envers -----------------------------------------------------------------
    def _build(self, node: ast.Build, file: str) -> None:
        bid = node.name.text
        if bid in self.m.builds:
            self._dup("build", node.name, self.m.builds[bid].node.name.span, "in this org")
            return
        b = BuildDef(bid, node, file)
        self.m.builds[bid] = b
        b.type = self.m.types.get(node.type.text)
        if b.type is None and node.type.text not in self.type_nodes:
            self._unresolved("type", node.type, [*types.KINDS, *self.type_nodes],
                             f"for build `{bid}`")
        b.attributes = self._attributes(node.attributes, f"in build `{bid}`")
        for en in node.envers:
            if en.name.text in b.envers:
                self._dup("enver", en.name, b.envers[en.name.text].node.name.span,
                          f"in build `{bid}`")
                continue
            b.envers[en.name.text] = self._enver(b, en)

    def _enver(self, b: BuildDef, node: ast.Enver) -> EnverDef:
        rev = node.revision
        e = EnverDef(
            build=b, name=node.name.text, node=node, revision_kind=rev.kind,
            revision_value=rev.value.value,
            rev_path=naming.revision_path(rev.kind, rev.value.value),
            region=node.region.value,
        )
        scope = f"in enver `{e.id}`"
        org = self.m.org
        if isinstance(node.account, ast.Name):
            alias = node.account.text
            if org is not None and alias in org.accounts:
                e.account_alias, e.account_id = alias, org.accounts[alias].id
            else:
                self._unresolved("account", node.account,
                                 org.accounts if org else (), "in the org's `accounts`")
        else:
            e.account_id = node.account.value
            e.account_alias = org.alias_of(e.account_id) if org else None
        taken: dict[tuple[str, ...], ProductDef] = {}
        if b.type is not None:
            for inherited in b.type.products:
                taken[inherited.path] = inherited
        for p in node.products:
            self._product(p, (), "enver", taken, scope)
        for img in node.images:
            path = (img.name.text,)
            if path in taken:
                self._dup("product", img.name, taken[path].name.span, scope)
                continue
            taken[path] = ProductDef(path, "image_repo", False, img.name, None, "image")
            taken[(*path, "latestSha")] = ProductDef(
                (*path, "latestSha"), "image_digest", False, img.name, None, "image"
            )
        e.products = taken
        e.attributes = self._attributes(node.attributes, scope)
        e.stacks = self._stacks(e)
        return e

    def _stacks(self, e: EnverDef) -> tuple[str, ...]:
        spec = attrs.ENVER["stacks"]
        own = e.attributes.get("stacks")
        chosen = own or (e.build.type.attribute("stacks") if e.build.type else None)
        value = attrs.value_of(spec, chosen.value) if chosen else None
        return value if isinstance(value, tuple) and value else naming.DEFAULT_STACKS

    # -- clones ----------------------------------------------------------------------------
    def _clones(self) -> None:
        clone_names: dict[str, set[str]] = {}
        for c in self.m.clones:
            clone_names.setdefault(c.build.text, set()).add(c.name.text)
        for c in self.m.clones:
            b = self.m.builds.get(c.build.text)
            if b is None:
                self._unresolved("build", c.build, self.m.builds, "in this org")
                continue
            origin = b.envers.get(c.origin.text)
            if origin is None or origin.is_clone:
                if c.origin.text not in clone_names.get(b.id, set()):
                    self._unresolved("origin", c.origin,
                                     [n for n, e in b.envers.items() if not e.is_clone],
                                     f"in build `{b.id}`")
                continue  # a clone of a clone: E402 reports it
            if c.name.text in b.envers:
                self._dup("enver", c.name, b.envers[c.name.text].node.name.span,
                          f"in build `{b.id}`")
                continue
            b.envers[c.name.text] = clone_def(origin, c)

    # -- consumers -------------------------------------------------------------------------
    def _consumers(self, e: EnverDef) -> None:
        assert isinstance(e.node, ast.Enver)
        slots = e.build.type.slots if e.build.type else {}
        seen: dict[str, ConsumerDef] = {}
        for node in e.node.consumers:
            name = node.name.text
            if name in seen:
                self._dup("consumer", node.name, seen[name].node.name.span, f"in enver `{e.id}`")
                continue
            c = ConsumerDef(e, name, node, slot=slots.get(name))
            if node.type is not None:
                self._check_type_name(node.type, f"for consumer `{name}`")
                c.declared_type = node.type.text
            elif c.slot is not None:
                c.declared_type = c.slot.type
            self._bind(c)
            seen[name] = c
        e.consumers = list(seen.values())

    def _bind(self, c: ConsumerDef) -> None:
        parts = c.node.ref.parts
        build_name, enver_name, product_parts = parts[0], parts[1], parts[2:]
        b = self.m.builds.get(build_name.text)
        if b is None:
            self._unresolved("build", build_name, self.m.builds, "in this org")
            return
        producer = b.envers.get(enver_name.text)
        if producer is None:
            self._unresolved("enver", enver_name, b.envers, f"in build `{b.id}`")
            return
        path = tuple(p.text for p in product_parts)
        product = producer.products.get(path)
        if product is None:
            depth = len(path)
            siblings = [q[-1] for q in producer.products if len(q) == depth and q[:-1] == path[:-1]]
            self._unresolved("product", product_parts[-1], siblings,
                             f"in enver `{producer.id}`",
                             note=_product_note(producer, path))
            return
        c.producer, c.product = producer, product


def clone_def(origin: EnverDef, node: ast.Clone) -> EnverDef:
    """Clone `node` of `origin`: the origin's type, account, region, products and stacks on
    its own revision. Its consumers are copied (`inherited_consumers`) once the origin's are
    bound."""
    rev = node.revision
    return EnverDef(
        build=origin.build, name=node.name.text, node=node, revision_kind=rev.kind,
        revision_value=rev.value.value,
        rev_path=naming.clone_revision_path(origin.rev_path, rev.kind, rev.value.value),
        region=origin.region, account_alias=origin.account_alias,
        account_id=origin.account_id, origin=origin, products=origin.products,
        stacks=origin.stacks, attributes=origin.attributes,
    )


def inherited_consumers(clone: EnverDef, origin: EnverDef) -> list[ConsumerDef]:
    """A clone's consumers: its origin's, reading the same producers (no version pinning)."""
    return [
        ConsumerDef(clone, c.name, c.node, c.slot, c.declared_type, c.producer, c.product,
                    inherited=True)
        for c in origin.consumers
    ]


def _product_note(producer: EnverDef, path: tuple[str, ...]) -> str | None:
    top = sorted(".".join(p) for p in producer.products if len(p) == 1)
    if not top:
        return f"`{producer.id}` produces nothing"
    return f"`{producer.id}` produces " + ", ".join(f"`{t}`" for t in top[:12]) + (
        ", …" if len(top) > 12 else "")
