from collections import deque

from odmdc.compiler import ast
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.model import ConsumerDef, EnverDef
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule


def path_to_mutable(clone: EnverDef) -> list[ConsumerDef]:
    """The shortest chain of consumers from `clone` upstream to a mutable (branch) enver, or
    []. Ties go to consumer names in order, so the path is deterministic. Producers that are
    clones are not followed: reading a clone is E407."""
    queue: deque[tuple[EnverDef, list[ConsumerDef]]] = deque([(clone, [])])
    seen = {clone.id}
    while queue:
        enver, path = queue.popleft()
        for c in sorted(enver.consumers, key=lambda c: c.name):
            p = c.producer
            if p is None or not c.resolved or p.is_clone or p.id in seen:
                continue
            if p.mutable:
                return [*path, c]
            seen.add(p.id)
            queue.append((p, [*path, c]))
    return []


def _hop(e: EnverDef) -> str:
    return f"`{e.id}` ({e.revision_kind} `{e.revision_value}`)"


class TagCloneOfMutable(Rule):
    code = "E405"
    title = "tag clone depending on a mutable enver"
    summary = (
        "A tag clone (immutable) would read, directly or further upstream through its origin's "
        "consumers, a product of a branch enver (mutable)."
    )

    def check(self, ctx: CheckContext) -> None:
        for e in ctx.model.envers():
            if e.origin is None or e.mutable or not isinstance(e.node, ast.Clone):
                continue
            path = path_to_mutable(e)
            if not path:
                continue
            first, last = path[0], path[-1]
            target = last.producer
            assert target is not None
            hops = " → ".join([_hop(e), *(_hop(c.producer) for c in path if c.producer)])
            notes = [f"dependency path: {hops}"]
            secondary = [Label(first.node.span, f"`{e.id}` inherits this consumer from "
                               f"`{e.origin.id}`")]
            # who wrote the read of the mutable enver: the origin, or an enver upstream
            reader = e.origin if len(path) == 1 else last.enver
            if len(path) > 1:
                secondary.append(Label(last.node.span, f"`{reader.id}` reads mutable "
                                       f"`{target.id}` here"))
            if not reader.mutable:
                notes.append(f"`{reader.id}` is a tag enver too: E305 reports its read of "
                             f"`{target.id}`")
            ctx.report(
                self.code,
                f"tag clone `{e.id}` depends on mutable enver `{target.id}`",
                e.node.revision.span,
                "an immutable revision",
                secondary=secondary,
                notes=notes,
                help=f"make `{e.name}` a `branch` clone, or clone an enver whose dependencies "
                "are all tag envers",
            )
