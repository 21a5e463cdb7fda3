import itertools

import networkx as nx

from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.cycles import cyclic_components, shortest_cycle_through_min
from odmdc.compiler.checker.edges import judged_consumers
from odmdc.compiler.checker.model import ConsumerDef
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule

_LISTED = 8  # envers named in the "tangle" note before it says "…"
_STEPS = 16  # steps given a note and a label; a longer cycle is still printed whole


def hard_edges(ctx: CheckContext) -> nx.DiGraph:
    """Producer → consumer for every judged consumer without a `default`; each edge holds
    its consumers (several when one enver reads several products of another)."""
    g = nx.DiGraph()
    for c in judged_consumers(ctx):
        if c.default is not None:
            continue
        assert c.producer is not None
        u, v = c.producer.id, c.enver.id
        if g.has_edge(u, v):
            g[u][v]["consumers"].append(c)
        else:
            g.add_edge(u, v, consumers=[c])
    return g


def _step(consumers: list[ConsumerDef]) -> str:
    names = " and ".join(f"`{c.name}`" for c in consumers)
    return f"`{consumers[0].enver.id}`'s {names}"


class DependencyCycle(Rule):
    code = "E306"
    title = "dependency cycle without a placeholder"
    summary = (
        "Envers depend on each other in a cycle in which no consumer has a `default` "
        "placeholder, so none of them can be deployed first."
    )

    def check(self, ctx: CheckContext) -> None:
        g = hard_edges(ctx)
        for component in cyclic_components(g):
            cycle = shortest_cycle_through_min(g, component)
            steps: list[list[ConsumerDef]] = [
                sorted(g[u][v]["consumers"], key=lambda c: c.name)
                for u, v in itertools.pairwise(cycle)
            ]
            every = sorted((c for s in steps for c in s), key=lambda c: (c.enver.id, c.name))
            first = every[0]
            first_step = next(s for s in steps if first in s)
            notes = [
                f"`{s[0].enver.id}` reads "
                + " and ".join(f"`{_read(c)}` as `{c.name}`" for c in s)
                for s in steps[:_STEPS]
            ]
            if len(steps) > _STEPS:
                notes.append(f"… and {len(steps) - _STEPS} more steps")
            if len(component) > len(cycle) - 1:
                names = sorted(component)
                shown = ", ".join(f"`{n}`" for n in names[:_LISTED])
                more = ", …" if len(names) > _LISTED else ""
                notes.append(f"the cycle is part of a tangle of {len(names)} envers that "
                             f"depend on each other: {shown}{more}")
            ctx.report(
                self.code,
                f"dependency cycle without a `default` placeholder: `{' → '.join(cycle)}`",
                first.node.ref.span, _label(first),
                secondary=[Label(c.node.ref.span, _label(c)) for c in every[1:_STEPS]],
                notes=notes,
                help=f"add a `default` to {_step(first_step)} (or to the consumers of another "
                "step): the first deployment then uses the placeholder, and the consumer is "
                "redeployed once its producer exists",
            )


def _read(c: ConsumerDef) -> str:
    assert c.producer is not None and c.product is not None
    return f"{c.producer.id}.{c.product.dotted}"


def _label(c: ConsumerDef) -> str:
    return f"`{c.enver.id}` reads `{_read(c)}` with no `default`"
