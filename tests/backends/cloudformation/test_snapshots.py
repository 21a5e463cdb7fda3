"""Golden output of one org, read and judged by a person before it was committed.

`snapshots/retail/` holds the cloudformation backend's output for `orgs/retail` (every
reaction, clones of both kinds, images, three accounts, two regions). Regenerate with
`.venv/bin/pytest tests/backends/cloudformation --update-snapshots` and read the diff.
"""

from __future__ import annotations

import difflib
import shutil

import pytest

from tests.backends.cloudformation.support import HERE, ORGS, compiled

SNAPSHOTS = HERE / "snapshots"
ORG = "retail"


def test_output_matches_snapshot(update_snapshots: bool) -> None:
    files = compiled(ORGS / ORG).files
    root = SNAPSHOTS / ORG
    if update_snapshots:
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


def test_snapshot_folder_is_only_snapshots() -> None:
    assert {p.name for p in SNAPSHOTS.iterdir()} == {ORG}
    assert all(p.suffix == ".json" for p in (SNAPSHOTS / ORG).rglob("*") if p.is_file())
