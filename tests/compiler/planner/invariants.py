"""What every plan must satisfy, checked from the plan's JSON model alone (so the tests do not
trust the planner's internal bookkeeping), and an independent impact computation."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

import networkx as nx

from odmdc.compiler.planner.deferral import Dep
from odmdc.compiler.planner.impact import Link
from odmdc.compiler.planner.models import Plan


def steps_of(plan: Plan) -> tuple[dict[str, int], dict[str, int], dict[str, set[str]]]:
    """Deploy phase, update phase and placeholders used, per enver (each at most once)."""
    deploy: dict[str, int] = {}
    update: dict[str, int] = {}
    placeholders: dict[str, set[str]] = {}
    for phase in plan.phases:
        for step in phase.steps:
            seen = deploy if step.action == "deploy" else update
            assert step.enver not in seen, f"{step.enver} has two {step.action} steps"
            seen[step.enver] = phase.index
            if step.action == "update":
                assert step.uses_placeholders == ()
            placeholders[step.enver] = placeholders.get(step.enver, set()) | set(
                step.uses_placeholders)
    return deploy, update, placeholders


def deferred_of(plan: Plan, deps: Iterable[Dep]) -> set[Dep]:
    _, _, placeholders = steps_of(plan)
    return {d for d in deps if d.name in placeholders.get(d.consumer, set())}


def kept_graph(nodes: Iterable[str], deps: Iterable[Dep], deferred: set[Dep]) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    g.add_edges_from((d.producer, d.consumer) for d in deps if d not in deferred)
    return g


def check_plan(plan: Plan, nodes: Iterable[str], deps: Iterable[Dep]) -> None:
    nodes, deps = sorted(set(nodes)), sorted(deps)
    assert [p.index for p in plan.phases] == list(range(1, len(plan.phases) + 1))
    for phase in plan.phases:
        assert phase.steps, f"phase {phase.index} is empty"
        keys = [(s.enver, s.action) for s in phase.steps]
        assert keys == sorted(keys), f"phase {phase.index} is not sorted"
    deploy, update, _ = steps_of(plan)
    # Every enver deploys exactly once, in the initial phases 1..L, each of which deploys.
    assert sorted(deploy) == nodes
    initial = max(deploy.values(), default=0)
    assert set(deploy.values()) == set(range(1, initial + 1))
    deferred = deferred_of(plan, deps)
    # Only placeholder edges are deferred, and a pair is deferred whole.
    assert all(d.deferrable for d in deferred)
    pairs = {(d.producer, d.consumer) for d in deferred}
    assert deferred == {d for d in deps if (d.producer, d.consumer) in pairs}
    # Non-deferred edges: producer deploys in an earlier phase than its consumer.
    for d in deps:
        if d not in deferred:
            assert deploy[d.producer] < deploy[d.consumer], d
    # Deferred edges: the consumer is updated after its own deploy, its producer's deploy and
    # its producer's update; in the earliest such phase; and nothing else is updated.
    assert set(update) == {d.consumer for d in deferred}
    for c, when in update.items():
        producers = {d.producer for d in deferred if d.consumer == c}
        ready = [update.get(p, deploy[p]) for p in producers]
        assert when == 1 + max(deploy[c], *ready), c
    kept = kept_graph(nodes, deps, deferred)
    assert nx.is_directed_acyclic_graph(kept)
    # As many initial phases as the longest path (in nodes) of the non-deferred graph.
    assert initial == (nx.dag_longest_path_length(kept) + 1 if nodes else 0)
    # Minimal: restoring any deferred pair would close a cycle.
    for p, c in pairs:
        assert nx.has_path(kept, c, p), f"{p} -> {c} was deferred without need"


# docs/semantics.md#impact: `redeploy` re-runs the consumer, `approve(…)` does after an approval;
# either republishes its products. `ignore` and `notify` do not.
REPUBLISHING = frozenset({"redeploy", "approve"})


def expected_impact(links: Iterable[Link], enver: str, product: str) -> dict[str, int]:
    """Enver → wave by plain breadth-first search: distances along redeploying edges, then one
    more hop to the envers that only notice (ignore / notify)."""
    out: dict[str, list[Link]] = {}
    for link in links:
        out.setdefault(link.producer, []).append(link)
    start = [link for link in out.get(enver, []) if link.product == product]
    dist: dict[str, int] = {}
    queue: deque[tuple[Link, int]] = deque((link, 1) for link in start)
    while queue:
        link, d = queue.popleft()
        if link.reaction.kind in REPUBLISHING and link.consumer not in dist:
            dist[link.consumer] = d
            queue.extend((nxt, d + 1) for nxt in out.get(link.consumer, []))
    touched: dict[str, int] = {}
    for link in start:
        touched[link.consumer] = 1
    for p, d in dist.items():
        for link in out.get(p, []):
            touched[link.consumer] = min(touched.get(link.consumer, d + 1), d + 1)
    return {x: dist.get(x, w) for x, w in touched.items()}
