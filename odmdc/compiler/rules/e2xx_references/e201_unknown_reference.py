from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.rules.base import Rule
from odmdc.compiler.suggest import did_you_mean

_WHAT = {
    "build": "build",
    "enver": "enver",
    "origin": "enver",
    "product": "product",
    "type": "type",
    "account": "account",
}


class UnknownReference(Rule):
    code = "E201"
    title = "unknown reference"
    summary = (
        "A name refers to a build, enver, product, type or account that is not declared "
        "(or an enver type inherits from itself)."
    )

    def check(self, ctx: CheckContext) -> None:
        for u in ctx.model.unresolved:
            what = _WHAT[u.kind]
            help_text = did_you_mean(u.name.text, u.candidates)
            if help_text is None and u.candidates and len(u.candidates) <= 8:
                help_text = "known: " + ", ".join(f"`{c}`" for c in u.candidates)
            ctx.report(
                self.code,
                f"unknown {what} `{u.name.text}` {u.scope}",
                u.name.span,
                f"no such {what}",
                help=help_text,
                notes=[u.note] if u.note else [],
            )
        for node, chain in ctx.model.type_cycles:
            ctx.report(
                self.code,
                f"enver type `{node.name.text}` inherits from itself",
                node.base.span,
                "through " + " → ".join(f"`{t}`" for t in chain),
                help="an enver type's chain of bases must end at a kind "
                "(cdk, cmd, container_image, npm_package)",
            )
