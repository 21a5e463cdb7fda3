from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.edges import judged_consumers
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule


class TagConsumesBranch(Rule):
    """Declared consumers only. The two other ways an immutable enver could come to read a
    mutable one both go through a clone and have their own codes: a tag clone inheriting its
    origin's consumers of branch envers is E405, and reading any clone's product is E407."""

    code = "E305"
    title = "immutable enver consumes a mutable one"
    summary = "A tag enver reads a product of a branch enver."

    def check(self, ctx: CheckContext) -> None:
        for c in judged_consumers(ctx):
            producer, product = c.producer, c.product
            assert producer is not None and product is not None
            if c.enver.mutable or not producer.mutable:
                continue
            tags = sorted(e.name for e in producer.build.envers.values()
                          if not e.mutable and not e.is_clone)
            fix = (f"consume a tag enver of `{producer.build.id}` ("
                   + ", ".join(f"`{producer.build.id}.{t}`" for t in tags) + ")" if tags
                   else f"declare a tag enver of `{producer.build.id}` and consume it")
            ctx.report(
                self.code,
                f"tag enver `{c.enver.id}` consumes `{producer.id}.{product.dotted}` of branch "
                f"enver `{producer.id}`",
                c.node.ref.span, "reads a mutable enver",
                secondary=[Label(producer.node.revision.span,
                                 f"`{producer.id}` follows branch `{producer.revision_value}`")],
                notes=[f"`{c.enver.id}` is pinned to tag `{c.enver.revision_value}` and must "
                       "deploy the same way every time; a branch enver's products change under "
                       "it"],
                help=f"{fix}, or make `{c.enver.id}` a branch enver",
            )
