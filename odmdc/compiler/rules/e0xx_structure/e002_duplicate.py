from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule


class DuplicateName(Rule):
    code = "E002"
    title = "duplicate name"
    summary = (
        "A name is declared twice in one scope: builds and enver types in the org, envers in a "
        "build, products and consumers in an enver, attributes and accounts in a declaration."
    )

    def check(self, ctx: CheckContext) -> None:
        for d in ctx.model.duplicates:
            ctx.report(
                self.code,
                f"{d.kind} `{d.name.text}` is declared twice {d.scope}",
                d.name.span,
                "declared again here",
                secondary=[Label(d.first, "first declared here")] if d.first != d.name.span
                else [],
                help=f"rename one of them or remove the second {d.kind}",
            )
