"""When each enver deploys and, if it started on placeholders, when it is updated.

Deploys: the topological generations of the non-deferred graph. An enver deploys in the phase
after the last of its (non-deferred) producers, so the number of deploy phases is the longest
path of that graph in nodes — as few as its dependencies allow.

Updates: a consumer C of deferred edges is redeployed once, with every placeholder replaced,
in the earliest phase after
  - its own deploy,
  - the deploy of each producer P it deferred, and
  - the update of each such P that is itself updated: until then P's products may still be
    derived from P's own placeholders, so C would read a value that is about to change.
Updates are not held back for other phases' deploys: an update can share a phase with deploys
of unrelated envers. This ordering has no cycles because the deferred set is minimal
(`deferral`): if deferred edges formed a cycle v1 → v2 → … → v1, minimality would give a
non-deferred path back from each v(i+1) to v(i), and those paths would make a non-deferred
cycle. Phases come out contiguous: an update in phase k > 1 follows a step in phase k − 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from odmdc.compiler.planner.deferral import Dep, choose_deferred


@dataclass(frozen=True, slots=True)
class Schedule:
    deploy: dict[str, int]  # enver id → phase (from 1) of its deploy
    update: dict[str, int]  # enver id → phase of its update, for consumers of deferred edges
    deferred: tuple[Dep, ...]  # every consumer deployed with its placeholder, sorted

    @property
    def phase_count(self) -> int:
        return max([*self.deploy.values(), *self.update.values()], default=0)

    def deferred_into(self, enver: str) -> list[Dep]:
        return [d for d in self.deferred if d.consumer == enver]


def schedule(nodes: Iterable[str], deps: Iterable[Dep]) -> Schedule:
    """Raises `UnbreakableCycle` when a cycle has no placeholder to defer."""
    node_list = sorted(set(nodes))
    dep_list = sorted(deps)
    deferred_pairs = choose_deferred(node_list, dep_list)
    kept = nx.DiGraph()
    kept.add_nodes_from(node_list)
    kept.add_edges_from((d.producer, d.consumer) for d in dep_list
                        if (d.producer, d.consumer) not in deferred_pairs)
    deploy: dict[str, int] = {}
    for n in nx.lexicographical_topological_sort(kept):
        deploy[n] = 1 + max((deploy[p] for p in kept.predecessors(n)), default=0)
    producers: dict[str, list[str]] = {}
    for p, c in sorted(deferred_pairs):
        producers.setdefault(c, []).append(p)
    later = nx.DiGraph()
    later.add_nodes_from(producers)
    # An enver deferring its own product (before E301 rejects that) just follows its deploy.
    later.add_edges_from((p, c) for p, c in deferred_pairs if p != c)
    update: dict[str, int] = {}
    for n in nx.lexicographical_topological_sort(later):
        if n in producers:
            ready = [update.get(p, deploy[p]) for p in producers[n] if p != n]
            update[n] = 1 + max([deploy[n], *ready])
    deferred = tuple(d for d in dep_list if (d.producer, d.consumer) in deferred_pairs)
    return Schedule(deploy, update, deferred)
