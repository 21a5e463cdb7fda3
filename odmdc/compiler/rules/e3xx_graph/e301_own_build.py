from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.edges import own_build_consumers
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule


class ConsumesOwnBuild(Rule):
    code = "E301"
    title = "enver consumes from its own build"
    summary = "An enver reads a product of an enver of its own build."

    def check(self, ctx: CheckContext) -> None:
        for c in own_build_consumers(ctx):
            producer, product = c.producer, c.product
            assert producer is not None and product is not None
            if producer.build is not c.enver.build:
                continue
            b = producer.build.id
            itself = producer is c.enver
            ctx.report(
                self.code,
                f"enver `{c.enver.id}` consumes `{producer.id}.{product.dotted}` from its own "
                f"build `{b}`",
                c.node.ref.span,
                "its own product" if itself else f"another enver of build `{b}`",
                secondary=[] if itself else [Label(producer.name_span,
                                                   f"`{producer.id}` declared here")],
                help="pass the value inside the build (a stack output or a constant in its "
                "code), or move the producing part into a build of its own",
            )
