from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.literals import check_literal
from odmdc.compiler.rules.base import Rule


class LiteralSecret(Rule):
    code = "E501"
    title = "secret default is not a Secrets Manager ARN"
    summary = (
        "A consumer of a `secret` has a default that is not a Secrets Manager ARN: secrets are "
        "passed by reference, so anything else is probably the secret itself, in source."
    )

    def check(self, ctx: CheckContext) -> None:
        for c in ctx.model.consumers():
            if c.inherited or c.default is None:
                continue
            if "secret" not in (c.type, c.product.type if c.product else None):
                continue
            if check_literal("secret", c.default) is not None:
                ctx.report(
                    self.code,
                    f"default of secret consumer `{c.name}` is not a Secrets Manager ARN",
                    c.default.span, "this would put a secret value in source",
                    help="use the secret's ARN, `arn:aws:secretsmanager:<region>:<account>:"
                    "secret:<name>`, and rotate the value if it was a real secret",
                )
