"""Product types and their subtype lattice (docs/language.md#product-types).

Every type but `number`, `bool` and `json` is a string. Within the strings two chains are
deeper because the values really are special cases: a Secrets Manager ARN (`secret`) is an ARN,
and a schema artifact's address (`schema`) is a URL. A consumer may declare any supertype of
the product it reads.
"""

from __future__ import annotations

from typing import Final

PARENT: Final[dict[str, str | None]] = {
    "string": None,
    "url": "string",
    "arn": "string",
    "cidr": "string",
    "account": "string",
    "region": "string",
    "secret": "arn",
    "schema": "url",
    "image_repo": "string",
    "image_digest": "string",
    "number": None,
    "bool": None,
    "json": None,
}

PRODUCT_TYPES: Final[tuple[str, ...]] = tuple(sorted(PARENT))

KINDS: Final[tuple[str, ...]] = ("cdk", "cmd", "container_image", "npm_package")


def is_product_type(name: str) -> bool:
    return name in PARENT


def is_subtype(sub: str, sup: str) -> bool:
    """`sub` ≤ `sup` in the lattice (reflexive)."""
    t: str | None = sub
    while t is not None:
        if t == sup:
            return True
        t = PARENT.get(t)
    return False


def ancestors(t: str) -> list[str]:
    """`t` and every supertype of it, nearest first."""
    out = []
    cur: str | None = t
    while cur is not None:
        out.append(cur)
        cur = PARENT.get(cur)
    return out
