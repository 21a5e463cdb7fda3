from odmdc.compiler import ast
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.validity import BUILD_ID
from odmdc.compiler.rules.base import Rule


class BadBuildId(Rule):
    code = "E101"
    title = "invalid build id"
    summary = (
        "A build id is not made of letters, digits, `_` and `-`, or is `config` (in any case), "
        "which the platform reserves."
    )

    def check(self, ctx: CheckContext) -> None:
        for item in ctx.user_items():
            if not isinstance(item, ast.Build):
                continue
            name = item.name
            # The grammar's NAME is already a subset of BUILD_ID: only `config` can fail today,
            # but the rule states the platform's whole constraint.
            if not BUILD_ID.fullmatch(name.text):
                ctx.report(self.code, f"build id `{name.text}` holds characters the platform "
                           "does not allow", name.span, "not a valid build id",
                           help="use only letters, digits, `_` and `-`")
            elif name.text.lower() == "config":
                ctx.report(self.code, f"build id `{name.text}` is reserved", name.span,
                           "reserved by the platform",
                           help="rename the build, e.g. `app-config`")
