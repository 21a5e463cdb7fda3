"""One representative cycle per strongly connected component, in linear time (nodes are
enver ids).

Reporting every elementary cycle is exponential (a 20-enver mesh has millions) and says
nothing more useful than one cycle per tangle, so E306 reports each cycle-bearing strongly
connected component once. The cycle shown must not depend on declaration order: it is the
shortest cycle through the component's smallest node, found by a breadth-first search that
visits successors in sorted order, so ties break by name. Each component is searched once and
components are disjoint, so the whole pass is O(V + E log d) for graphs of out-degree d.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

import networkx as nx


def cyclic_components(g: nx.DiGraph) -> Iterator[set[str]]:
    """The strongly connected components that contain a cycle (several nodes, or one node
    with an edge to itself)."""
    for scc in nx.strongly_connected_components(g):
        if len(scc) > 1:
            yield scc
        else:
            (n,) = scc
            if g.has_edge(n, n):
                yield scc


def shortest_cycle_through_min(g: nx.DiGraph, component: set[str]) -> list[str]:
    """The shortest cycle through `min(component)`, as `[start, …, start]`; successors are
    tried in sorted order so the result is the same whatever order edges were added in."""
    start = min(component)
    parent: dict[str, str | None] = {start: None}
    queue: deque[str] = deque([start])
    while queue:
        u = queue.popleft()
        for v in sorted(w for w in g.successors(u) if w in component):
            if v == start:
                path = [u]
                while (p := parent[path[-1]]) is not None:
                    path.append(p)
                return [*reversed(path), start]
            if v not in parent:
                parent[v] = u
                queue.append(v)
    raise ValueError("component has no cycle through its smallest node")


def representative_cycles(g: nx.DiGraph) -> list[list[str]]:
    """One cycle per cycle-bearing component, sorted by their first node."""
    cycles: list[list[str]] = [shortest_cycle_through_min(g, c) for c in cyclic_components(g)]
    return sorted(cycles, key=lambda cycle: cycle[0])
