from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.model import BuildDef, TypeDef
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule


class SingletonReused(Rule):
    """Builds are taken in source order (files sorted by path), as for duplicate names
    (E002): the first declared keeps the type, the later ones are reported. A build reported
    once is not reported again for a second singleton further up its type chain: it is one
    fault, one build too many."""

    code = "E309"
    title = "singleton type used by several builds"
    summary = (
        "An enver type declared `singleton` (or inheriting from one) is used by more than one "
        "build."
    )

    def check(self, ctx: CheckContext) -> None:
        first_of: dict[str, BuildDef] = {}  # singleton type → the first build using it
        for b in sorted(ctx.model.builds.values(), key=lambda b: (b.file, b.node.span.start)):
            singletons = [t for t in b.type.chain() if t.singleton] if b.type else []
            for t in singletons:
                owner = first_of.get(t.name)
                if owner is not None:
                    self._report(ctx, b, t, owner)
                    break
            for t in singletons:
                first_of.setdefault(t.name, b)

    def _report(self, ctx: CheckContext, b: BuildDef, t: TypeDef, first: BuildDef) -> None:
        assert b.type is not None
        through = f" (through `{b.type.name}`)" if b.type is not t else ""
        first_through = f" (through `{first.type.name}`)" \
            if first.type is not None and first.type is not t else ""
        ctx.report(
            self.code,
            f"build `{b.id}` uses singleton enver type `{t.name}`{through}, already used by "
            f"build `{first.id}`",
            b.node.type.span, f"a second build of `{t.name}`",
            secondary=[Label(first.node.type.span,
                             f"`{first.id}` uses `{t.name}`{first_through} first")],
            notes=[f"a singleton type is a platform-wide role (one contracts library, one user "
                   f"pool …): its envers' products are read as the org's only `{t.name}`"],
            help=f"move the envers of `{b.id}` into `{first.id}`, or give `{b.id}` a type that "
            "is not a singleton",
        )
