"""`odmdc check` runs the rules and then the backends' own checks, so that contracts that check
clean compile; `--no-backends` runs the rules only."""

from __future__ import annotations

from pathlib import Path

import pytest

from odmdc.cli import main
from tests.helpers import PRELUDE

# GitHub cannot name a repository without its owner: the github_actions backend says so (E601)
ORG = PRELUDE + """
build orders : cdk {
  repo = "orders"
  enver main = branch "main" in workspace1 "us-east-1"
}
"""


def test_check_finds_what_compile_would_reject(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "org.odmd").write_text(ORG)
    monkeypatch.chdir(tmp_path)
    assert main(["check", ".", "--color", "never"]) == 1
    err = capsys.readouterr().err
    assert "error[E601]: github_actions: `repo = \"orders\"` of build `orders` is not a " \
           "GitHub repository `owner/name`" in err
    assert main(["compile", ".", "-o", "out", "--color", "never"]) == 1
    assert "error[E601]" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    # the rules alone find nothing; another backend's check does not look at repositories
    assert main(["check", ".", "--no-backends"]) == 0
    assert main(["check", ".", "--backend", "ssm"]) == 0
