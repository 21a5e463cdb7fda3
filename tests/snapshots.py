"""Golden output trees: compared byte for byte, rewritten with `pytest --update-snapshots`.

Every snapshot in the repository was read and judged by a person when it was (re)generated;
a diff in review is the point of keeping them.
"""

from __future__ import annotations

import difflib
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest


def check_tree(files: Mapping[str, bytes], root: Path, update: bool) -> None:
    if update:
        shutil.rmtree(root, ignore_errors=True)
        for path, data in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(data)
        return
    if not root.is_dir():
        pytest.fail(f"no snapshot {root}: run pytest --update-snapshots and review it")
    stored = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
              if p.is_file()}
    assert sorted(stored) == sorted(files), "files differ: run --update-snapshots and review"
    for path in sorted(files):
        if stored[path] != files[path]:
            diff = "".join(difflib.unified_diff(
                stored[path].decode().splitlines(keepends=True),
                files[path].decode().splitlines(keepends=True), f"{path} (snapshot)",
                f"{path} (now)"))
            pytest.fail(f"{path} differs from its snapshot:\n{diff}")
