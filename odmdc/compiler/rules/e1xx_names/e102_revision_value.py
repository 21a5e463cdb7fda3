from odmdc.compiler import ast
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.validity import revision_problem
from odmdc.compiler.rules.base import Rule


class BadRevisionValue(Rule):
    code = "E102"
    title = "invalid revision value"
    summary = (
        "A branch or tag name (of an enver or a clone) is not made of letters, digits and "
        "`_.-`, or contains one of `..`, `_-`, `-_`."
    )

    def check(self, ctx: CheckContext) -> None:
        for item in ctx.user_items():
            if isinstance(item, ast.Build):
                for enver in item.envers:
                    self._revision(ctx, enver.revision)
            elif isinstance(item, ast.Clone):
                self._revision(ctx, item.revision)

    def _revision(self, ctx: CheckContext, rev: ast.Revision) -> None:
        why = revision_problem(rev.value.value)
        if why is None:
            return
        suggestion = _suggest(rev.value.value)
        ctx.report(
            self.code, f"{rev.kind} name `{rev.value.value}` {why}", rev.value.span,
            f"not a valid {rev.kind} name here",
            help=(f"rename the {rev.kind}, e.g. `{suggestion}`" if suggestion else
                  f"rename the {rev.kind}")
            + ": the name becomes part of the revision path (`b..<branch>`, `t..<tag>`)",
        )


def _suggest(value: str) -> str | None:
    """The value with disallowed characters and reserved pairs replaced by `-`."""
    out = "".join(c if c.isascii() and (c.isalnum() or c in "_.-") else "-" for c in value)
    for seq in ("..", "_-", "-_"):
        while seq in out:
            out = out.replace(seq, "-" if seq != ".." else ".")
    out = out.strip("-")
    return out if out and revision_problem(out) is None else None
