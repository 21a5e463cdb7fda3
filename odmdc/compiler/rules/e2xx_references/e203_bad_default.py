from odmdc.compiler import types
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.literals import check_literal
from odmdc.compiler.rules.base import Rule


class BadDefault(Rule):
    code = "E203"
    title = "invalid default literal"
    summary = (
        "A consumer's `default` is not a valid value of its type (a CIDR that does not parse, "
        "an ARN that does not match the ARN grammar, a URL without scheme or host …)."
    )

    def check(self, ctx: CheckContext) -> None:
        for c in ctx.model.consumers():
            if c.inherited or c.default is None:
                continue
            t = c.type
            if t is None or not types.is_product_type(t):
                continue
            if "secret" in (t, c.product.type if c.product else None):
                continue  # E501 judges secret defaults
            why = check_literal(t, c.default)
            if why is not None:
                ctx.report(
                    self.code,
                    f"default of consumer `{c.name}` is not a valid `{t}`",
                    c.default.span, why,
                    help=f"give a placeholder of type `{t}`, or remove the default",
                )
