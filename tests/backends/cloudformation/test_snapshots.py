"""Golden output of one org, read and judged by a person before it was committed.

`snapshots/retail/` holds the cloudformation backend's output for `orgs/retail` (every
reaction, clones of both kinds, images, three accounts, two regions). Regenerate with
`.venv/bin/pytest tests/backends/cloudformation --update-snapshots` and read the diff.
"""

from __future__ import annotations

from tests.backends.cloudformation.support import HERE, ORGS, compiled
from tests.snapshots import check_tree

SNAPSHOTS = HERE / "snapshots"
ORG = "retail"


def test_output_matches_snapshot(update_snapshots: bool) -> None:
    check_tree(compiled(ORGS / ORG).files, SNAPSHOTS / ORG, update_snapshots)


def test_snapshot_folder_is_only_snapshots() -> None:
    assert {p.name for p in SNAPSHOTS.iterdir()} == {ORG}
    assert all(p.suffix == ".json" for p in (SNAPSHOTS / ORG).rglob("*") if p.is_file())
