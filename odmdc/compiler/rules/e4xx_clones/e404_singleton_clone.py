from odmdc.compiler import ast
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule


class SingletonClone(Rule):
    code = "E404"
    title = "clone of a singleton build"
    summary = (
        "A clone is made from an enver of a build whose enver type is `singleton` (a service "
        "the whole org shares, such as `contracts_lib`)."
    )

    def check(self, ctx: CheckContext) -> None:
        for e in ctx.model.envers():
            if e.origin is None or not e.build.singleton or not isinstance(e.node, ast.Clone):
                continue
            assert e.build.type is not None
            singleton = next(t for t in e.build.type.chain() if t.singleton)
            secondary = []
            if singleton.node is not None:
                secondary.append(Label(singleton.node.name.span,
                                       f"`{singleton.name}` is a singleton enver type"))
            ctx.report(
                self.code,
                f"`{e.build.id}` is a singleton build: its envers cannot be cloned",
                e.node.build.span,
                f"`{e.build.id}` is of singleton type `{singleton.name}`",
                secondary=secondary,
                help="remove the clone: the org shares the one deployment of a singleton build",
            )
