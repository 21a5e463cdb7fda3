from odmdc.compiler import ast
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.model import BuildDef
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule


def _root(b: BuildDef, name: str, clones: dict[str, ast.Clone]) -> str | None:
    """The declared enver at the end of a chain of clones, if the chain reaches one."""
    seen: set[str] = set()
    while name in clones and name not in seen:
        seen.add(name)
        name = clones[name].origin.text
        e = b.envers.get(name)
        if e is not None and not e.is_clone:
            return e.id
    return None


class CloneOfClone(Rule):
    code = "E402"
    title = "clone of a clone"
    summary = "A clone names another clone as its origin; clones are made from declared envers."

    def check(self, ctx: CheckContext) -> None:
        by_build: dict[str, dict[str, ast.Clone]] = {}
        for c in ctx.model.clones:
            by_build.setdefault(c.build.text, {}).setdefault(c.name.text, c)
        for c in ctx.model.clones:
            b = ctx.model.builds.get(c.build.text)
            if b is None:
                continue  # E201
            origin = b.envers.get(c.origin.text)
            if origin is not None and not origin.is_clone:
                continue
            clones = by_build.get(b.id, {})
            target = clones.get(c.origin.text)
            if target is None:
                continue  # no such enver or clone: E201
            root = _root(b, c.origin.text, clones)
            if target is c:
                message = f"clone `{c.name.text}` names itself as its origin"
                secondary = []
            else:
                message = (f"clone `{c.name.text}` is made from `{b.id}.{c.origin.text}`, "
                           "which is itself a clone")
                secondary = [Label(target.name.span, f"`{target.name.text}` is a clone of "
                                   f"`{target.build.text}.{target.origin.text}`")]
            ctx.report(
                self.code, message, c.origin.span, "a clone, not a declared enver",
                secondary=secondary,
                help=f"clone `{root}` instead: clones are made from declared envers only"
                if root else "clone a declared enver of the build instead",
            )
