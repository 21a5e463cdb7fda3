from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.edges import judged_consumers
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.regions import is_known_region
from odmdc.compiler.rules.base import Rule


class CrossRegion(Rule):
    code = "E304"
    title = "consumer and producer in different regions"
    summary = "An enver reads a product of an enver deployed in another AWS region."

    def check(self, ctx: CheckContext) -> None:
        for c in judged_consumers(ctx):
            producer, product = c.producer, c.product
            assert producer is not None and product is not None
            here, there = c.enver.region, producer.region
            # an unknown region is E107's; comparing it would report the same typo twice
            if here == there or not (is_known_region(here) and is_known_region(there)):
                continue
            ctx.report(
                self.code,
                f"enver `{c.enver.id}` in `{here}` consumes `{producer.id}.{product.dotted}` "
                f"from `{there}`",
                c.node.ref.span, f"produced in `{there}`",
                secondary=[Label(producer.region_span, f"`{producer.id}` is in `{there}`")],
                notes=["products are parameters in the producer's region; an enver reads only "
                       "its own region's config store"],
                help=f"consume an enver of `{producer.build.id}` in `{here}` (declare one if "
                f"needed), or move `{c.enver.id}` to `{there}`",
            )
