"""Compilation units: the `.odmd` files under some paths, or texts held in memory (an editor's
unsaved buffers), each parsed together with the standard library."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from odmdc.compiler.sources import Source, stdlib_sources
from odmdc.compiler.unit import Read, Unit, parse_sources, read_all
from odmdc.compiler.unit import load as _load


def read(paths: Sequence[str]) -> Read:
    """Every file under `paths`, read but not parsed (`UsageError` for a path that is not
    there or holds no `.odmd` file)."""
    return read_all(list(paths))


def load(paths: Sequence[str], already: Read | None = None) -> Unit:
    """The unit of every `.odmd` file under `paths` (default `.`), parsed; `already`: those
    files as `read` gave them."""
    return _load(list(paths), already)


def load_texts(texts: Mapping[str, str]) -> Unit:
    """The unit of these files, by the path diagnostics are to show, parsed."""
    sources = [Source(path, texts[path]) for path in sorted(texts)]
    unit = parse_sources(stdlib_sources())
    unit.file_count = len(sources)
    return parse_sources(sources, unit)
