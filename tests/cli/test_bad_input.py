"""Bad input, end to end through the command line: a clear message and the right exit status,
never a traceback and never a hang.

Most cases run `odmdc.cli.main` in-process; a few run the installed `odmdc` script
in a real subprocess. The tests run as root, so an unreadable file is made with a broken
symlink, a symlink loop, a FIFO or a patched `os.open`, never with `chmod`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

from odmdc import cli
from odmdc.compiler.unit import load


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail instead of hanging (a regression here would block on a FIFO forever)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with deadline(20):
        status = cli.main(["check", "--color", "never", *argv])
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "Traceback" not in out.out
    return status, out.out, out.err


def report(capsys: pytest.CaptureFixture[str], *paths: str) -> tuple[int, list[dict[str, object]]]:
    status, out, _err = check(capsys, "--format", "json", *paths)
    return status, json.loads(out)["diagnostics"]


# A valid org, so that the only diagnostics are those of the file under test.
ORG = """\
org acme {
  accounts { central = "111111111111" }
}
build contracts : contracts_lib {
  repo = "acme/contracts"
  enver main = branch "main" in central "us-west-1"
}
"""


def broken_build(name: str) -> str:
    """A build whose syntax error (in `owner`) leaves nothing else missing."""
    return (f'build {name} : cdk {{\n  repo = "acme/{name}"\n  owner = @\n'
            f'  enver main = branch "main" in central "us-west-1"\n}}\n')


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


# ---- usage errors: exit 2 ------------------------------------------------------------------

def test_nonexistent_path(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = check(capsys, "nope.odmd")
    assert status == 2 and out == ""
    assert err == "odmdc check: error: no such file or directory: nope.odmd\n"


def test_directory_without_sources(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "empty").mkdir()
    (in_tmp / "empty" / "notes.txt").write_text("x")
    (in_tmp / "empty" / ".git").mkdir()
    (in_tmp / "empty" / ".git" / "hidden.odmd").write_text("org a {}")
    status, _out, err = check(capsys, "empty")
    assert status == 2
    assert err == "odmdc check: error: no .odmd files under empty\n"


def test_bad_format_value(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["check", "--format", "xml", "."])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'xml'" in err and "Traceback" not in err


# ---- unusable files: E000, exit 1, the other files still checked ---------------------------

def test_broken_symlink_in_directory(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "d").mkdir()
    (in_tmp / "d" / "x.odmd").symlink_to("missing.odmd")
    (in_tmp / "d" / "ok.odmd").write_text(ORG)
    status, diagnostics = report(capsys, "d")
    assert status == 1
    assert [(d["code"], d["message"]) for d in diagnostics] == [
        ("E000", "broken symbolic link: `missing.odmd` leads to a missing file")]
    assert diagnostics[0]["location"] == {
        "file": "d/x.odmd", "line": 1, "column": 1, "end_line": 1, "end_column": 1}


def test_symlink_loop(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "a.odmd").symlink_to("b.odmd")
    (in_tmp / "b.odmd").symlink_to("a.odmd")
    status, diagnostics = report(capsys, ".")
    assert status == 1
    assert [d["message"] for d in diagnostics] == [
        "broken symbolic link: `b.odmd` leads to a loop",
        "broken symbolic link: `a.odmd` leads to a loop",
    ]


def test_fifo_is_refused_without_blocking(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(in_tmp / "pipe.odmd")
    status, diagnostics = report(capsys, ".")
    assert status == 1
    assert [d["message"] for d in diagnostics] == ["cannot read a named pipe"]
    status, diagnostics = report(capsys, "pipe.odmd")  # named explicitly
    assert [d["message"] for d in diagnostics] == ["cannot read a named pipe"]


def test_character_device_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    status, diagnostics = report(capsys, os.devnull)
    assert status == 1
    assert [d["message"] for d in diagnostics] == ["cannot read a character device"]


def test_unreadable_file(in_tmp: Path, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "secret.odmd").write_text("org a {}")
    real_open = os.open

    def denied(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if Path(path).name == "secret.odmd":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", denied)
    status, diagnostics = report(capsys, ".")
    assert status == 1
    assert [d["message"] for d in diagnostics] == ["cannot read file: Permission denied"]


def test_not_utf8_points_at_the_bad_byte(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "l1.odmd").write_bytes(b'build a : cdk {\n  repo = "caf\xe9 \xc3\xa9"\n}\n')
    status, _out, err = check(capsys, "l1.odmd")
    assert status == 1
    assert "error[E000]: file is not valid UTF-8\n --> l1.odmd:2:14\n" in err
    assert "invalid byte 0xe9" in err


def test_bad_byte_after_multibyte_characters(in_tmp: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "m.odmd").write_bytes('org a { x = "日本'.encode() + b"\xff" + b'" }')
    _status, diagnostics = report(capsys, "m.odmd")
    (d,) = diagnostics
    assert d["location"] == {"file": "m.odmd", "line": 1, "column": 16, "end_line": 1,
                             "end_column": 17}


def test_nul_byte(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "bin.odmd").write_bytes(b"org a {\n  x = 1\x00\n}\n")
    _status, diagnostics = report(capsys, "bin.odmd")
    (d,) = diagnostics
    assert d["code"] == "E000" and d["message"] == "file contains a NUL byte (is it a binary file?)"
    assert (d["location"]["line"], d["location"]["column"]) == (2, 8)  # type: ignore[index]


def test_utf16_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "w.odmd").write_bytes("org a {}".encode("utf-16"))
    _status, diagnostics = report(capsys, "w.odmd")
    assert [d["message"] for d in diagnostics] == ["file is encoded as UTF-16, not UTF-8"]


def test_huge_file_is_refused_quickly_and_never_read(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = in_tmp / "big.odmd"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    tracemalloc.start()
    started = time.monotonic()
    try:
        status, diagnostics = report(capsys, "big.odmd")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 8 * 1024 * 1024  # the 50 MiB were never read into memory
    assert status == 1
    assert [d["message"] for d in diagnostics] == [
        "file is too large (50.0 MiB; the limit is 16.0 MiB)"]


def test_a_broken_file_hides_nothing_in_the_others(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "org.odmd").write_text(ORG)
    (in_tmp / "a.odmd").write_text(broken_build("a"))
    (in_tmp / "b.odmd").write_bytes(b"org b { x = \"\xff\" }\n")
    (in_tmp / "c.odmd").write_text(broken_build("c"))
    (in_tmp / "d.odmd").write_text('build d : cdk { repo = "acme/d" }\n')  # no enver: E308
    status, diagnostics = report(capsys, ".")
    assert status == 1
    assert [(d["code"], d["location"]["file"]) for d in diagnostics] == [  # type: ignore[index]
        ("E001", "a.odmd"), ("E000", "b.odmd"), ("E001", "c.odmd"), ("E308", "d.odmd")]
    unit = load(["."])
    assert sorted(item.name.text for f in unit.files for item in f.items) == [
        "a", "acme", "c", "contracts", "d"]


def test_a_file_named_twice_is_read_once(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "org.odmd").write_text(ORG)
    (in_tmp / "a.odmd").write_text(broken_build("a"))
    status, diagnostics = report(capsys, "a.odmd", ".", "./a.odmd")
    assert status == 1 and [d["code"] for d in diagnostics] == ["E001"]
    assert json.loads(check(capsys, "--format", "json", "a.odmd", ".")[1])["summary"]["files"] == 2


# ---- awkward but readable text -------------------------------------------------------------

def test_empty_file(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "e.odmd").write_text("")
    status, out, err = check(capsys, "e.odmd")
    assert (status, out, err) == (0, "", "no problems found\n")


def test_hundred_thousand_open_braces(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "deep.odmd").write_text("build a : cdk {" + "{" * 100_000)
    status, diagnostics = report(capsys, "deep.odmd")
    assert status == 1 and [d["code"] for d in diagnostics] == ["E001"]
    status, _out, err = check(capsys, "deep.odmd")
    assert "RecursionError" not in err
    assert max(len(line) for line in err.splitlines()) < 200  # the line is cut, not dumped


def test_very_long_line(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (in_tmp / "long.odmd").write_text('build a : cdk { repo = "' + "x" * 1_000_000 + '" @ }')
    status, _out, err = check(capsys, "long.odmd")
    assert status == 1
    assert "long.odmd:1:1000027" in err
    assert max(len(line) for line in err.splitlines()) < 200


# ---- the installed script, in a real process -----------------------------------------------

ODMDC = Path(sys.executable).parent / "odmdc"


def run_odmdc(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([str(ODMDC), *argv], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env=env, check=False)


@pytest.mark.skipif(not ODMDC.exists(), reason="the odmdc script is not installed next to python")
def test_subprocess_usage_error(in_tmp: Path) -> None:
    done = run_odmdc("check", "missing-dir", cwd=in_tmp)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "odmdc check: error: no such file or directory: missing-dir\n"


@pytest.mark.skipif(not ODMDC.exists(), reason="the odmdc script is not installed next to python")
def test_subprocess_bad_files(in_tmp: Path) -> None:
    os.mkfifo(in_tmp / "pipe.odmd")
    (in_tmp / "bad.odmd").write_bytes(b"org a { x = \x00 }")
    (in_tmp / "syntax.odmd").write_text(broken_build("a"))
    (in_tmp / "org.odmd").write_text(ORG)
    done = run_odmdc("check", ".", cwd=in_tmp)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "\x1b[" not in done.stderr  # not a terminal: no colour
    assert done.stderr.endswith("\n3 errors\n")
    for expected in ("error[E000]: file contains a NUL byte", "error[E000]: cannot read a named "
                     "pipe", "error[E001]: unexpected character `@`"):
        assert expected in done.stderr
