"""The deployment plan of a checked IR: phases of envers that deploy (or update) in parallel.

The algorithm lives in `deferral` (which placeholder edges to defer) and `schedule` (which
phase each step goes in); this module reads the IR and shapes the result. With a target enver,
only that enver and everything upstream of it (its transitive producers, through any edge) are
planned, as a plan of their own: the phases are as short as that subgraph allows, and the
choice of deferred edges is made on it alone.
"""

from __future__ import annotations

from collections.abc import Callable
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

    def where(ident: str) -> tuple[str, str | None, str]:
        e = ir.enver(ident)
        return e.account_id, account_alias(ir, e), e.region

    deferred_keys = {(d.producer, d.consumer, d.name) for d in sched.deferred}
    deferred = tuple(e for e in ir.edges()
                     if (e.producer, e.consumer, e.consumer_name) in deferred_keys)
    return PlanOutcome(plan_of(sched, where), sched, deferred)


def plan_of(sched: Schedule, where: Callable[[str], tuple[str, str | None, str]]) -> Plan:
    """A schedule as the plan's JSON model; `where` gives an enver's account id, alias and
    region."""
    phases: dict[int, list[PlanStep]] = {}

    def add(phase: int, ident: str, action: Action, placeholders: tuple[str, ...]) -> None:
        account, alias, region = where(ident)
        phases.setdefault(phase, []).append(PlanStep(
            enver=ident, action=action, account=account, region=region,
            uses_placeholders=placeholders, account_alias=alias))

    for ident, phase in sched.deploy.items():
        add(phase, ident, "deploy", tuple(sorted(d.name for d in sched.deferred_into(ident))))
    for ident, phase in sched.update.items():
        add(phase, ident, "update", ())
    return Plan(phases=tuple(
        PlanPhase(index=i, steps=tuple(sorted(phases[i], key=lambda s: (s.enver, s.action))))
        for i in sorted(phases)
    ))
