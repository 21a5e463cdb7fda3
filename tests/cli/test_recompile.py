"""A recompile of unchanged contracts is skipped cheaply — and only when that is safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from odmdc.cli import main
from tests.helpers import PRELUDE

BUILD = ('build b : cdk {\n  repo = "a/b"\n'
         '  enver main = branch "main" in workspace1 "us-east-1"\n}\n')


@pytest.fixture
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "org.odmd").write_text(PRELUDE)
    (tmp_path / "b.odmd").write_text(BUILD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def compile_(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    status = main(["compile", ".", "-o", "out", "--backend", "ssm", *extra])
    return status, capsys.readouterr().err


def test_unchanged_inputs_are_up_to_date(org: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert compile_(capsys)[0] == 0
    assert (org / "out" / ".odmdc-state.json").is_file()
    assert compile_(capsys) == (0, "out: up to date\n")
    (org / "b.odmd").touch()  # same content: still up to date
    assert compile_(capsys) == (0, "out: up to date\n")


def test_changed_source_or_settings_recompile(org: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    compile_(capsys)
    (org / "b.odmd").write_text(BUILD.replace('"main" in', '"mainline" in'))
    status, err = compile_(capsys)
    assert status == 0 and "written" in err
    status, err = compile_(capsys, "--enable", "W301")  # another setting: not skipped
    assert "up to date" not in err


def test_a_touched_output_file_is_repaired(org: Path, capsys: pytest.CaptureFixture[str]) -> None:
    compile_(capsys)
    paths = org / "out" / "ssm" / "paths.json"
    good = paths.read_bytes()
    paths.write_bytes(good + b" ")
    assert compile_(capsys) == (0, "out: 1 written, 0 removed, 3 unchanged\n")
    assert paths.read_bytes() == good


def test_warnings_are_reported_again_when_skipped(org: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    args = ("--enable", "W301")  # a product nobody reads
    (org / "b.odmd").write_text(BUILD.replace(
        '"us-east-1"\n', '"us-east-1" {\n    produces { p: string }\n  }\n'))
    status, first = compile_(capsys, *args)
    assert status == 0 and "W301" in first and "written" in first
    status, again = compile_(capsys, *args)
    assert status == 0 and again.endswith("out: up to date\n")
    # the same report, with its source line and carets, as if compiled again
    assert again.removesuffix("out: up to date\n") == first[:first.index("out: ")]
    outs = []
    for _ in range(2):  # the format is no setting: both are replays, each in the format asked
        assert main(["compile", ".", "-o", "out", "--backend", "ssm", *args, "--format",
                     "json"]) == 0
        outs.append(capsys.readouterr())
    assert '"W301"' in outs[0].out and outs[1].out == outs[0].out
    assert outs[1].err == "out: up to date\n"


def test_check_compares_content(org: Path, capsys: pytest.CaptureFixture[str]) -> None:
    compile_(capsys)
    (org / "out" / "ssm" / "paths.json").write_text("{}")
    status, err = compile_(capsys, "--check")
    assert status == 1 and "out of date: out/ssm/paths.json" in err
