from odmdc.compiler import ast
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.rules.base import Rule


class BranchStartsWithV(Rule):
    code = "E103"
    title = "branch name reserved for tags"
    summary = "A branch name (of an enver or a clone) starts with `v` or `V`, which tags use."

    def check(self, ctx: CheckContext) -> None:
        for item in ctx.user_items():
            if isinstance(item, ast.Build):
                for enver in item.envers:
                    self._revision(ctx, enver.revision)
            elif isinstance(item, ast.Clone):
                self._revision(ctx, item.revision)

    def _revision(self, ctx: CheckContext, rev: ast.Revision) -> None:
        value = rev.value.value
        if rev.kind != "branch" or value[:1] not in ("v", "V"):
            return
        ctx.report(
            self.code, f"branch `{value}` starts with `{value[0]}`", rev.value.span,
            "branch names starting with `v` are reserved for tags",
            help=f'if this is a release, write `tag "{value}"`; otherwise rename the branch',
        )
