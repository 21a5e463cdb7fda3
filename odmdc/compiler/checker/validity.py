"""What E101–E107 accept, shared with E105/E106 so that they skip names made from values
another rule already rejects (one fault, one diagnostic)."""

from __future__ import annotations

import re
from typing import Final

from odmdc.compiler.checker.model import EnverDef
from odmdc.compiler.regions import is_known_region

BUILD_ID: Final = re.compile(r"[A-Za-z0-9_-]+")
REVISION_VALUE: Final = re.compile(r"[A-Za-z0-9_.-]+")
#: `..` separates kind from value in a revision path and `-_` a clone from its origin
#: (`b..master-_b..feature-x`); `_-` is kept free so the path reads back one way only.
RESERVED_IN_REVISION: Final = ("..", "_-", "-_")
PRODUCT_NAME: Final = re.compile(r"[A-Za-z0-9_-]+")
ACCOUNT_ID: Final = re.compile(r"[0-9]{12}")


def revision_problem(value: str) -> str | None:
    """Why a branch or tag name cannot be a revision value (E102), or None."""
    if not value:
        return "is empty"
    bad = next((c for c in value if not REVISION_VALUE.fullmatch(c)), None)
    if bad is not None:
        return f"holds {show_char(bad)}; a revision value is letters, digits and `_.-`"
    for seq in RESERVED_IN_REVISION:
        if seq in value:
            return f"contains `{seq}`, which revision paths reserve as a separator"
    return None


def show_char(c: str) -> str:
    """A character for a message: `/`, a space, `\\t`."""
    if c == " ":
        return "a space"
    return f"`{repr(c)[1:-1]}`" if not c.isprintable() else f"`{c}`"


def revision_ok(e: EnverDef) -> bool:
    """Its revision value, and its origin's for a clone, pass E102."""
    if revision_problem(e.revision_value) is not None:
        return False
    return e.origin is None or revision_ok(e.origin)


def account_ok(e: EnverDef) -> bool:
    """The account resolves to a 12-digit id (E201 and E107 report the others)."""
    return e.account_id is not None and ACCOUNT_ID.fullmatch(e.account_id) is not None


def region_ok(e: EnverDef) -> bool:
    return is_known_region(e.region)
