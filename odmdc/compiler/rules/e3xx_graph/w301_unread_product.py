from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.model import EnverDef, ProductDef
from odmdc.compiler.diagnostics import Label, Severity
from odmdc.compiler.rules.base import Rule


class UnreadProduct(Rule):
    """Reported per enver (each publishes its own copy), at the product's declaration, which
    may be in the enver's type. A product counts as read when it or one of its children is:
    the parent cannot go while a child is used. A product whose whole subtree is unread is
    reported once, at its top. Clones are not judged: nothing may read them (E407). Products
    declared by the standard library are the platform's and cannot be removed here."""

    code = "W301"
    title = "product no consumer reads"
    summary = "An enver publishes a product that no consumer reads."
    severity = Severity.INFO
    enabled_by_default = False

    def check(self, ctx: CheckContext) -> None:
        read: dict[str, set[tuple[str, ...]]] = {}  # enver id → read paths and their parents
        for c in ctx.model.consumers():
            if c.producer is not None and c.product is not None:
                paths = read.setdefault(c.producer.id, set())
                path = c.product.path
                paths.update(path[:i] for i in range(1, len(path) + 1))
        stdlib = {t.name for t in ctx.model.types.values() if t.stdlib}
        for e in ctx.model.envers():
            if e.is_clone:
                continue
            used = read.get(e.id, set())
            for p in e.products.values():
                if p.path in used or (len(p.path) > 1 and p.path[:-1] not in used):
                    continue  # read, or inside an unread parent reported instead
                if p.source.startswith("type ") and p.source[5:] in stdlib:
                    continue
                self._report(ctx, e, p)

    def _report(self, ctx: CheckContext, e: EnverDef, p: ProductDef) -> None:
        children = [".".join(q[len(p.path):]) for q in e.products
                    if len(q) > len(p.path) and q[:len(p.path)] == p.path]
        also = ""
        if len(children) == 1:
            also = f" (nor its child `{children[0]}`)"
        elif children:
            also = f" (nor any of its {len(children)} child products)"
        from_type = p.source.startswith("type ")
        ctx.report(
            self.code,
            f"no consumer reads product `{p.dotted}` of `{e.id}`{also}",
            p.name.span,
            f"declared by enver type `{p.source[5:]}`" if from_type else "declared here",
            secondary=[Label(e.name_span, f"`{e.id}` publishes it")] if from_type else [],
            help="remove it unless something outside the contracts reads it "
            "(`odmdc impact BUILD.ENVER.PRODUCT` lists a product's readers)",
        )
