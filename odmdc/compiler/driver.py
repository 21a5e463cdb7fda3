"""The pipeline every command shares: find files, read them, parse them, check them."""

from __future__ import annotations

from dataclasses import dataclass, field

from odmdc.compiler import ast, gc_policy
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.sources import Source, collect, read, stdlib_sources
from odmdc.dsl_grammar import parse


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


def load(paths: list[str]) -> Unit:
    """Read and parse every file under `paths` (raises `UsageError` for bad paths)."""
    files = collect(paths)
    unit = Unit(file_count=len(files))
    sources: list[Source] = []
    for path in files:
        src, problem = read(path)
        if problem is not None:
            unit.diagnostics.append(problem)
        if src is not None:
            sources.append(src)
    parse_sources(stdlib_sources(), unit)
    return parse_sources(sources, unit)
