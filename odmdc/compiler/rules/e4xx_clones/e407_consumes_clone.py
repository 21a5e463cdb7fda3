from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule


class ConsumesClone(Rule):
    code = "E407"
    title = "consumer reads a clone"
    summary = (
        "A consumer reads a product of a clone; clones are isolated and nothing consumes them."
    )

    def check(self, ctx: CheckContext) -> None:
        for c in ctx.resolved_consumers():
            p = c.producer
            if p is None or p.origin is None or c.product is None:
                continue
            ref = c.node.ref
            instead = ".".join((p.build.id, p.origin.name, *c.product.path))
            ctx.report(
                self.code,
                f"consumer `{c.name}` of `{c.enver.id}` reads a product of clone `{p.id}`",
                ref.parts[1].span,
                f"a clone of `{p.origin.id}`",
                secondary=[Label(p.name_span, f"clone `{p.name}` declared here")],
                help=f"read `{instead}` from the clone's origin instead: clones are isolated, "
                "nothing consumes them",
            )
