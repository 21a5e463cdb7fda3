from collections.abc import Iterable

from odmdc.compiler import ast
from odmdc.compiler.checker import attributes as attrs
from odmdc.compiler.checker.backend_options import option_problems
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.rules.base import Rule
from odmdc.compiler.suggest import did_you_mean


class BadAttribute(Rule):
    code = "E003"
    title = "unknown or mistyped attribute"
    summary = (
        "An attribute is not one its declaration accepts, or its value has the wrong type "
        "(an `image` item outside a container_image build counts as unknown; so does a "
        "backend option its backend does not define)."
    )

    def check(self, ctx: CheckContext) -> None:
        if ctx.model.org is not None:
            for p in option_problems(ctx.model.org, ctx.plugins):
                if p.kind != "missing":
                    ctx.report(self.code, p.message, p.span, "not a valid option here"
                               if p.kind == "invalid" else "unknown backend", help=p.help)
        for item in ctx.user_items():
            if isinstance(item, ast.Org):
                self._attributes(ctx, item.attributes, attrs.ORG, "an org")
                self._backends(ctx, item)
            elif isinstance(item, ast.EnverType):
                self._attributes(ctx, item.attributes, attrs.ENVER_TYPE, "an enver type")
            elif isinstance(item, ast.Build):
                self._attributes(ctx, item.attributes, attrs.BUILD, "a build")
                b = ctx.model.builds.get(item.name.text)
                kind = b.kind if b is not None and b.node is item else None
                for enver in item.envers:
                    self._attributes(ctx, enver.attributes, attrs.ENVER, "an enver")
                    if kind is not None and kind != "container_image":
                        for image in enver.images:
                            ctx.report(
                                self.code,
                                f"`image` in a `{kind}` build",
                                image.span,
                                "only container_image envers build images",
                                help="move the image to a build of kind `container_image`",
                            )

    def _backends(self, ctx: CheckContext, org: ast.Org) -> None:
        """`backends = [...]` names installed backends; `ci = NAME` an installed CI engine."""
        installed = sorted(ctx.plugins.backend_names())
        engines = sorted(ctx.plugins.ci_engine_names())
        for a in org.attributes:
            if a.name.text == "ci" and isinstance(a.value, ast.Ident) and \
                    a.value.text not in engines:
                ctx.report(
                    self.code,
                    f"no CI engine named `{a.value.text}` is installed",
                    a.value.span,
                    "unknown CI engine",
                    help=did_you_mean(a.value.text, engines)
                    or "installed: " + ", ".join(f"`{n}`" for n in engines),
                )
            if a.name.text != "backends" or not isinstance(a.value, ast.ListValue):
                continue
            for item in a.value.items:
                if isinstance(item, ast.Ident) and item.text not in installed:
                    ctx.report(
                        self.code,
                        f"no backend named `{item.text}` is installed",
                        item.span,
                        "unknown backend",
                        help=did_you_mean(item.text, installed)
                        or "installed: " + ", ".join(f"`{n}`" for n in installed)
                        + " (`odmdc backends` lists them)",
                    )

    def _attributes(
        self,
        ctx: CheckContext,
        found: Iterable[ast.Attribute],
        table: dict[str, attrs.AttrSpec],
        where: str,
    ) -> None:
        for a in found:
            spec = table.get(a.name.text)
            if spec is None:
                hint = did_you_mean(a.name.text, table)
                ctx.report(
                    self.code,
                    f"unknown attribute `{a.name.text}` for {where}",
                    a.name.span,
                    "not an attribute here",
                    help=hint or "known: " + ", ".join(f"`{k}`" for k in sorted(table)),
                )
            elif attrs.value_of(spec, a.value) is None:
                ctx.report(
                    self.code,
                    f"attribute `{a.name.text}` takes {spec.describe()}",
                    a.value.span,
                    "wrong value",
                    help=f"`{a.name.text}`: {spec.doc}"
                    + (f" (at least {spec.minimum})" if spec.minimum is not None else ""),
                )
