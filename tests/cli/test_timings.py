"""`--timings FILE` on `check` and `compile`: the documented stage breakdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from odmdc.cli import main
from tests.helpers import PRELUDE

KEYS = {"parse", "check", "plan", "backends", "write", "total", "files_written",
        "bytes_written", "peak_rss_mb"}


@pytest.fixture
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    build = 'build b : cdk {\n  repo = "a/b"\n  enver main = branch "main" in workspace1 "x"\n}\n'
    (tmp_path / "org.odmd").write_text(PRELUDE + build.replace('"x"', '"us-east-1"'))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_timings(org: Path) -> None:
    assert main(["check", ".", "--timings", "t.json"]) == 0
    t = json.loads(Path("t.json").read_text())
    assert set(t) == KEYS
    # check runs the org's backends' own checks (so that a clean check compiles), writes nothing
    assert set(t["backends"]) == {"cloudformation", "github_actions", "ssm"}
    assert t["files_written"] == t["bytes_written"] == 0
    assert 0 < t["parse"] <= t["total"] and t["peak_rss_mb"] > 10


def test_compile_timings(org: Path) -> None:
    assert main(["compile", ".", "-o", "out", "--backend", "ssm", "--timings", "t.json"]) == 0
    t = json.loads(Path("t.json").read_text())
    assert set(t) == KEYS and set(t["backends"]) == {"ssm"}
    written = [p for p in Path("out").rglob("*") if p.is_file() and p.name != ".odmdc-state.json"]
    assert t["files_written"] == len(written)
    assert t["bytes_written"] == sum(p.stat().st_size for p in written)
    assert t["parse"] + t["check"] + t["plan"] + t["backends"]["ssm"] + t["write"] <= t["total"]
    assert main(["compile", ".", "-o", "out", "--backend", "ssm", "--timings", "t.json"]) == 0
    assert json.loads(Path("t.json").read_text())["files_written"] == 0


def test_check_without_the_backends(org: Path) -> None:
    assert main(["check", ".", "--no-backends", "--timings", "t.json"]) == 0
    t = json.loads(Path("t.json").read_text())
    assert t["backends"] == {} and t["plan"] == 0
