"""Which `NAME = value` attributes each declaration accepts, and of what value type (E003/E004).

One table per context. Resolution reads values through `value_of`, which returns None for a
value of the wrong type, so a mistyped attribute is reported once (by E003) and otherwise
treated as absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from odmdc.compiler import ast

ValueKind = Literal["string", "int", "bool", "name", "names", "strings", "labels"]

_DESCRIBE: Final[dict[ValueKind, str]] = {
    "string": "a string",
    "int": "a whole number",
    "bool": "`true` or `false`",
    "name": "a name",
    "names": "a list of names",
    "strings": "a list of strings",
    "labels": "a list of names or strings",
}


@dataclass(frozen=True, slots=True)
class AttrSpec:
    kind: ValueKind
    doc: str
    required: bool = False
    minimum: int | None = None

    def describe(self) -> str:
        return _DESCRIBE[self.kind]


ORG: Final[dict[str, AttrSpec]] = {
    "github_app": AttrSpec("int", "the GitHub App id the platform installs in each repository"),
    "ci": AttrSpec("name", "the deployment engine: an installed backend that is a CI engine "
                   "(`github_actions`, `codepipeline`, or a plugin's)"),
    "backends": AttrSpec("names", "what `odmdc compile` emits by default"),
    "max_clones": AttrSpec("int", "clones allowed per origin enver (default 20)", minimum=0),
    "phases": AttrSpec("labels", "revision labels in promotion order (rule W310)"),
    "central_account": AttrSpec(
        "name", "alias of the central account (contracts, center roles); default `central`"
    ),
    "docs": AttrSpec("string", "path to documentation, relative to this file"),
}

ENVER_TYPE: Final[dict[str, AttrSpec]] = {
    "stacks": AttrSpec("strings", "CDK stack name templates with {build} and {rev}"),
    "docs": AttrSpec("string", "path to documentation, relative to this file"),
}

BUILD: Final[dict[str, AttrSpec]] = {
    "repo": AttrSpec("string", "the GitHub repository, `owner/name`", required=True),
    "owner": AttrSpec("string", "the team or person answerable for the build"),
    "work_dirs": AttrSpec("strings", "directories of the repository the build runs in"),
    "docs": AttrSpec("string", "path to documentation, relative to this file"),
}

ENVER: Final[dict[str, AttrSpec]] = {
    "stacks": AttrSpec("strings", "CDK stack name templates with {build} and {rev}"),
    "docs": AttrSpec("string", "path to documentation, relative to this file"),
}

Plain = str | int | bool | tuple[str, ...]


def value_of(spec: AttrSpec, value: ast.Value) -> Plain | None:
    """The attribute's value as Python data, or None if it is not of the spec's type."""
    k = spec.kind
    if k == "string":
        return value.value if isinstance(value, ast.Str) else None
    if k == "int":
        if isinstance(value, ast.Number) and isinstance(value.value, int):
            n = value.value
            return n if spec.minimum is None or n >= spec.minimum else None
        return None
    if k == "bool":
        return value.value if isinstance(value, ast.Bool) else None
    if k == "name":
        if not isinstance(value, ast.Ident):
            return None
        return value.text
    if not isinstance(value, ast.ListValue):
        return None
    if k == "names":
        ok = all(isinstance(i, ast.Ident) for i in value.items)
        return tuple(i.text for i in value.items if isinstance(i, ast.Ident)) if ok else None
    if k == "strings":
        ok = all(isinstance(i, ast.Str) for i in value.items)
        return tuple(i.value for i in value.items if isinstance(i, ast.Str)) if ok else None
    # labels: names or strings
    out: list[str] = []
    for i in value.items:
        if isinstance(i, ast.Ident):
            out.append(i.text)
        elif isinstance(i, ast.Str):
            out.append(i.value)
        else:
            return None
    return tuple(out)


class Getter:
    """Reads declared attributes by name as Python data (None when absent or mistyped)."""

    def __init__(self, found: dict[str, ast.Attribute], table: dict[str, AttrSpec]) -> None:
        self.found = found
        self.table = table

    def __call__(self, name: str) -> Plain | None:
        a = self.found.get(name)
        return value_of(self.table[name], a.value) if a is not None else None
