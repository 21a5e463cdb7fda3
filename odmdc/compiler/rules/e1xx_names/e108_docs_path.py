import os
from collections.abc import Iterable
from pathlib import Path

from odmdc.compiler import ast
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.rules.base import Rule
from odmdc.compiler.sources import STDLIB_PREFIX


class MissingDocs(Rule):
    code = "E108"
    title = "documentation path not found"
    summary = (
        "A `docs = \"…\"` attribute (of the org, an enver type, a build or an enver) names a "
        "path that does not exist relative to the file declaring it."
    )

    def check(self, ctx: CheckContext) -> None:
        for f in ctx.model.files:
            if f.path.startswith(STDLIB_PREFIX):
                continue
            base = Path(f.path).parent
            for item in f.items:
                if isinstance(item, ast.Org | ast.EnverType):
                    self._docs(ctx, base, item.attributes)
                elif isinstance(item, ast.Build):
                    self._docs(ctx, base, item.attributes)
                    for enver in item.envers:
                        self._docs(ctx, base, enver.attributes)

    def _docs(self, ctx: CheckContext, base: Path, attributes: Iterable[ast.Attribute]) -> None:
        for a in attributes:
            if a.name.text != "docs" or not isinstance(a.value, ast.Str):
                continue  # E003 reports a `docs` that is not a string
            value = a.value.value
            if value.strip() and (base / value).exists():
                continue
            shown = Path(os.path.normpath(base / value)).as_posix() if value.strip() else ""
            ctx.report(
                self.code,
                f"documentation path `{value}` does not exist" if value.strip() else
                "`docs` names no path",
                a.value.span,
                f"looked for `{shown}`" if shown else "empty",
                help="give the path of the documentation relative to this file's directory, "
                "or remove `docs`",
            )
