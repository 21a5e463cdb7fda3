"""Plain-text forms of a plan and of an impact report, for people (JSON is for tools)."""

from __future__ import annotations

from odmdc.compiler.ir import Reaction
from odmdc.compiler.planner.models import Impact, Impacted, PlanStep
from odmdc.compiler.planner.plan import PlanOutcome


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _account(alias: str | None, account: str) -> str:
    return f"{alias} ({account})" if alias else account


def plan_text(outcome: PlanOutcome) -> str:
    phases = outcome.plan.phases
    steps = [s for p in phases for s in p.steps]
    envers = {s.enver for s in steps}
    n = len(outcome.deferred)
    starts = f"{_plural(n, 'consumer')} {'starts' if n == 1 else 'start'} on a placeholder" \
        if n else "no placeholders needed"
    head = f"plan: {_plural(len(phases), 'phase')}, {_plural(len(envers), 'enver')}; {starts}"

    if not steps:
        return "plan: nothing to deploy\n"
    w_enver = max(len(s.enver) for s in steps)
    w_account = max(len(_account(s.account_alias, s.account)) for s in steps)
    lines = [head]
    for phase in phases:
        lines += ["", f"phase {phase.index}"]
        for s in phase.steps:
            account = _account(s.account_alias, s.account)
            lines.append(f"  {s.action:<6}  {s.enver:<{w_enver}}  {account:<{w_account}}  "
                         f"{s.region}".rstrip())
            lines += _step_notes(outcome, s)
    return "\n".join(lines) + "\n"


def _step_notes(outcome: PlanOutcome, step: PlanStep) -> list[str]:
    edges = [e for e in outcome.deferred if e.consumer == step.enver]
    if step.action == "deploy":
        return [f"          placeholder {e.consumer_name} = {e.placeholder} "
                f"(until {e.producer}.{e.product} exists)" for e in edges]
    return [f"          {e.consumer_name} <- {e.producer}.{e.product}" for e in edges]


def reaction_text(r: Reaction) -> str:
    if r.roles:
        return f"{r.kind}({', '.join(r.roles)})"
    return r.kind


def impact_text(result: Impact) -> str:
    entries = [e for w in result.waves for e in w.envers]
    head = f"impact of a change to {result.product} ({result.path})"
    if not entries:
        return f"{head}: no enver consumes it\n"
    lines = [f"{head}: {_plural(len(entries), 'enver')} in {_plural(len(result.waves), 'wave')}"]
    width = max(len(e.enver) for e in entries)
    for wave in result.waves:
        lines += ["", f"wave {wave.index}"]
        for e in wave.envers:
            lines.append(f"  {e.enver:<{width}}  {_what(e)}")
            for t in e.via:
                when = "" if t.wave == wave.index else f", wave {t.wave}"
                lines.append(f"      {t.consumer} <- {t.producer}.{t.product}  "
                             f"[{reaction_text(t.reaction)}{when}]")
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.reaction.kind] = counts.get(e.reaction.kind, 0) + 1
    gated = sum(1 for e in entries if e.gated)
    tally = ", ".join(f"{counts[k]} {k}" for k in ("redeploy", "approve", "notify", "ignore")
                      if k in counts)
    lines += ["", f"{tally}" + (f"; {gated} behind an upstream approval" if gated else "")]
    return "\n".join(lines) + "\n"


def _what(e: Impacted) -> str:
    what = {
        "redeploy": "redeploys",
        "approve": f"redeploys once approved by {' or '.join(e.reaction.roles)}",
        "notify": "notifies only" + (f" ({', '.join(e.reaction.roles)})" if e.reaction.roles
                                     else ""),
        "ignore": "ignores the change",
    }[e.reaction.kind]
    return what + (" (after an upstream approval)" if e.gated else "")
