"""The output tree is replaced atomically and only where its content changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from odmdc.api import output_tree
from odmdc.api.output_tree import MANIFEST, diff_tree, with_manifest, write_tree
from odmdc.compiler.sources import UsageError

A = {"ssm/paths.json": b"{}\n", "ssm/env/b/b..main.env": b"X=1\n"}


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_first_write_creates_the_tree_with_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ch = write_tree(out, with_manifest(A))
    assert sorted(ch.written) == sorted([*A, MANIFEST])
    got = _files(out)
    assert {k: v for k, v in got.items() if k != MANIFEST} == A
    manifest = json.loads(got[MANIFEST])
    assert set(manifest["files"]) == set(A)
    assert all(h.startswith("sha256:") and len(h) == 71 for h in manifest["files"].values())


def test_unchanged_recompile_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, with_manifest(A))
    before = {p: os.stat(out / p) for p in [*A, MANIFEST]}
    ch = write_tree(out, with_manifest(A))
    assert not ch.dirty
    for p, st in before.items():
        now = os.stat(out / p)
        assert (now.st_ino, now.st_mtime_ns) == (st.st_ino, st.st_mtime_ns)


def test_only_changed_files_are_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, with_manifest(A))
    kept = os.stat(out / "ssm/env/b/b..main.env")
    changed = dict(A, **{"ssm/paths.json": b'{"x": 1}\n'})
    ch = write_tree(out, with_manifest(changed))
    assert sorted(ch.written) == [MANIFEST, "ssm/paths.json"]
    assert (out / "ssm/paths.json").read_bytes() == b'{"x": 1}\n'
    now = os.stat(out / "ssm/env/b/b..main.env")
    assert (now.st_ino, now.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)


def test_files_no_longer_generated_are_removed_but_foreign_files_stay(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, with_manifest(A))
    (out / "NOTES.md").write_text("mine")
    ch = write_tree(out, with_manifest({"ssm/paths.json": b"{}\n"}))
    assert ch.removed == ["ssm/env/b/b..main.env"]
    assert not (out / "ssm/env/b/b..main.env").exists()
    assert (out / "NOTES.md").read_text() == "mine"


def test_check_reports_stale_and_missing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, with_manifest(A))
    (out / "ssm/paths.json").write_bytes(b"tampered")
    (out / "ssm/env/b/b..main.env").unlink()
    ch = diff_tree(out, with_manifest(A))
    assert sorted(ch.written) == ["ssm/env/b/b..main.env", "ssm/paths.json"]
    assert (out / "ssm/paths.json").read_bytes() == b"tampered"  # diff writes nothing


def test_a_failure_while_staging_leaves_the_old_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_tree(out, with_manifest(A))
    old = _files(out)
    real = Path.write_bytes
    calls = {"n": 0}

    def flaky(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # Ctrl-C half way through writing the new tree
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    new = {f"ssm/env/b/{i}.env": b"Y\n" for i in range(5)}
    with pytest.raises(KeyboardInterrupt):
        write_tree(out, with_manifest(new))
    monkeypatch.undo()
    assert _files(out) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging left behind


def test_two_rename_fallback_and_recovery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_tree(out, with_manifest(A))
    monkeypatch.setattr(output_tree, "_exchange", lambda a, b: False)
    changed = dict(A, **{"ssm/paths.json": b"[]\n"})
    write_tree(out, with_manifest(changed))
    assert (out / "ssm/paths.json").read_bytes() == b"[]\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    # a run killed between the two renames leaves only the old tree aside: the next run restores
    out.rename(tmp_path / ".out.odmdc-old-deadbeef")
    assert not diff_tree(out, with_manifest(changed)).dirty
    assert (out / "ssm/paths.json").read_bytes() == b"[]\n"


def test_refuses_a_foreign_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("print()")
    with pytest.raises(UsageError, match="not empty"):
        write_tree(tmp_path / "src", with_manifest(A))


def test_refuses_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="working directory"):
        write_tree(Path("."), with_manifest(A))


def test_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    with pytest.raises(UsageError, match="not a directory"):
        write_tree(tmp_path / "f", with_manifest(A))
