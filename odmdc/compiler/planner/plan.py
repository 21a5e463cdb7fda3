"""The deployment plan of a checked IR: phases of envers that deploy (or update) in parallel.

The algorithm lives in `deferral` (which placeholder edges to defer) and `schedule` (which
phase each step goes in); this module reads the IR and shapes the result. With a target enver,
only that enver and everything upstream of it (its transitive producers, through any edge) are
planned, as a plan of their own: the phases are as short as that subgraph allows, and the
choice of deferred edges is made on it alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import networkx as nx

from odmdc.compiler.ir import IR, Edge, Enver
from odmdc.compiler.planner.deferral import Dep
from odmdc.compiler.planner.models import Plan, PlanPhase, PlanStep
from odmdc.compiler.planner.schedule import Schedule, schedule

Action = Literal["deploy", "update"]


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    plan: Plan  # what `--format json` prints
    schedule: Schedule
    deferred: tuple[Edge, ...]  # the IR edges deployed on their placeholder, sorted


def deps_of(ir: IR, envers: set[str] | None = None) -> list[Dep]:
    out = []
    for _, _, data in ir.graph.edges(data=True):
        e: Edge = data["edge"]
        if envers is None or (e.producer in envers and e.consumer in envers):
            out.append(Dep(e.producer, e.consumer, e.consumer_name, e.deferrable))
    return sorted(out)


def upstream(ir: IR, enver: str) -> set[str]:
    """`enver` and every enver it depends on, directly or not."""
    return {enver, *nx.ancestors(ir.graph, enver)}


def account_alias(ir: IR, enver: Enver) -> str | None:
    alias = enver.account_alias
    return alias if ir.org.accounts.get(alias) == enver.account_id else None


def plan(ir: IR, target: str | None = None) -> PlanOutcome:
    """Raises `UnbreakableCycle` when a cycle has no placeholder (E306, which the checker
    reports first)."""
    envers = upstream(ir, target) if target is not None else set(ir.graph.nodes)
    sched = schedule(envers, deps_of(ir, envers))
    phases: dict[int, list[PlanStep]] = {}
    for ident, phase in sched.deploy.items():
        placeholders = tuple(sorted(d.name for d in sched.deferred_into(ident)))
        phases.setdefault(phase, []).append(_step(ir, ident, "deploy", placeholders))
    for ident, phase in sched.update.items():
        phases.setdefault(phase, []).append(_step(ir, ident, "update", ()))
    result = Plan(phases=tuple(
        PlanPhase(index=i, steps=tuple(sorted(phases[i], key=lambda s: (s.enver, s.action))))
        for i in sorted(phases)
    ))
    deferred_keys = {(d.producer, d.consumer, d.name) for d in sched.deferred}
    deferred = tuple(e for e in ir.edges()
                     if (e.producer, e.consumer, e.consumer_name) in deferred_keys)
    return PlanOutcome(result, sched, deferred)


def _step(ir: IR, ident: str, action: Action, placeholders: tuple[str, ...]) -> PlanStep:
    e = ir.enver(ident)
    return PlanStep(enver=ident, action=action, account=e.account_id,
                    region=e.region, uses_placeholders=placeholders,
                    account_alias=account_alias(ir, e))
