"""One violation per rule, injected into a valid random org.

An injector takes a valid `OrgSpec` and a `random.Random` and returns the mutated spec plus a
*needle*: a piece of text that must be on the source line of every diagnostic of the injected
code (that is how the test knows the span is on the offending item). Injectors build what
they need (a new build, enver or consumer) rather than hoping the random org has it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from tests.strategies.orgs import (
    PRODUCT_TYPES,
    BuildSpec,
    CloneSpec,
    ConsumerSpec,
    EnverSpec,
    OrgSpec,
    ProductSpec,
    SlotSpec,
    TypeSpec,
)

Injector = Callable[[OrgSpec, random.Random], tuple[OrgSpec, str]]


@dataclass(frozen=True)
class Injection:
    code: str
    inject: Injector
    #: False for rules that random valid orgs may already trigger (W301: unread products are
    #: normal), where the test only demands a diagnostic on the needle and no other code.
    exclusive: bool = True


INJECTIONS: list[Injection] = []


def injects(code: str, exclusive: bool = True) -> Callable[[Injector], Injector]:
    def register(fn: Injector) -> Injector:
        INJECTIONS.append(Injection(code, fn, exclusive))
        return fn

    return register


# -- helpers ----------------------------------------------------------------------------------
def region_of_contracts(spec: OrgSpec) -> tuple[str, str]:
    """(region, contracts enver name) of the first contracts_lib enver."""
    e = spec.build("contracts").envers[0]
    return e.region, e.name


def new_build(spec: OrgSpec, bid: str, kind: str = "cdk", region: str | None = None,
              tag: bool = False) -> EnverSpec:
    """A fresh build with one enver, in the first contracts region unless told otherwise."""
    region = region or region_of_contracts(spec)[0]
    e = EnverSpec("e0", "tag" if tag else "branch", "1.2.3" if tag else "main", "workspace1",
                  region)
    spec.builds.append(BuildSpec(bid, kind, [e]))
    return e


def add_consumer(e: EnverSpec, c: ConsumerSpec) -> None:
    e.consumers.append(c)


# -- E0xx -------------------------------------------------------------------------------------
@injects("E002")
def duplicate_enver(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    b = rnd.choice(spec.builds)
    first = b.envers[0]
    b.envers.append(EnverSpec(first.name, "branch", "dupl", first.account, first.region))
    # either declaration may come second once the envers are shuffled
    return spec, f"enver {first.name} ="


@injects("E003")
def unknown_attribute(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    rnd.choice(spec.builds).extra.append('bogus_attr = "x"')
    return spec, "bogus_attr"


@injects("E004")
def unbound_slot(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    spec.types.append(TypeSpec("Slotted", "cdk", [], [SlotSpec("needs", "string")]))
    e = new_build(spec, "unbound", "Slotted")
    e.name = "lonely"
    return spec, "enver lonely"


# -- E2xx / E5xx ------------------------------------------------------------------------------
@injects("E201")
def unknown_product(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    region, lib = region_of_contracts(spec)
    e = new_build(spec, "reader", region=region)
    add_consumer(e, ConsumerSpec("x", "contracts", lib, ("nosuchproduct",)))
    return spec, "nosuchproduct"


@injects("E202")
def narrower_type(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    region, lib = region_of_contracts(spec)
    e = new_build(spec, "reader", region=region)
    add_consumer(e, ConsumerSpec("lib", "contracts", lib, ("contractsLibLatest",), "cidr"))
    return spec, "lib: cidr"


@injects("E203")
def bad_default(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    region, lib = region_of_contracts(spec)
    e = new_build(spec, "reader", region=region)
    add_consumer(e, ConsumerSpec("lib", "contracts", lib, ("contractsLibLatest",), None, "12"))
    return spec, "default 12"


@injects("E501")
def literal_secret(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    vault = new_build(spec, "vault")
    vault.products.append(ProductSpec("admin", "secret"))
    e = new_build(spec, "reader", region=vault.region)
    add_consumer(e, ConsumerSpec("pw", "vault", "e0", ("admin",), None, '"hunter2"'))
    return spec, "hunter2"


# -- E3xx / W3xx ------------------------------------------------------------------------------
def _producer(spec: OrgSpec, bid: str, region: str | None = None, tag: bool = False) -> EnverSpec:
    e = new_build(spec, bid, region=region, tag=tag)
    e.products.append(ProductSpec("p", "string"))
    return e


@injects("E301")
def own_build(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    e0 = _producer(spec, "selfie")
    e1 = EnverSpec("e1", "branch", "dev", "workspace1", e0.region)
    e1.consumers.append(ConsumerSpec("mine", "selfie", "e0", ("p",)))
    spec.build("selfie").envers.append(e1)
    return spec, "selfie.e0.p"


@injects("E302")
def contracts_consumes(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    lib = spec.build("contracts").envers[0]
    _producer(spec, "src", region=lib.region)
    lib.consumers.append(ConsumerSpec("x", "src", "e0", ("p",)))
    return spec, "src.e0.p"


@injects("E303")
def image_consumes(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    region, lib = region_of_contracts(spec)
    e = new_build(spec, "imgs", "container_image", region=region)
    e.images.append(("web", "web:1", None))
    e.consumers.append(ConsumerSpec("lib", "contracts", lib, ("contractsLibLatest",)))
    return spec, "lib = contracts"


@injects("E304")
def cross_region(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    libs = spec.build("contracts").envers
    if len(libs) < 2:
        libs.append(EnverSpec("main-x", "branch", "main-x", "central", "ap-south-1"))
    far = libs[1].region
    _producer(spec, "src", region=libs[0].region)
    e = new_build(spec, "reader", region=far)
    e.consumers.append(ConsumerSpec("far", "src", "e0", ("p",)))
    return spec, "far = src"


@injects("E305")
def tag_reads_branch(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    region, lib = region_of_contracts(spec)
    e = new_build(spec, "release", region=region, tag=True)
    e.consumers.append(ConsumerSpec("lib", "contracts", lib, ("contractsLibLatest",)))
    return spec, "lib = contracts"


@injects("E306")
def hard_cycle(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    a = _producer(spec, "cyca")
    b = _producer(spec, "cycb", region=a.region)
    a.consumers.append(ConsumerSpec("cyc-in", "cycb", "e0", ("p",)))
    b.consumers.append(ConsumerSpec("cyc-in", "cyca", "e0", ("p",)))
    return spec, "cyc-in"


@injects("E307")
def region_without_contracts(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    new_build(spec, "lonely", region="ap-southeast-2")
    return spec, '"ap-southeast-2"'


@injects("E308")
def build_without_envers(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    spec.builds.append(BuildSpec("hollow", "cdk"))
    return spec, "build hollow"


@injects("E309")
def second_singleton(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    region = region_of_contracts(spec)[0]
    spec.builds.append(BuildSpec("zcontracts", "contracts_lib", [
        EnverSpec("main", "branch", "zmain", "central", region)]))
    return spec, "contracts : contracts_lib"  # whichever comes second in source order


@injects("W301", exclusive=False)
def unread_product(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    e = new_build(spec, "unread")
    e.products.append(ProductSpec("nobody-reads-me", "string"))
    return spec, "nobody-reads-me"


@injects("W310")
def phase_order(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    spec.org_extra.append('phases = ["p-early", "p-late"]')
    late = _producer(spec, "late")
    late.value = "p-late"
    early = new_build(spec, "early", region=late.region)
    early.value = "p-early"
    early.consumers.append(ConsumerSpec("later", "late", "e0", ("p",)))
    return spec, "later = late"


# -- E4xx (clones) ----------------------------------------------------------------------------
# Each builds its own origin: a random org's clones are at most one per build, on branches
# named feature-x/-y, spike or try-1, so `spare-*` branches never collide with them.
@injects("E401")
def too_many_clones(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    new_build(spec, "cloned")
    spec.org_extra.append("max_clones = 1")  # a random org clones each enver at most once
    spec.clones += [CloneSpec(f"spare-{i}", "cloned", "e0", "branch", f"spare-{i}")
                    for i in range(2)]
    # which of the two is over the limit depends on where the shuffle puts them
    return spec, "of cloned.e0"


@injects("E402")
def clone_of_clone(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    new_build(spec, "cloned")
    spec.clones += [CloneSpec("spare-1", "cloned", "e0", "branch", "spare-1"),
                    CloneSpec("spare-2", "cloned", "spare-1", "branch", "spare-2")]
    return spec, "of cloned.spare-1"


@injects("E403")
def clone_on_origin_revision(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    new_build(spec, "cloned", "cmd")  # no stacks: the twin revision collides in no name
    spec.clones.append(CloneSpec("again", "cloned", "e0", "branch", "main"))
    return spec, "clone again"


@injects("E404")
def clone_of_singleton(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    _, lib = region_of_contracts(spec)
    spec.clones.append(CloneSpec("spare-lib", "contracts", lib, "branch", "spare-1"))
    return spec, "of contracts."


@injects("E405")
def tag_clone_of_mutable(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    up = new_build(spec, "upstream")
    up.products.append(ProductSpec("out", rnd.choice(PRODUCT_TYPES)))
    down = new_build(spec, "downstream", region=up.region)
    add_consumer(down, ConsumerSpec("in", "upstream", "e0", ("out",)))
    spec.clones.append(CloneSpec("rc", "downstream", "e0", "tag", "rc-9"))
    return spec, 'tag "rc-9"'


@injects("E407")
def consumes_clone(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    src = new_build(spec, "source")
    src.products.append(ProductSpec("out", "string"))
    spec.clones.append(CloneSpec("spare", "source", "e0", "branch", "spare-1"))
    e = new_build(spec, "reader", region=src.region)
    add_consumer(e, ConsumerSpec("x", "source", "spare", ("out",)))
    return spec, "source.spare.out"


# -- E1xx -------------------------------------------------------------------------------------
@injects("E101")
def reserved_build_id(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    bid = rnd.choice(["config", "Config", "CONFIG"])
    new_build(spec, bid)
    return spec, f"build {bid} :"


@injects("E102")
def bad_revision(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    e = new_build(spec, "badrev")
    e.value = rnd.choice(["a..b", "x_-y", "x-_y", "sp ace"])
    return spec, f'"{e.value}"'


@injects("E103")
def branch_like_a_tag(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    e = new_build(spec, "vbranch")
    e.value = rnd.choice(["v2", "Vnext", "v1.0-fix"])
    return spec, f'"{e.value}"'


@injects("E104")
def reserved_product(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    e = new_build(spec, "reserved")
    name = rnd.choice(["ServiceToken", "ODMD_rev_ref", "ODMD_rev_refX"])
    e.products.append(ProductSpec(name, "string"))
    return spec, f"{name}: string"


@injects("E105")
def stack_collision(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    e = new_build(spec, "twins")
    e.value = "a_b"
    spec.build("twins").envers.append(EnverSpec("e1", "branch", "a-b", e.account, e.region))
    return spec, '= branch "a'  # either twin may be the second after shuffling


@injects("E106")
def long_build_id(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    bid = "averyveryverylongbuildidentifier-" + "x" * rnd.randint(5, 20)
    new_build(spec, bid)
    return spec, f"build {bid}"


@injects("E107")
def unknown_region(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    region = rnd.choice(["us-east-9", "us-east1", "mars-north-1"])
    new_build(spec, "elsewhere", region=region)
    return spec, f'"{region}"'


@injects("E108")
def missing_docs(spec: OrgSpec, rnd: random.Random) -> tuple[OrgSpec, str]:
    rnd.choice(spec.builds).extra.append('docs = "docs/no-such-file.md"')
    return spec, "no-such-file.md"
