"""Recompiling unchanged contracts costs almost nothing: a fingerprint of every input.

`compile` records, next to the output tree's manifest, a fingerprint of what it compiled (the
sources, the options that change the output or the diagnostics, odmdc's own files and the
installed backends), the size and mtime of every file it wrote and the warnings it reported,
in `DIR/.odmdc-state.json` (a cache, not output: the manifest never lists it). When the next
compile has the same fingerprint and every file is still as it was written, there is nothing to
do: the sources are not even parsed, and the recorded warnings are reported again, as `make`
users expect a no-op build to say what the last one said. Only a compile without errors is
recorded. `compile --check` never takes this shortcut: it compares content.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from pydantic import TypeAdapter

from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.sources import Source

STATE = ".odmdc-state.json"
_DIAGNOSTICS = TypeAdapter(list[Diagnostic])


@functools.cache
def _code() -> str:
    """odmdc's files (by size and mtime: cheap, and changed by any edit or reinstall) and
    every installed backend's distribution and version."""
    from odmdc.backends.registry import available

    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for dirpath, dirs, names in os.walk(root):
        dirs.sort()
        for n in sorted(names):
            if n.endswith((".pyc", ".pyo")):
                continue
            st = os.stat(os.path.join(dirpath, n))
            h.update(f"{os.path.relpath(os.path.join(dirpath, n), root)}:{st.st_size}:"
                     f"{st.st_mtime_ns}\n".encode())
    for info in available().values():
        h.update(f"{info.name}={info.distribution}:{info.version}:{info.target}\n".encode())
    return h.hexdigest()


def inputs(sources: Iterable[Source], settings: Iterable[str]) -> str:
    h = hashlib.sha256(_code().encode())
    for s in sorted(settings):
        h.update(b"setting\0" + s.encode() + b"\0")
    for src in sorted(sources, key=lambda s: s.path):
        h.update(b"source\0" + src.path.encode() + b"\0")
        h.update(hashlib.sha256(src.text.encode()).digest())
    return h.hexdigest()


def _stat(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def cached(root: Path, fingerprint: str) -> list[Diagnostic] | None:
    """The warnings the last compile into `root` reported, if it had `fingerprint` and its
    files are untouched; None when there is work to do."""
    try:
        state = json.loads((root / STATE).read_text())
        if state.get("fingerprint") != fingerprint:
            return None
        files = state["files"]
        if not isinstance(files, dict) or not files or not all(
                _stat(root / p) == v for p, v in files.items()):
            return None
        return _DIAGNOSTICS.validate_python(state["diagnostics"])
    except (OSError, ValueError, KeyError, TypeError):  # pydantic's ValidationError is a ValueError
        return None  # a damaged cache is no cache


def record(root: Path, fingerprint: str, files: Iterable[str],
           diagnostics: Iterable[Diagnostic] = ()) -> None:
    """Remember a compile of `files` (paths under `root`) with `fingerprint` that reported
    `diagnostics` (warnings: a compile with errors writes nothing to remember)."""
    state = {"fingerprint": fingerprint, "files": {p: _stat(root / p) for p in sorted(files)},
             "diagnostics": _DIAGNOSTICS.dump_python(list(diagnostics), mode="json")}
    tmp = root / f"{STATE}.tmp"
    tmp.write_text(json.dumps(state, sort_keys=True) + "\n")
    os.replace(tmp, root / STATE)

