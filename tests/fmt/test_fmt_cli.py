"""`odmdc fmt` and `odmdc fmt --check` on real files: exit codes, output, what is written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from odmdc.cli import main

CANONICAL = 'org o {\n  a = 1\n}\n'
MESSY = 'org o{a=1}'
BROKEN = 'org o { a = }\n'
OLD = 1_000_000_000  # an mtime far in the past, to see whether a file was touched


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory with a formatted, an unformatted and a broken file; cwd is set to it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "ok.odmd").write_text(CANONICAL)
    (tmp_path / "sub" / "messy.odmd").write_text(MESSY)
    (tmp_path / "broken.odmd").write_text(BROKEN)
    for f in tmp_path.rglob("*.odmd"):
        os.utime(f, (OLD, OLD))
    return tmp_path


def _snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino)
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_fmt_rewrites_changed_files_and_reports_syntax_errors(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(tree)
    assert main(["fmt", "--color", "never"]) == 1  # the broken file is an error
    out, err = capsys.readouterr()
    assert out == "sub/messy.odmd\n"
    assert "error[E001]" in err and "broken.odmd:1:13" in err
    after = _snapshot(tree)
    assert after["sub/messy.odmd"][0] == CANONICAL.encode()
    assert after["ok.odmd"] == before["ok.odmd"]  # untouched: same bytes, mtime and inode
    assert after["broken.odmd"] == before["broken.odmd"]
    assert set(after) == set(before)  # no temporary file left behind


def test_fmt_on_formatted_files_is_silent_and_succeeds(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "broken.odmd").unlink()
    assert main(["fmt"]) == 0
    assert main(["fmt"]) == 0  # the second run finds nothing to do
    out, err = capsys.readouterr()
    assert (out, err) == ("sub/messy.odmd\n", "")


def test_check_lists_unformatted_files_writes_nothing_and_fails(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "broken.odmd").unlink()
    before = _snapshot(tree)
    assert main(["fmt", "--check", "."]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("sub/messy.odmd\n", "")
    assert _snapshot(tree) == before


def test_check_passes_on_formatted_files(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--check", "ok.odmd"]) == 0
    assert capsys.readouterr() == ("", "")


def test_check_with_a_syntax_error_fails_and_still_lists_the_others(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(tree)
    assert main(["fmt", "--check", "--color", "never"]) == 1
    out, err = capsys.readouterr()
    assert out == "sub/messy.odmd\n" and "error[E001]" in err
    assert _snapshot(tree) == before


def test_rewrite_is_a_replacement_that_keeps_the_file_mode(tree: Path) -> None:
    messy = tree / "sub" / "messy.odmd"
    messy.chmod(0o640)
    inode = messy.stat().st_ino
    assert main(["fmt", "sub"]) == 0
    assert messy.read_text() == CANONICAL
    assert messy.stat().st_mode & 0o777 == 0o640
    assert messy.stat().st_ino != inode  # a new file renamed over the old, not rewritten in place


def test_a_failed_write_leaves_the_file_whole_and_is_reported(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    before = _snapshot(tree)
    assert main(["fmt", "--color", "never", "sub"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "error[E000]: cannot write the formatted file: Permission denied" in err
    assert _snapshot(tree) == before  # the original intact, the temporary file removed


def test_a_symlink_stays_a_link_to_the_rewritten_file(tree: Path) -> None:
    link = tree / "link.odmd"
    link.symlink_to(tree / "sub" / "messy.odmd")
    assert main(["fmt", "link.odmd"]) == 0
    assert link.is_symlink()
    assert (tree / "sub" / "messy.odmd").read_text() == CANONICAL


def test_unreadable_input_is_e000_and_other_files_are_still_formatted(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "latin1.odmd").write_bytes(b"org caf\xe9 {}\n")
    assert main(["fmt", "--color", "never", "latin1.odmd", "sub"]) == 1
    out, err = capsys.readouterr()
    assert out == "sub/messy.odmd\n"
    assert "error[E000]: file is not valid UTF-8" in err
    assert (tree / "latin1.odmd").read_bytes() == b"org caf\xe9 {}\n"


def test_crlf_and_byte_order_mark_are_not_canonical(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "crlf.odmd").write_bytes(CANONICAL.replace("\n", "\r\n").encode())
    (tree / "bom.odmd").write_bytes(b"\xef\xbb\xbf" + CANONICAL.encode())
    assert main(["fmt", "crlf.odmd", "bom.odmd"]) == 0
    assert capsys.readouterr().out == "bom.odmd\ncrlf.odmd\n"
    assert (tree / "crlf.odmd").read_bytes() == CANONICAL.encode()
    assert (tree / "bom.odmd").read_bytes() == CANONICAL.encode()


def test_json_format_keeps_stdout_one_document(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fmt", "--check", "--format", "json"]) == 1
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert [(d["code"], d["location"]["file"]) for d in report["diagnostics"]] == [
        ("E001", "broken.odmd")
    ]
    assert report["summary"]["files"] == 3
    assert err == "sub/messy.odmd\n"


def test_a_missing_path_is_a_usage_error(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "nowhere"]) == 2
    assert "no such file or directory: nowhere" in capsys.readouterr().err
