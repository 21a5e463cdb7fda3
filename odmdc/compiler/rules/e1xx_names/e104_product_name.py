from collections.abc import Iterable

from odmdc.compiler import ast
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.validity import PRODUCT_NAME
from odmdc.compiler.rules.base import Rule

RESERVED: tuple[str, ...] = ("ServiceToken",)
RESERVED_PREFIX = "ODMD_rev_ref"


class BadProductName(Rule):
    code = "E104"
    title = "invalid or reserved product name"
    summary = (
        "A product name (children and `image` names included) is not made of letters, digits, "
        "`_` and `-`, or is `ServiceToken` or starts with `ODMD_rev_ref`."
    )

    def check(self, ctx: CheckContext) -> None:
        for item in ctx.user_items():
            if isinstance(item, ast.EnverType):
                self._products(ctx, item.products)
            elif isinstance(item, ast.Build):
                for enver in item.envers:
                    self._products(ctx, enver.products)
                    for image in enver.images:
                        self._name(ctx, image.name, "image")

    def _products(self, ctx: CheckContext, products: Iterable[ast.Product]) -> None:
        for p in products:
            self._name(ctx, p.name, "product")
            self._products(ctx, p.children)

    def _name(self, ctx: CheckContext, name: ast.Name, what: str) -> None:
        text = name.text
        # The grammar's NAME is a subset of PRODUCT_NAME, so only reserved names are reachable
        # today; the character check states the platform's whole constraint.
        if not PRODUCT_NAME.fullmatch(text):
            ctx.report(self.code, f"{what} name `{text}` holds characters the platform does "
                       "not allow", name.span, "not a valid product name",
                       help="use only letters, digits, `_` and `-`")
        elif text in RESERVED:
            ctx.report(self.code, f"{what} name `{text}` is reserved", name.span,
                       "CloudFormation custom resources use this property name",
                       help="rename the product")
        elif text.startswith(RESERVED_PREFIX):
            ctx.report(self.code, f"{what} name `{text}` starts with `{RESERVED_PREFIX}`",
                       name.span,
                       "the platform's revision reference `ODMD_rev_ref` uses this prefix",
                       help="rename the product")
