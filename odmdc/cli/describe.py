"""An enver's generated names as aligned text, read from the IR (`ir.Enver`) only.

`odmdc clone` prints a clone with it; it knows nothing clone-specific beyond `clone_of`, so any
command that shows an enver can share it.
"""

from __future__ import annotations

from collections.abc import Iterable

from odmdc.compiler import ir

_WIDTH = 14  # the longest key, "revision path", plus a space


def _rows(key: str, values: Iterable[str]) -> list[str]:
    out = []
    for i, v in enumerate(values):
        out.append(f"  {(key if i == 0 else ''):<{_WIDTH}}{v}")
    return out


def _table(pairs: Iterable[tuple[str, str]]) -> list[str]:
    pairs = list(pairs)
    width = max((len(a) for a, _ in pairs), default=0)
    return [f"{a:<{width}}  {b}".rstrip() for a, b in pairs]


def enver_lines(e: ir.Enver, *, names_only: bool = False) -> list[str]:
    """The enver's names, one per line. `names_only` keeps what a deployment creates and
    a removal deletes: stacks, product paths and image repositories."""
    n = e.names
    shared = f" (shared with `{e.clone_of}`)" if e.clone_of else ""
    out = _rows("revision", [f'{e.revision.kind} "{e.revision.value}"'])
    out += _rows("revision path", [e.revision.path])
    if not names_only:
        out += _rows("target", [f"{e.account_alias} ({e.account_id}) {e.region}"])
    out += _rows("stacks", n.stacks or ["(none: not a cdk build)"])
    out += _rows("products", _table((p.path, p.type) for p in e.products) or ["(none)"])
    if e.images:
        out += _rows("images", _table((i.repository, i.local) for i in e.images))
    if names_only:
        return out
    out += _rows("consumes", _table(
        (c.name, f"{c.reads}  from `{c.producer}`") for c in e.consumers) or ["(nothing)"])
    out += _rows("build role", [n.build_role_arn + shared])
    out += _rows("center role", [n.center_role_arn + shared])
    out += _rows("workflow", [n.workflow_file + shared])
    return out
