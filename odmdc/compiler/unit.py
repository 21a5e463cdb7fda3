"""The pipeline every command shares: find files, read them, parse them, check them."""

from __future__ import annotations

from dataclasses import dataclass, field

from odmdc.compiler import ast, gc_policy
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.grammar import parse
from odmdc.compiler.sources import Source, collect, read, stdlib_sources


@dataclass
class Unit:
    """A compilation unit: the user's files plus the standard library, parsed."""

    files: list[ast.SourceFile] = field(default_factory=list)
    stdlib: list[ast.SourceFile] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    file_count: int = 0


def parse_sources(sources: list[Source], unit: Unit | None = None) -> Unit:
    unit = unit or Unit()
    with gc_policy.parsing():
        for src in sources:
            unit.texts[src.path] = src.text
            tree, diagnostics = parse(src.path, src.text)
            (unit.stdlib if src.stdlib else unit.files).append(tree)
            unit.diagnostics.extend(diagnostics)
    return unit


@dataclass
class Read:
    """The files of a unit, read but not parsed yet."""

    sources: list[Source]
    problems: list[Diagnostic]
    file_count: int


def read_all(paths: list[str]) -> Read:
    """Read every file under `paths` (raises `UsageError` for bad paths)."""
    files = collect(paths)
    sources: list[Source] = []
    problems: list[Diagnostic] = []
    for path in files:
        src, problem = read(path)
        if problem is not None:
            problems.append(problem)
        if src is not None:
            sources.append(src)
    return Read(sources, problems, len(files))


def load(paths: list[str], already: Read | None = None) -> Unit:
    """Read (unless `already` read) and parse every file under `paths`."""
    got = already if already is not None else read_all(paths)
    unit = Unit(file_count=got.file_count, diagnostics=list(got.problems))
    parse_sources(stdlib_sources(), unit)
    return parse_sources(got.sources, unit)
