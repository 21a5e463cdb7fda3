"""Random *valid* orgs, as source text.

`orgs()` draws an `OrgSpec`: accounts, one or two regions each with a contracts_lib enver,
user enver types with products (nested) and consumer slots, builds of every kind with branch
and tag envers, consumers that respect every rule of docs/rules.md (same region, other build, tags
read only tags, types that fit, valid defaults), placeholder cycles (back edges that carry a
`default`), and declared clones. `OrgSpec.render()` lays the items out over several files in
any order. Tests mutate a spec (see `injections.py`) to violate exactly one rule.

Names are kept clear of every sanitising collision and limit on purpose (stack names, ECR
repositories, role-name length), so a valid spec must check clean.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field

from hypothesis import strategies as st

from odmdc.compiler import naming

REGIONS = ["us-east-1", "us-west-2", "eu-west-1"]
KINDS = ["cdk", "cmd", "npm_package", "container_image"]
# product type → a literal (source text) that is a valid default of it
SAMPLE_DEFAULTS = {
    "string": '"placeholder"',
    "url": '"https://placeholder.example.com/x"',
    "schema": '"https://schemas.example.com/order.json"',
    "arn": '"arn:aws:sns:us-east-1:222222222222:placeholder"',
    "secret": '"arn:aws:secretsmanager:us-east-1:222222222222:secret:ph-AbCdEf"',
    "cidr": '"10.0.0.0/16"',
    "account": '"222222222222"',
    "region": '"us-east-1"',
    "number": "42",
    "bool": "true",
    "json": '"{\\"k\\": 1}"',
    "image_repo": '"placeholder/repo"',
    "image_digest": '"sha256:' + "0" * 64 + '"',
}
PRODUCT_TYPES = sorted(SAMPLE_DEFAULTS)
SUPERTYPES = {  # type → the types a consumer may declare for it
    "string": ["string"], "url": ["url", "string"], "schema": ["schema", "url", "string"],
    "arn": ["arn", "string"], "secret": ["secret", "arn", "string"], "cidr": ["cidr", "string"],
    "account": ["account", "string"], "region": ["region", "string"],
    "image_repo": ["image_repo", "string"], "image_digest": ["image_digest", "string"],
    "number": ["number"], "bool": ["bool"], "json": ["json"],
}
REACTIONS = [
    None, "redeploy", "ignore", "notify", 'notify("arn:aws:sns:us-east-1:111111111111:ops")',
    'approve("arn:aws:iam::111111111111:role/release-managers")',
]


@dataclass
class ProductSpec:
    name: str
    type: str
    children: list[ProductSpec] = field(default_factory=list)
    s3artifact: bool = False

    def paths(self, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
        me = (*prefix, self.name)
        out = [(me, self.type)]
        for c in self.children:
            out.extend(c.paths(me))
        return out

    def render(self, indent: str) -> list[str]:
        head = f"{indent}{self.name}: {self.type}{' s3artifact' if self.s3artifact else ''}"
        if not self.children:
            return [head]
        lines = [head + " {"]
        for c in self.children:
            lines.extend(c.render(indent + "  "))
        return [*lines, indent + "}"]


@dataclass
class SlotSpec:
    name: str
    type: str


@dataclass
class TypeSpec:
    name: str
    base: str = "cdk"
    products: list[ProductSpec] = field(default_factory=list)
    slots: list[SlotSpec] = field(default_factory=list)
    singleton: bool = False

    def render(self) -> str:
        lines = [f"{'singleton ' if self.singleton else ''}enver_type {self.name} : {self.base} {{"]
        if self.slots:
            lines.append("  consumes {")
            lines.extend(f"    {s.name}: {s.type}" for s in self.slots)
            lines.append("  }")
        if self.products:
            lines.append("  produces {")
            for p in self.products:
                lines.extend(p.render("    "))
            lines.append("  }")
        return "\n".join([*lines, "}"])


@dataclass
class ConsumerSpec:
    name: str
    build: str
    enver: str
    product: tuple[str, ...]
    type: str | None = None
    default: str | None = None
    reaction: str | None = None

    def render(self) -> str:
        typ = f": {self.type}" if self.type else ""
        ref = ".".join((self.build, self.enver, *self.product))
        out = f"{self.name}{typ} = {ref}"
        if self.default is not None:
            out += f" default {self.default}"
        if self.reaction is not None:
            out += f" on_change {self.reaction}"
        return out


@dataclass
class EnverSpec:
    name: str
    kind: str  # branch | tag
    value: str
    account: str
    region: str
    products: list[ProductSpec] = field(default_factory=list)
    consumers: list[ConsumerSpec] = field(default_factory=list)
    images: list[tuple[str, str, str | None]] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # raw lines, for injections

    def render(self) -> list[str]:
        head = f'  enver {self.name} = {self.kind} "{self.value}" in {self.account} "{self.region}"'
        body: list[str] = []
        if self.consumers:
            body.append("    consumes {")
            body.extend(f"      {c.render()}" for c in self.consumers)
            body.append("    }")
        if self.products:
            body.append("    produces {")
            for p in self.products:
                body.extend(p.render("      "))
            body.append("    }")
        for name, local, repo in self.images:
            body.append(f'    image {name} = "{local}"' + (f' repo "{repo}"' if repo else ""))
        body.extend(f"    {x}" for x in self.extra)
        return [head + " {", *body, "  }"] if body else [head]


@dataclass
class BuildSpec:
    id: str
    type: str
    envers: list[EnverSpec] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = [f"build {self.id} : {self.type} {{", f'  repo = "acme/{self.id}"']
        lines.extend(f"  {x}" for x in self.extra)
        for e in self.envers:
            lines.extend(e.render())
        return "\n".join([*lines, "}"])


@dataclass
class CloneSpec:
    name: str
    build: str
    origin: str
    kind: str
    value: str

    def render(self) -> str:
        return f'clone {self.name} of {self.build}.{self.origin} = {self.kind} "{self.value}"'


@dataclass
class OrgSpec:
    accounts: dict[str, str]
    types: list[TypeSpec]
    builds: list[BuildSpec]
    clones: list[CloneSpec]
    org_extra: list[str] = field(default_factory=list)
    extra_items: list[str] = field(default_factory=list)  # raw top-level items, for injections

    def copy(self) -> OrgSpec:
        return copy.deepcopy(self)

    def build(self, bid: str) -> BuildSpec:
        return next(b for b in self.builds if b.id == bid)

    def enver(self, ident: str) -> EnverSpec:
        bid, name = ident.split(".")
        return next(e for e in self.build(bid).envers if e.name == name)

    def items(self) -> list[str]:
        org = ["org acme {", "  accounts {"]
        org.extend(f'    {a} = "{i}"' for a, i in self.accounts.items())
        org.append("  }")
        org.extend(f"  {x}" for x in self.org_extra)
        org.append("}")
        return ["\n".join(org), *(t.render() for t in self.types),
                *(b.render() for b in self.builds), *(c.render() for c in self.clones),
                *self.extra_items]

    def render(self, seed: int = 0, files: int = 1) -> dict[str, str]:
        """The items shuffled by `seed` (items, envers, consumers) and dealt into `files`."""
        rnd = random.Random(seed)
        spec = self.copy()
        if seed:
            for b in spec.builds:
                rnd.shuffle(b.envers)
                for e in b.envers:
                    rnd.shuffle(e.consumers)
        items = spec.items()
        if seed:
            rnd.shuffle(items)
        out: dict[str, list[str]] = {f"f{i}.odmd": [] for i in range(files)}
        for i, item in enumerate(items):
            key = f"f{rnd.randrange(files) if seed else i % files}.odmd"
            out[key].append(item)
        return {k: "\n\n".join(v) + "\n" for k, v in out.items() if v}


# ---------------------------------------------------------------------------------------------
_WORDS = ["alpha", "beta", "gamma", "delta", "omega", "kappa", "sigma", "theta", "zeta", "iota",
          "lambda", "rho", "tau", "phi", "chi", "psi", "eta", "mu", "nu", "xi"]
_BRANCHES = ["main", "dev", "develop", "staging", "feature-a", "feature-b", "release", "hotfix",
             "qa", "perf"]
_TAGS = ["1.0.0", "2.0", "rel-3", "v4.1.0", "2024-10", "r5"]


def _unique_revisions(kinds: list[str], rnd: random.Random) -> list[str]:
    """Revision values whose stack `{rev}` and ECR forms are all distinct."""
    out: list[str] = []
    seen: set[str] = set()
    for kind in kinds:
        pool = _BRANCHES if kind == "branch" else _TAGS
        for v in rnd.sample(pool, len(pool)):
            rk: naming.RevisionKind = "branch" if kind == "branch" else "tag"
            path = naming.revision_path(rk, v)
            keys = {naming.sanitise_stack_name(naming.stack_rev(rk, v, path)),
                    naming.ecr_repository("b", path, "x")}
            if not keys & seen:
                seen |= keys
                out.append(v)
                break
    return out


@st.composite
def orgs(draw: st.DrawFn, max_builds: int = 7) -> OrgSpec:
    seed = draw(st.integers(0, 2**32 - 1))
    rnd = random.Random(seed)
    n_ws = draw(st.integers(1, 3))
    accounts = {"central": "111111111111"}
    for i in range(n_ws):
        accounts[f"workspace{i + 1}"] = f"{2 + i}" * 12
    workspaces = [a for a in accounts if a != "central"]
    regions = REGIONS[: draw(st.integers(1, 2))]

    contracts = BuildSpec("contracts", "contracts_lib", [
        EnverSpec(f"main-{i}" if i else "main", "branch", "main" if not i else f"main-{r}",
                  "central", r)
        for i, r in enumerate(regions)
    ])
    products_of: dict[str, list[tuple[tuple[str, ...], str]]] = {
        f"contracts.{e.name}": [(("contractsLibLatest",), "string")] for e in contracts.envers
    }
    envers_meta: list[tuple[BuildSpec, EnverSpec, str]] = []  # (build, enver, kind)

    types: list[TypeSpec] = []
    for t in range(draw(st.integers(0, 2))):
        tprods = [ProductSpec(f"tp{t}{j}", rnd.choice(PRODUCT_TYPES))
                  for j in range(rnd.randint(1, 2))]
        if rnd.random() < 0.5:
            tprods[0].children.append(ProductSpec("child", rnd.choice(PRODUCT_TYPES)))
        slots = [SlotSpec(f"slot{j}", "string") for j in range(rnd.randint(0, 2))]
        types.append(TypeSpec(f"Type{t}", "cdk", tprods, slots))

    n_builds = draw(st.integers(1, max_builds))
    names = rnd.sample(_WORDS, n_builds)
    builds: list[BuildSpec] = [contracts]
    for bi, bid in enumerate(names):
        kind = rnd.choice(KINDS)
        tspec = rnd.choice(types) if types and kind == "cdk" and rnd.random() < 0.6 else None
        b = BuildSpec(bid, tspec.name if tspec else kind)
        n_env = rnd.randint(1, 3)
        kinds = ["branch" if tspec or rnd.random() < 0.7 else "tag" for _ in range(n_env)]
        values = _unique_revisions(kinds, rnd)
        for ei, (rk, value) in enumerate(zip(kinds, values, strict=True)):
            e = EnverSpec(f"e{ei}", rk, value, rnd.choice(workspaces), rnd.choice(regions))
            if kind == "container_image":
                e.images.append((f"img{bi}", f"{bid}:latest", rnd.choice([None, "app"])))
            elif rnd.random() < 0.8:
                e.products.append(ProductSpec(f"p{bi}", rnd.choice(PRODUCT_TYPES)))
                if rnd.random() < 0.3:
                    e.products[0].children.append(ProductSpec("sub", rnd.choice(PRODUCT_TYPES)))
                    e.products[0].s3artifact = rnd.random() < 0.3
            b.envers.append(e)
            ident = f"{bid}.{e.name}"
            paths = [pp for p in e.products for pp in p.paths()]
            if tspec:
                paths += [pp for p in tspec.products for pp in p.paths()]
            for img, _, _ in e.images:
                paths += [((img,), "image_repo"), ((img, "latestSha"), "image_digest")]
            products_of[ident] = paths
            envers_meta.append((b, e, kind))
        builds.append(b)

    # consumers: forward edges in a random topological order, back edges with placeholders
    order = envers_meta[:]
    rnd.shuffle(order)
    contracts_by_region = {e.region: e for e in contracts.envers}
    for pos, (b, e, kind) in enumerate(order):
        if kind == "container_image":
            continue
        tspec = next((t for t in types if t.name == b.type), None)
        taken: set[str] = set()
        for slot in tspec.slots if tspec else []:
            lib = contracts_by_region[e.region]  # every typed enver is a branch
            e.consumers.append(ConsumerSpec(slot.name, "contracts", lib.name,
                                            ("contractsLibLatest",),
                                            reaction=rnd.choice(REACTIONS)))
            taken.add(slot.name)
        for qpos, (qb, qe, _qkind) in enumerate(order):
            if qb is b or qe.region != e.region:
                continue
            if e.kind == "tag" and qe.kind != "tag":
                continue
            back = qpos > pos
            if rnd.random() > (0.15 if back else 0.45):
                continue
            offered = products_of[f"{qb.id}.{qe.name}"]
            if not offered:
                continue
            path, ptype = rnd.choice(offered)
            cname = f"in-{qb.id}-{'-'.join(path)}"[:40]
            if cname in taken:
                continue
            taken.add(cname)
            ctype = rnd.choice([None, *SUPERTYPES[ptype]])
            default = SAMPLE_DEFAULTS[ptype] if back or rnd.random() < 0.2 else None
            e.consumers.append(ConsumerSpec(cname, qb.id, qe.name, path, ctype, default,
                                            rnd.choice(REACTIONS)))

    clones: list[CloneSpec] = []
    for b in builds[1:]:
        for e in b.envers:
            if e.kind == "branch" and rnd.random() < 0.25:
                used = {x.value for x in b.envers} | {c.value for c in clones if c.build == b.id}
                value = next(v for v in ("feature-x", "feature-y", "spike", "try-1")
                             if v not in used)
                clones.append(CloneSpec(f"clone-{e.name}", b.id, e.name, "branch", value))
                break
    return OrgSpec(accounts, types, builds, clones)
