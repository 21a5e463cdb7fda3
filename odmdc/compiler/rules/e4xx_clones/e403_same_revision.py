from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.model import EnverDef
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule

CODE = "E403"


def _text(clone: str, origin: EnverDef) -> tuple[str, str]:
    kind, value = origin.revision_kind, origin.revision_value
    message = (f"clone `{clone}` is on {kind} `{value}`, the {kind} of its origin "
               f"`{origin.id}`")
    help_text = ("a clone deploys another branch or tag of the build than its origin: give it "
                 "its own")
    return message, help_text


def _origin_revision(origin: EnverDef) -> Label:
    return Label(origin.node.revision.span, f"`{origin.id}` is on this {origin.revision_kind}")


class SameRevision(Rule):
    code = CODE
    title = "clone on its origin's revision"
    summary = "A clone's revision (kind and value) is the same as its origin's."

    def check(self, ctx: CheckContext) -> None:
        for e in ctx.model.envers():
            o = e.origin
            if o is None or (e.revision_kind, e.revision_value) != (o.revision_kind,
                                                                      o.revision_value):
                continue
            message, help_text = _text(e.id, o)
            ctx.report(self.code, message, e.node.revision.span,
                       "the same revision as the origin", secondary=[_origin_revision(o)],
                       help=help_text)
