"""What the graph rules share: which envers may consume at all, and which edges they judge.

Each fault is reported by exactly one rule. A consumer that reads a clone is E407's; an enver
that may not consume at all (a contracts library, a container image) is E302's or E303's; a
consumer that reads its own build is E301's. The other graph rules (E304, E305, E306, W310)
judge only the edges that survive those three, so fixing one fault never reveals a second
report about the same consumer. They judge declared consumers only: a clone's copies read
exactly what its origin's declaration reads and are reported there, once.
"""

from __future__ import annotations

from collections.abc import Iterator

from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.model import BuildDef, ConsumerDef, TypeDef

CONTRACTS_LIB = "contracts_lib"
CONTAINER_IMAGE = "container_image"


def is_contracts_lib_type(t: TypeDef | None) -> bool:
    """The standard library's `contracts_lib` type is in `t`'s chain (a user type of the same
    name is not the platform's contracts library)."""
    return t is not None and t.contracts_lib


def is_contracts_lib(b: BuildDef) -> bool:
    return is_contracts_lib_type(b.type)


def is_container_image_type(t: TypeDef | None) -> bool:
    return t is not None and t.kind == CONTAINER_IMAGE


def consumes_nothing(b: BuildDef) -> bool:
    """Envers of this build may not consume (E302, E303)."""
    t = b.type
    return t is not None and (t.contracts_lib or t.kind == CONTAINER_IMAGE)


def e301_judges(c: ConsumerDef) -> bool:
    """E301 judges this consumer: it is resolved, does not read a clone (E407) and is not on
    an enver that may not consume at all (E302, E303)."""
    return (c.producer is not None and c.product is not None and not c.producer.is_clone
            and not consumes_nothing(c.enver.build))


def judged(c: ConsumerDef) -> bool:
    """No earlier rule (E301, E302, E303, E407) rejects this consumer."""
    return e301_judges(c) and c.producer is not None \
        and c.producer.build is not c.enver.build


def own_build_consumers(ctx: CheckContext) -> Iterator[ConsumerDef]:
    """Declared consumers E301 judges."""
    return (c for c in ctx.resolved_consumers() if e301_judges(c))


def judged_consumers(ctx: CheckContext) -> Iterator[ConsumerDef]:
    """Declared consumers the later graph rules judge."""
    return (c for c in ctx.resolved_consumers() if judged(c))
