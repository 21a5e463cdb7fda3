from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.edges import judged, judged_consumers
from odmdc.compiler.checker.model import ConsumerDef, EnverDef
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule


class PhaseOrder(Rule):
    """A declared consumer is judged where it is written. A clone is judged once, at its
    revision, when the phase it is on makes its inherited consumers read a later phase and
    its origin's own phase did not (that fault is the origin's, reported on its consumer)."""

    code = "W310"
    title = "enver consumes a later phase"
    summary = (
        "With org `phases`, an enver on an earlier phase (its branch or tag name) reads an "
        "enver on a later one."
    )

    def check(self, ctx: CheckContext) -> None:
        org = ctx.model.org
        if org is None or not org.phases:
            return
        rank: dict[str, int] = {}
        for i, phase in enumerate(org.phases):
            rank.setdefault(phase, i)
        order = " → ".join(f"`{p}`" for p in rank)
        for c in judged_consumers(ctx):
            assert c.producer is not None and c.product is not None
            mine, theirs = rank.get(c.enver.revision_value), rank.get(c.producer.revision_value)
            if mine is None or theirs is None or mine >= theirs:
                continue
            ctx.report(
                self.code,
                f"`{c.enver.id}` on phase `{c.enver.revision_value}` consumes "
                f"`{c.producer.id}.{c.product.dotted}` of the later phase "
                f"`{c.producer.revision_value}`",
                c.node.ref.span, f"reads phase `{c.producer.revision_value}`",
                secondary=[Label(c.producer.node.revision.span,
                                 f"`{c.producer.id}` is on phase `{c.producer.revision_value}`")],
                notes=[f"the org's phases, earliest first: {order}"],
                help=_help(c.producer, mine, rank),
            )
        for e in ctx.model.envers():
            if e.origin is not None:
                self._clone(ctx, e, e.origin, rank, order)

    def _clone(self, ctx: CheckContext, e: EnverDef, origin: EnverDef, rank: dict[str, int],
               order: str) -> None:
        mine = rank.get(e.revision_value)
        if mine is None:
            return
        was = rank.get(origin.revision_value)
        late: list[ConsumerDef] = []
        need = mine
        for c in e.consumers:
            if not judged(c):
                continue
            assert c.producer is not None
            theirs = rank.get(c.producer.revision_value)
            if theirs is None or mine >= theirs or (was is not None and was < theirs):
                continue
            late.append(c)
            need = max(need, theirs)
        if not late:
            return
        reads = ", ".join(f"`{c.producer.id}`" for c in late if c.producer is not None)
        ctx.report(
            self.code,
            f"clone `{e.id}` on phase `{e.revision_value}` consumes later phases through the "
            f"consumers of `{origin.id}`: {reads}",
            e.node.revision.span, f"phase `{e.revision_value}`",
            secondary=[Label(c.node.ref.span, f"inherited from `{origin.id}`") for c in late],
            notes=[f"the org's phases, earliest first: {order}",
                   "a clone reads the same producers as its origin"],
            help=f"clone `{origin.id}` on revision `{list(rank)[need]}` or a later phase, or on "
            "one outside the phases",
        )


def _help(producer: EnverDef, mine: int, rank: dict[str, int]) -> str:
    fits = sorted(e.id for e in producer.build.envers.values()
                  if not e.is_clone and rank.get(e.revision_value, len(rank)) <= mine)
    if fits:
        return "consume " + " or ".join(f"`{f}`" for f in fits) + " instead"
    return (f"declare an enver of `{producer.build.id}` on this phase or an earlier one and "
            "consume it")
