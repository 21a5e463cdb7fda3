from odmdc.compiler import types
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule


class TypeMismatch(Rule):
    code = "E202"
    title = "consumer type does not fit the product"
    summary = (
        "A consumer's declared type (written on it, or its slot's) is not a supertype of the "
        "type of the product it reads."
    )

    def check(self, ctx: CheckContext) -> None:
        for c in ctx.resolved_consumers():
            assert c.product is not None
            node = c.node
            if node.type is not None and c.slot is not None and node.type.text != c.slot.type:
                ctx.report(
                    self.code,
                    f"consumer `{c.name}` is declared `{node.type.text}` but slot "
                    f"`{c.slot.name}` of `{c.slot.owner}` is `{c.slot.type}`",
                    node.type.span, "differs from the slot",
                    secondary=[Label(c.slot.node.span, "slot declared here")],
                    help=f"write `{c.name}: {c.slot.type}` or drop the type",
                )
                continue
            declared, actual = c.declared_type, c.product.type
            if declared is None or not (types.is_product_type(declared)
                                        and types.is_product_type(actual)):
                continue
            if not types.is_subtype(actual, declared):
                span = node.type.span if node.type is not None else node.name.span
                fits = ", ".join(f"`{t}`" for t in types.ancestors(actual))
                ctx.report(
                    self.code,
                    f"consumer `{c.name}` reads `{c.product.dotted}` of type `{actual}` as "
                    f"`{declared}`",
                    span, f"`{declared}` is not a supertype of `{actual}`",
                    secondary=[Label(c.product.name.span, f"`{actual}` product declared here")],
                    help=f"declare the consumer as one of {fits}",
                )
