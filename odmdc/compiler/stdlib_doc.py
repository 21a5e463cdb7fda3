"""`docs/stdlib.md`, generated from the standard library contracts:
`python -m odmdc.compiler.stdlib_doc`.

The contracts are read, parsed and resolved by the compiler itself (the front end and resolver
every command uses), so the page lists what a build of each type really gets: inherited
products and slots included, the `stacks` templates its envers fall back on, the default when
there are none. Descriptions are the contracts' own comments, taken from the parser's comment
list: the block above a type, and the comment ending a product's or a slot's line. A test
fails when the committed file is stale (`make docs` regenerates it), as for `docs/rules.md`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from odmdc.compiler import ast, naming
from odmdc.compiler.checker import attributes as attrs
from odmdc.compiler.checker.model import ProductDef, SlotDef, TypeDef
from odmdc.compiler.checker.plugins import NoPlugins
from odmdc.compiler.rules.run import check_unit
from odmdc.compiler.sources import STDLIB_PREFIX, Source, stdlib_sources
from odmdc.compiler.types import KINDS
from odmdc.compiler.unit import parse_sources

#: Where the library's files live in the repository, relative to `docs/`.
SOURCE_DIR = "../odmdc/stdlib_contracts/"


class LibraryError(Exception):
    """The library does not check clean: a page generated from it would describe contracts
    no compile accepts."""


@dataclass(frozen=True, slots=True)
class _Comments:
    """The comments of one file, as the parser found them, in source order."""

    items: tuple[ast.Comment, ...]

    def block_before(self, start: int, after: int) -> list[str]:
        """The comment lines between offset `after` and `start` (the block above a
        declaration), without their `//`; blank comment lines separate paragraphs."""
        block = [c for c in self.items if after <= c.span.start and c.span.end <= start]
        return [_text(c) for c in block]

    def trailing(self, line: int, after: int) -> str:
        """The comment that ends line `line`, starting after offset `after`."""
        for c in self.items:
            if c.span.line == line and c.span.start >= after:
                return " ".join(_text(c).split())
        return ""


def _text(c: ast.Comment) -> str:
    if c.is_line:
        return c.text[2:].removeprefix(" ").rstrip()
    return " ".join(c.text[2:-2].split())


def _library(sources: Sequence[Source]) -> tuple[list[TypeDef], list[ast.SourceFile]]:
    """The library's enver types, sorted by name, and its parsed files; raises LibraryError
    when the sources do not check clean."""
    unit = parse_sources([Source(s.path, s.text, stdlib=True) for s in sources])
    result = check_unit(unit, NoPlugins())
    if result.diagnostics:
        shown = "; ".join(f"{d.code} {d.span.short()} {d.message}" for d in result.diagnostics)
        raise LibraryError(f"the standard library does not check clean: {shown}")
    types = [result.model.types[n] for n in sorted(result.model.types)]
    return [t for t in types if t.node is not None and t.stdlib], unit.stdlib


def _file_of(t: TypeDef) -> str:
    assert t.node is not None
    return t.node.span.file.removeprefix(STDLIB_PREFIX)


def _code(text: str) -> str:
    return f"`{text}`"


def _prose(text: str) -> str:
    """Comment text as Markdown: `<` and `>` outside code spans escaped, so that `<region>`
    shows instead of being read as an HTML tag."""
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # even parts are outside backticks
        parts[i] = parts[i].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "`".join(parts)


def _cell(text: str) -> str:
    """Comment text in a table cell, which may not hold `|` either."""
    return _prose(text).replace("|", "\\|")


def _singleton(t: TypeDef) -> str:
    owner = next((s for s in t.chain() if s.singleton), None)
    if owner is None:
        return "no"
    return "yes" if owner is t else f"yes (from {_code(owner.name)})"


def _stacks(t: TypeDef) -> str:
    """The `stacks` templates an enver of `t` falls back on (only `cdk` envers deploy
    stacks), and the type in its chain that declares them."""
    if t.kind != "cdk":
        return f"none: only `cdk` envers deploy stacks (kind {_code(t.kind or '?')})"
    owner = next((s for s in t.chain() if "stacks" in s.attributes), None)
    declared = owner.attributes["stacks"] if owner is not None else None
    value = attrs.value_of(attrs.ENVER_TYPE["stacks"], declared.value) if declared else None
    if owner is None or not isinstance(value, tuple) or not value:
        return ", ".join(_code(s) for s in naming.DEFAULT_STACKS) + " (the default)"
    return ", ".join(_code(s) for s in value) + _inherited(owner.name, t)


def _base(t: TypeDef) -> str:
    """The kind, and the base type when it is not the kind itself."""
    assert t.base is not None
    kind = f"kind {_code(t.kind or '?')}"
    return kind if t.base.is_kind else f"base [{_code(t.base.name)}](#{t.base.name}), {kind}"


def _products(t: TypeDef, comments: dict[str, _Comments]) -> list[str]:
    if not t.products:
        return ["Products: none."]
    rows = ["| product | type | s3artifact | description |", "|---|---|---|---|"]
    for p in t.products:  # inherited first, then declaration order, children after parents
        rows.append(f"| {_code(p.dotted)}{_inherited(p.source, t)} | {_code(p.type)} | "
                    f"{'yes' if p.s3artifact else ''} | {_cell(_product_comment(p, comments))} |")
    return ["Products (published at `/odmd-share/<build>/<revision path>/<product>[/<child>…]`, "
            "[names](names.md#config-store-paths)):", "", *rows]


def _inherited(source: str, t: TypeDef) -> str:
    owner = source.removeprefix("type ")
    return "" if owner == t.name else f" (from {_code(owner)})"


def _product_comment(p: ProductDef, comments: dict[str, _Comments]) -> str:
    span = p.name.span
    after = p.type_name.span.end if p.type_name is not None else span.end
    found = comments.get(span.file)
    return found.trailing(span.line, after) if found else ""


def _slots(t: TypeDef, comments: dict[str, _Comments]) -> list[str]:
    if not t.slots:
        return ["Consumer slots: none."]
    rows = ["| slot | type | description |", "|---|---|---|"]
    for s in t.slots.values():
        rows.append(f"| {_code(s.name)}{_inherited(s.owner, t)} | {_code(s.type)} | "
                    f"{_cell(_slot_comment(s, comments))} |")
    return ["Consumer slots (every enver of the type binds each one, else E004):", "", *rows]


def _slot_comment(s: SlotDef, comments: dict[str, _Comments]) -> str:
    span = s.node.span
    found = comments.get(span.file)
    return found.trailing(span.line, s.node.type.span.end) if found else ""


def _description(t: TypeDef, comments: dict[str, _Comments], previous_end: int) -> list[str]:
    assert t.node is not None
    found = comments.get(t.node.span.file)
    lines = found.block_before(t.node.span.start, previous_end) if found else []
    return [*(_prose(line) for line in lines), ""] if lines else []


def _previous_end(t: TypeDef, files: dict[str, ast.SourceFile]) -> int:
    """Where the item before `t` in its file ends (0 at the top of the file): `t`'s
    description is the comment block between that item and `t`."""
    assert t.node is not None
    f = files.get(t.node.span.file)
    ends = [i.span.end for i in f.items if i.span.end <= t.node.span.start] if f else []
    return max(ends, default=0)


def _section(t: TypeDef, comments: dict[str, _Comments], previous_end: int) -> list[str]:
    facts = [
        f"- declared in [{_code(_file_of(t))}]({SOURCE_DIR}{_file_of(t)})",
        f"- {_base(t)}",
        f"- singleton: {_singleton(t)}",
        f"- stacks: {_stacks(t)}",
    ]
    return [f"## {t.name}", "", *_description(t, comments, previous_end), *facts, "",
            *_products(t, comments), "", *_slots(t, comments), ""]


def markdown(sources: Sequence[Source] | None = None) -> str:
    """The page, from `sources` (default: the standard library the package ships)."""
    types, files = _library(list(sources) if sources is not None else stdlib_sources())
    comments = {f.path: _Comments(f.comments) for f in files}
    by_path = {f.path: f for f in files}
    lines = [
        "# Standard library",
        "",
        "Generated from `odmdc/stdlib_contracts/*.odmd` by `python -m odmdc.compiler.stdlib_doc` "
        "(`make docs`); a test fails when this file is stale. The descriptions are the "
        "contracts' own comments.",
        "",
        "The standard library is part of every compilation unit: any build may name its types, "
        "and no user type may take one of their names (E002). Besides these types, the kinds "
        + ", ".join(_code(k) for k in KINDS) + " are base types with no products and no slots "
        "([language reference](language.md#kinds)).",
        "",
        "| type | kind | singleton | products | slots | file |",
        "|---|---|---|---|---|---|",
    ]
    for t in types:
        lines.append(f"| [{_code(t.name)}](#{t.name}) | {_code(t.kind or '?')} | "
                     f"{'yes' if any(s.singleton for s in t.chain()) else 'no'} | "
                     f"{len(t.products)} | {len(t.slots)} | "
                     f"[{_code(_file_of(t))}]({SOURCE_DIR}{_file_of(t)}) |")
    lines.append("")
    for t in types:
        lines += _section(t, comments, _previous_end(t, by_path))
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
