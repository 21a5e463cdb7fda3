"""Which envers a change of one product's value touches, wave by wave.

Wave 1 holds the direct consumers of the product. An enver that redeploys (`redeploy`, or
`approve(…)` once one of the roles approves) republishes every product it has, so the
consumers of all its products form the next wave. `ignore` and `notify` stop there: the enver
is listed, nothing downstream of it is.

Each enver is listed once. An enver that redeploys is listed in the wave in which it first
redeploys (that is where its own consumers' wave starts from); any other enver in the earliest
wave that reaches it. The two differ only when a shorter path reaches an enver through an
`ignore` or `notify` and a longer one through a redeploy: the enver does redeploy, later, and
its `via` shows the earlier touch as well. So the listed set is exactly the envers with an
edge from the product or from an enver that redeploys, and the waves are breadth-first
distances along redeploying edges.

An entry's `reaction` describes its least gated way of reacting in its wave: `redeploy` when
some redeploy edge comes from an enver that needs no approval, else `approve` (roles of such
approve edges), else whichever redeploying edge there is; `notify` over `ignore` for the rest.
`gated` marks an enver that every path reaches through an enver waiting for an approval
(its own `approve` does not gate it: that is its reaction).

The changed product's own enver can appear too, when a cycle brings the change back to it.
A child product (`bus-src.ev-src`) is a value of its own: a change of `bus-src` reaches only
the consumers of `bus-src`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from odmdc.compiler.ir import IR, Edge, Reaction
from odmdc.compiler.planner.models import Impact, Impacted, Trigger, Wave
from odmdc.compiler.planner.plan import account_alias
from odmdc.compiler.planner.targets import product_of

CARRIES = frozenset({"redeploy", "approve"})  # reactions that republish the enver's products


@dataclass(frozen=True, slots=True)
class Link:
    """One consumer as impact analysis sees it."""

    producer: str
    consumer: str
    name: str  # the consumer's name
    product: str  # dotted product name it reads
    reaction: Reaction

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.producer, self.consumer, self.name, self.product)


@dataclass(frozen=True, slots=True)
class Reached:
    enver: str
    wave: int
    reaction: Reaction
    gated: bool
    via: tuple[tuple[int, Link], ...]


def cascade(links: Iterable[Link], enver: str, product: str) -> dict[str, Reached]:
    """Every enver a change of `enver`'s `product` reaches, by id."""
    out: dict[str, list[Link]] = {}
    for link in sorted(links, key=lambda x: x.key):
        out.setdefault(link.producer, []).append(link)
    # A trigger is a link plus whether its producer's republish waits for an approval.
    frontier = [(link, False) for link in out.get(enver, []) if link.product == product]
    seen: dict[str, list[tuple[int, Link]]] = {}
    reached: dict[str, Reached] = {}
    blocked: dict[str, bool] = {}
    wave = 1
    while frontier:
        by_consumer: dict[str, list[tuple[Link, bool]]] = {}
        for link, from_blocked in frontier:
            by_consumer.setdefault(link.consumer, []).append((link, from_blocked))
        redeployed: list[str] = []
        for ident in sorted(by_consumer):
            if ident in blocked:
                continue  # it redeployed in an earlier wave: listed there
            triggers = by_consumer[ident]
            seen.setdefault(ident, []).extend((wave, link) for link, _ in triggers)
            reaction, gated = _summary(triggers)
            carries = reaction.kind in CARRIES
            if carries or ident not in reached:
                via = tuple(sorted(seen[ident], key=lambda t: (t[0], t[1].key)))
                reached[ident] = Reached(ident, wave, reaction, gated, via)
            if carries:
                blocked[ident] = gated or reaction.kind == "approve"
                redeployed.append(ident)
        frontier = [(link, blocked[p]) for p in redeployed for link in out.get(p, [])]
        wave += 1
    return reached


def _summary(triggers: list[tuple[Link, bool]]) -> tuple[Reaction, bool]:
    """The enver's reaction and whether it is gated, from the triggers of one wave."""
    def pick(kind: str, free: bool | None) -> list[Link]:
        return [link for link, b in triggers
                if link.reaction.kind == kind and (free is None or b is not free)]

    for kind, free in (("redeploy", True), ("approve", True), ("redeploy", False),
                       ("approve", False), ("notify", None), ("ignore", None)):
        hits = pick(kind, free)
        if hits:
            roles = tuple(sorted({r for link in hits for r in link.reaction.roles}))
            gated = free is False or (free is None and all(b for _, b in triggers))
            return Reaction(kind=hits[0].reaction.kind, roles=roles), gated
    raise AssertionError("a wave reaches an enver through no edge")


def links_of(ir: IR) -> list[Link]:
    return sorted((_link(e) for e in ir.edges()), key=lambda x: x.key)


def _link(e: Edge) -> Link:
    return Link(e.producer, e.consumer, e.consumer_name, e.product, e.reaction)


def impact(ir: IR, target: str) -> Impact:
    """The impact of a change of the product `target` names (BUILD.ENVER.PRODUCT); raises
    `UsageError` when it names nothing."""
    enver, product = product_of(ir, target)
    reached = cascade(links_of(ir), enver, product.name)
    waves: dict[int, list[Impacted]] = {}
    for r in reached.values():
        e = ir.enver(r.enver)
        waves.setdefault(r.wave, []).append(Impacted(
            enver=r.enver, account=e.account_id, region=e.region, reaction=r.reaction,
            gated=r.gated,
            via=tuple(Trigger(wave=w, producer=link.producer, product=link.product,
                              consumer=link.name, reaction=link.reaction) for w, link in r.via),
            account_alias=account_alias(ir, e),
        ))
    return Impact(
        product=f"{enver}.{product.name}", path=product.path,
        waves=tuple(Wave(index=i, envers=tuple(sorted(waves[i], key=lambda x: x.enver)))
                    for i in sorted(waves)),
    )
