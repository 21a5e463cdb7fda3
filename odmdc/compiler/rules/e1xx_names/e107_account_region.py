from odmdc.compiler import ast
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.validity import ACCOUNT_ID
from odmdc.compiler.regions import is_known_region, known_regions
from odmdc.compiler.rules.base import Rule
from odmdc.compiler.suggest import did_you_mean


class BadAccountOrRegion(Rule):
    code = "E107"
    title = "invalid account id or region"
    summary = (
        "An account id (in the org's `accounts`, or given as a string on an enver) is not "
        "12 digits, or an enver's region is not a known AWS region."
    )

    def check(self, ctx: CheckContext) -> None:
        for item in ctx.user_items():
            if isinstance(item, ast.Org):
                for entry in item.accounts:
                    self._account_id(ctx, entry.value, f" of account `{entry.name.text}`")
            elif isinstance(item, ast.Build):
                for enver in item.envers:
                    if isinstance(enver.account, ast.Str):
                        self._account_id(ctx, enver.account, "")
                    self._region(ctx, enver.region)

    def _account_id(self, ctx: CheckContext, value: ast.Str, of: str) -> None:
        if ACCOUNT_ID.fullmatch(value.value):
            return
        ctx.report(
            self.code, f"account id `{value.value}`{of} is not a 12-digit AWS account id",
            value.span,
            f"{len(value.value)} digits" if value.value.isascii() and value.value.isdigit()
            else "not only digits",
            help="write the account id as 12 digits, leading zeros included"
            + ("" if of else ", or name an alias from the org's `accounts`"),
        )

    def _region(self, ctx: CheckContext, region: ast.Str) -> None:
        if is_known_region(region.value):
            return
        ctx.report(
            self.code, f"unknown AWS region `{region.value}`", region.span, "not a region",
            help=did_you_mean(region.value, known_regions())
            or "write a region code such as `us-east-1` or `eu-west-2`",
        )
