"""Recompiling unchanged contracts costs almost nothing: a fingerprint of every input.

`compile` records, next to the output tree's manifest, a fingerprint of what it compiled (the
sources, the options that change the output or the diagnostics, odmdc's own files and the
installed backends) and the size and mtime of every file it wrote, in `DIR/.odmdc-state.json`
(a cache, not output: the manifest never lists it). When the next compile has the same
fingerprint, the last one reported nothing, and every file is still as it was written, there is
nothing to do, and the sources are not even parsed. `compile --check` never takes this shortcut:
it compares content.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from odmdc.compiler.sources import Source

STATE = ".odmdc-state.json"


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


def up_to_date(root: Path, fingerprint: str) -> bool:
    try:
        state = json.loads((root / STATE).read_text())
    except (OSError, ValueError):
        return False
    if state.get("fingerprint") != fingerprint:
        return False
    files = state.get("files")
    return isinstance(files, dict) and bool(files) and all(
        _stat(root / p) == v for p, v in files.items())


def record(root: Path, fingerprint: str, files: Iterable[str]) -> None:
    """Remember a clean compile of `files` (paths under `root`) with `fingerprint`."""
    state = {"fingerprint": fingerprint, "files": {p: _stat(root / p) for p in sorted(files)}}
    tmp = root / f"{STATE}.tmp"
    tmp.write_text(json.dumps(state, sort_keys=True) + "\n")
    os.replace(tmp, root / STATE)


def forget(root: Path) -> None:
    (root / STATE).unlink(missing_ok=True)
