"""Workflows are built as data and written as YAML here, deterministically.

Data rather than text templates: the emitter does the quoting and indentation, so no value —
a branch name, a default, a JSON table — can break the document's structure. PyYAML's
CSafeDumper (libyaml's C emitter: the pure-Python one cost 90 % of a large compile) with three
changes: mapping keys keep the order they were built in (the workflow reads top-down: `name`,
`on`, `permissions`, `jobs`), multi-line strings become literal blocks (`run: |`), and booleans
are YAML 1.2's `true`/`false` only, as GitHub reads them — so the trigger key is written `on:`,
not `'on':`. libyaml writes a sequence under a key without indenting it (`steps:` then
`- name:` at the same column), which is valid YAML and what GitHub reads. Comments, which
PyYAML cannot emit, are added to the text afterwards: a version after each pinned `uses:` and
the reason after each write permission.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from odmdc.backends.github_actions.actions import PINNED

_BOOL = "tag:yaml.org,2002:bool"


class _Dumper(yaml.CSafeDumper):
    """libyaml's C emitter (PyYAML's pure-Python one took 90 % of compile time at scale)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.CSafeDumper.yaml_implicit_resolvers.items()
}
_Dumper.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def _str(dumper: yaml.CSafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                   style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)

# Each search starts with a literal, which `re` finds at memchr speed; the line it is on is
# then checked whole (a pattern anchored at `^` is tried at every character: seconds at scale).
_USES = re.compile(r"uses: (\S+)$", re.MULTILINE)
_USES_LINE = re.compile(r"\s*(?:- )?uses: \S+")
_WRITE = re.compile(r": write$", re.MULTILINE)
_PERMISSION_LINE = re.compile(r"\s+(id-token|packages|actions): write")
_PERMISSION_REASONS = {
    "id-token": "OIDC: assume the build role",
    "packages": "npm publish to GitHub Packages",
    "actions": "start this workflow on the enver's ref (and its clones')",
}


def _line(m: re.Match[str]) -> str:
    return m.string[m.string.rfind("\n", 0, m.start()) + 1:m.end()]


def _version(m: re.Match[str]) -> str:
    if not _USES_LINE.fullmatch(_line(m)):
        return m.group(0)
    action = PINNED.get(m.group(1))
    if action is None:
        raise ValueError(f"unpinned action in a generated workflow: {m.group(1)}")
    return f"{m.group(0)} # {action.version}"


def _reason(m: re.Match[str]) -> str:
    if line := _PERMISSION_LINE.fullmatch(_line(m)):
        return f"{m.group(0)}  # {_PERMISSION_REASONS[line.group(1)]}"
    return m.group(0)


def dump(document: Mapping[str, Any], header: list[str]) -> str:
    """The workflow as YAML text, `header` lines as comments on top."""
    body = yaml.dump(dict(document), Dumper=_Dumper, sort_keys=False, width=1_000_000,
                     allow_unicode=True, default_flow_style=False)
    # one scan of the whole text each (a line at a time cost seconds at 5,000 envers)
    body = _WRITE.sub(_reason, _USES.sub(_version, body))
    top = "".join(f"# {h}".rstrip() + "\n" for h in header)
    return top + body


class _Loader(yaml.SafeLoader):
    """Reads back what `dump` writes, booleans as YAML 1.2 (for tests and tools)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def load(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
