"""`.pre-commit-config.yaml` runs only tools `make install-test` installs, on what exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from tools.commit_subject import problems

ROOT = Path(__file__).resolve().parents[1]


def test_every_hook_runs_an_installed_tool_on_real_paths() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    assert {h["id"] for h in hooks} >= {"ruff", "mypy", "import-contracts", "odmdc-fmt"}
    for hook in hooks:
        assert hook["language"] == "system"
        tool, *args = shlex.split(hook["entry"])
        assert (ROOT / tool).name in {p.name for p in (ROOT / ".venv" / "bin").iterdir()}, tool
        for arg in args:
            if "/" in arg or arg == "examples":
                assert (ROOT / arg.split("::")[0]).exists(), arg
        if "files" in hook:
            tracked = [str(p.relative_to(ROOT)) for top in ("examples", "odmdc", "docs")
                       for p in (ROOT / top).rglob("*") if p.is_file()]
            assert any(re.search(hook["files"], p) for p in tracked), hook["id"]


def test_the_commit_message_hook() -> None:
    assert problems("Move the CLI to odmdc/cli\n\nBecause layers point one way.\n") == []
    assert problems("x" * 73 + "\n")[0].startswith("the subject is 73 characters long")
    assert problems("Subject\nbody right below\n") == ["a blank line must follow the subject"]
    assert problems("# only a comment\n") == ["the message has no subject line"]
