from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.rules.base import Rule


class BuildWithoutEnvers(Rule):
    code = "E308"
    title = "build without envers"
    summary = "A build declares no enver (clones do not count: each is a copy of an enver)."

    def check(self, ctx: CheckContext) -> None:
        for bid in sorted(ctx.model.builds):
            b = ctx.model.builds[bid]
            if any(not e.is_clone for e in b.envers.values()):
                continue
            ctx.report(
                self.code,
                f"build `{bid}` has no envers",
                b.node.name.span, "declares no enver",
                notes=["a build is deployed only through its envers: without one it has no "
                       "roles, no workflow and nothing to clone"],
                help=f'declare one, e.g. `enver main = branch "main" in ACCOUNT "REGION"` '
                f"inside `build {bid}`, or remove the build",
            )
