from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.model import EnverDef
from odmdc.compiler.clones.commit_message import COMMIT_MESSAGE
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule

_LISTED = 8


def _order(e: EnverDef) -> tuple[bool, str, int]:
    """Declared clones in source order, then the one a commit message asks for: the newcomer
    is the clone over the limit."""
    span = e.name_span
    return (span.file == COMMIT_MESSAGE, span.file, span.start)


class TooManyClones(Rule):
    code = "E401"
    title = "too many clones of one enver"
    summary = (
        "An enver has more clones (declared ones, plus the one a commit message asks for) than "
        "the org's `max_clones` allows (default 20)."
    )

    def check(self, ctx: CheckContext) -> None:
        org = ctx.model.org
        if org is None:
            return
        limit = org.max_clones
        by_origin: dict[str, list[EnverDef]] = {}
        for e in ctx.model.envers():
            if e.origin is not None:
                by_origin.setdefault(e.origin.id, []).append(e)
        for origin_id in sorted(by_origin):
            clones = sorted(by_origin[origin_id], key=_order)
            if len(clones) <= limit:
                continue
            over = clones[limit]
            origin = over.origin
            assert origin is not None
            secondary = [Label(origin.name_span, f"`{origin_id}` declared here")]
            attr = org.attributes.get("max_clones")
            if attr is not None:
                secondary.append(Label(attr.span, f"the limit is {limit}"))
            names = ", ".join(f"`{c.name}`" for c in clones[:_LISTED])
            more = f" and {len(clones) - _LISTED} more" if len(clones) > _LISTED else ""
            ctx.report(
                self.code,
                f"enver `{origin_id}` has {len(clones)} clones, more than `max_clones` "
                f"({limit})",
                over.name_span,
                f"clone number {limit + 1} of `{origin_id}`",
                secondary=secondary,
                notes=[f"the clones of `{origin_id}`: {names}{more}"],
                help=f"delete clones of `{origin_id}`, or raise `max_clones` in org "
                f"`{org.name}`",
            )
