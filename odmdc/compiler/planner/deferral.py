"""Which dependency edges to defer so that the rest of the graph is acyclic.

An edge producer → consumer whose consumer has a `default` may be *deferred*: the consumer
first deploys with the placeholder and is updated once the producer exists. Choosing the
fewest such edges is the minimum feedback arc set problem (NP-hard), so the planner uses a
greedy rule with these guarantees:

1. Only placeholder edges are deferred, and only ones inside a strongly connected component of
   the dependency graph: an edge between components lies on no cycle, so it never needs to be.
2. The deferred set is *minimal*: restoring any one deferred edge would close a cycle. So no
   enver is deployed on a placeholder it could have done without, and (see `schedule`) the
   deferred edges themselves form no cycle.
3. Among the minimal sets, the greedy prefers short plans: it starts with every candidate
   deferred (which is acyclic when no cycle lacks a placeholder) and restores candidates one
   at a time, each time the one that lengthens the longest path of the non-deferred graph
   least, ties broken by (producer, consumer) id. Restoring stops when every remaining
   candidate would close a cycle. Not guaranteed: the globally fewest deferred edges or the
   globally fewest phases (both NP-hard in general).
4. Deterministic: only ids and graph shape are consulted, never input order.

Edges are handled per (producer, consumer) pair: a pair is deferrable only when *every*
consumer on it has a placeholder, since one edge without a placeholder already orders the two
envers and deferring its siblings would gain nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True, order=True, slots=True)
class Dep:
    """One consumer as the planner sees it: `consumer` reads a product of `producer`."""

    producer: str
    consumer: str
    name: str  # the consumer's name in its enver
    deferrable: bool  # the consumer has a placeholder (`default`)


Pair = tuple[str, str]


class UnbreakableCycle(Exception):
    """A cycle none of whose edges has a placeholder (the checker reports it as E306)."""

    def __init__(self, cycle: Sequence[Dep]) -> None:
        super().__init__(" -> ".join([*(d.producer for d in cycle), cycle[0].producer]))
        self.cycle = tuple(cycle)


def pairs_of(deps: Iterable[Dep]) -> dict[Pair, list[Dep]]:
    out: dict[Pair, list[Dep]] = {}
    for d in sorted(deps):
        out.setdefault((d.producer, d.consumer), []).append(d)
    return out


def find_unbreakable_cycle(nodes: Iterable[str], deps: Iterable[Dep]) -> list[Dep] | None:
    """A cycle of edges without placeholders, or None. Deterministic: the search starts from
    the smallest node of the first such component and prefers smaller ids."""
    deps = sorted(deps)
    for d in deps:
        if not d.deferrable and d.producer == d.consumer:
            return [d]  # an enver reading its own product (E301 rejects it too)
    g = nx.DiGraph()
    g.add_nodes_from(sorted(nodes))
    first: dict[Pair, Dep] = {}
    for d in deps:
        if not d.deferrable:
            g.add_edge(d.producer, d.consumer)
            first.setdefault((d.producer, d.consumer), d)
    for comp in sorted(sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1):
        members = set(comp)
        start = comp[0]
        path, seen = [start], {start}
        # Walk inside the component, always to the smallest successor not yet on the path; in
        # a strongly connected component this reaches a node whose successor closes a cycle.
        while True:
            succ = sorted(s for s in g.successors(path[-1]) if s in members)
            back = [s for s in succ if s in seen]
            if back:
                cycle = path[path.index(back[0]):]
                return [first[(a, b)] for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True)]
            path.append(succ[0])
            seen.add(succ[0])
    return None


def choose_deferred(nodes: Iterable[str], deps: Iterable[Dep]) -> set[Pair]:
    """The (producer, consumer) pairs to defer; raises `UnbreakableCycle` when none can."""
    node_list = sorted(set(nodes))
    dep_list = sorted(deps)
    cycle = find_unbreakable_cycle(node_list, dep_list)
    if cycle is not None:
        raise UnbreakableCycle(cycle)
    pairs = pairs_of(dep_list)
    full = nx.DiGraph()
    full.add_nodes_from(node_list)
    full.add_edges_from(pairs)
    component = {n: i for i, comp in enumerate(nx.strongly_connected_components(full))
                 for n in comp}
    candidates = sorted(
        p for p, ds in pairs.items()
        if component[p[0]] == component[p[1]] and all(d.deferrable for d in ds)
    )
    deferrable = set(candidates)
    dag = _Dag(node_list, [p for p in pairs if p not in deferrable])
    remaining = list(candidates)  # deferred for now, maybe restorable
    deferred: set[Pair] = set()  # would close a cycle: N only grows, so that stays true
    while remaining:
        best: tuple[int, str, str] | None = None
        restorable: list[Pair] = []
        for u, v in remaining:
            if dag.reaches(v, u):
                deferred.add((u, v))  # restoring u -> v would close a cycle
                continue
            restorable.append((u, v))
            cost = max(dag.longest, dag.depth[u] + dag.height[v])
            if best is None or (cost, u, v) < best:
                best = (cost, u, v)
        if best is None:
            break
        _, u, v = best
        dag.add(u, v)
        restorable.remove((u, v))
        remaining = restorable
    return deferred


class _Dag:
    """An acyclic graph that keeps, as edges are added, each node's longest path (in nodes)
    ending there (`depth`) and starting there (`height`), and its descendants (itself
    included) as a bit set. Updates touch only the nodes whose values change, so the greedy
    costs about one pass over the graph, not one per restored edge."""

    def __init__(self, nodes: list[str], edges: Iterable[Pair]) -> None:
        self.index = {n: i for i, n in enumerate(nodes)}
        self.succ: dict[str, list[str]] = {n: [] for n in nodes}
        self.pred: dict[str, list[str]] = {n: [] for n in nodes}
        for u, v in edges:
            self.succ[u].append(v)
            self.pred[v].append(u)
        waiting = {n: len(self.pred[n]) for n in nodes}
        order = [n for n in nodes if not waiting[n]]
        for n in order:  # Kahn's algorithm; `order` grows while it is walked
            for s in self.succ[n]:
                waiting[s] -= 1
                if not waiting[s]:
                    order.append(s)
        assert len(order) == len(nodes), "the graph has a cycle"
        self.depth: dict[str, int] = {}
        for n in order:
            self.depth[n] = 1 + max((self.depth[p] for p in self.pred[n]), default=0)
        self.height: dict[str, int] = {}
        self.reach: dict[str, int] = {}
        for n in reversed(order):
            self.height[n] = 1 + max((self.height[x] for x in self.succ[n]), default=0)
            bits = 1 << self.index[n]
            for x in self.succ[n]:
                bits |= self.reach[x]
            self.reach[n] = bits
        self.longest = max(self.depth.values(), default=0)

    def reaches(self, a: str, b: str) -> bool:
        return bool(self.reach[a] >> self.index[b] & 1)

    def add(self, u: str, v: str) -> None:
        """Add u -> v, which must not close a cycle (`not reaches(v, u)`)."""
        self.succ[u].append(v)
        self.pred[v].append(u)
        self.longest = max(self.longest, self.depth[u] + self.height[v])
        _raise(self.depth, self.succ, u, v)
        _raise(self.height, self.pred, v, u)
        stack = [u]
        self.reach[u] |= self.reach[v]
        while stack:
            x = stack.pop()
            for p in self.pred[x]:
                bits = self.reach[p] | self.reach[x]
                if bits != self.reach[p]:
                    self.reach[p] = bits
                    stack.append(p)


def _raise(length: dict[str, int], onward: dict[str, list[str]], a: str, b: str) -> None:
    """After an edge a -> b (in the direction `onward` follows), lengthen the paths it makes
    longer: b's and, from there, those of every node `onward` of b."""
    if length[a] + 1 <= length[b]:
        return
    length[b] = length[a] + 1
    stack = [b]
    while stack:
        x = stack.pop()
        for y in onward[x]:
            if length[x] + 1 > length[y]:
                length[y] = length[x] + 1
                stack.append(y)
