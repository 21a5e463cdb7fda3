"""E302 and E303 share their shape: envers of some types may not consume anything.

The fault is reported where it is written, once: a consumer slot declared by such a type is
reported on the slot (every enver of the type would have to bind it), and an enver's own
consumers once per enver, at the first of them, with the others as secondary labels.
"""

from __future__ import annotations

from typing import ClassVar

from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.model import SlotDef, TypeDef
from odmdc.compiler.diagnostics import Label
from odmdc.compiler.rules.base import Rule


class ProducerOnlyRule(Rule):
    #: the kind of enver, for messages: "`contracts_lib`"
    what: ClassVar[str]
    #: why such envers may not consume, as a note
    why: ClassVar[str]

    def applies(self, t: TypeDef) -> bool:
        raise NotImplementedError

    def check(self, ctx: CheckContext) -> None:
        reported: set[SlotDef] = set()
        for name in sorted(ctx.model.types):
            t = ctx.model.types[name]
            if t.stdlib or t.node is None or not self.applies(t):
                continue
            for slot in t.slots.values():
                if slot.owner != t.name:
                    continue
                reported.add(slot)
                ctx.report(
                    self.code,
                    f"enver type `{t.name}` declares consumer slot `{slot.name}`, but "
                    f"{self.what} envers may not consume",
                    slot.node.name.span, "every enver of this type would have to consume it",
                    notes=[self.why],
                    help=f"remove the slot `{slot.name}` from `{t.name}`",
                )
        for e in ctx.model.envers():
            if e.is_clone or e.build.type is None or not self.applies(e.build.type):
                continue
            consumers = [c for c in e.consumers if c.slot not in reported]
            if not consumers:
                continue
            first, *others = consumers
            names = ", ".join(f"`{c.name}`" for c in consumers)
            ctx.report(
                self.code,
                f"{self.what} enver `{e.id}` consumes {names}",
                first.node.name.span.cover(first.node.ref.span),
                f"a {self.what} enver may not consume",
                secondary=[Label(c.node.name.span.cover(c.node.ref.span), "also consumed here")
                           for c in others],
                notes=[self.why],
                help="remove the `consumes` block" if len(consumers) == len(e.consumers)
                else "remove these consumers",
            )
