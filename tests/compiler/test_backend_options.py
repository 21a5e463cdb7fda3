"""`backend NAME { option = value }` in the org: checked against the backend's Options model,
carried in the IR, handed to the backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import PRELUDE, check, diagnose, emit

BUILD = """
build orders : cdk {
  repo = "acme/orders"
  enver main = branch "main" in workspace1 "us-east-1"
}
"""


def _with(block: str) -> dict[str, str]:
    prelude = PRELUDE.replace("  }\n}", "  }\n" + block + "}", 1)
    return {"prelude.odmd": prelude, "main.odmd": BUILD}


def test_options_reach_the_ir_and_the_backend() -> None:
    result = check(_with('  backends = [ssm]\n  backend github_actions {\n'
                         '    github_token_secret = "ci/github"\n  }\n'), prelude=False)
    assert result.diagnostics == []
    assert result.ir is not None
    assert result.ir.org.backend_options == {
        "github_actions": {"github_token_secret": "ci/github"}}
    assert emit(result.ir, ["ssm"]).errors == []


def test_unknown_option_is_e003_on_its_name() -> None:
    (d,) = diagnose(_with('  backend ssm {\n    colour = "blue"\n  }\n'), prelude=False)
    assert (d.code, d.message) == ("E003", "backend `ssm` has no option `colour`")
    assert d.span.line == 8 and d.span.column == 5


def test_mistyped_option_is_e003_on_its_value() -> None:
    (d,) = diagnose(_with('  backend github_actions {\n    github_token_secret = 12\n  }\n'),
                    prelude=False)
    assert d.code == "E003"
    assert d.message.startswith("option `github_token_secret` of backend `github_actions`:")
    assert d.span.column == 27


def test_an_option_of_another_backend_says_where_it_goes() -> None:
    # the GitHub dispatch options were the cloudformation backend's until the CI engines
    (d,) = diagnose(_with('  backend cloudformation {\n    github_api_url = "https://x.y"\n'
                          '  }\n'), prelude=False)
    assert (d.code, d.message) == ("E003", "backend `cloudformation` has no option "
                                           "`github_api_url`")
    assert d.help == ("`github_api_url` is an option of `github_actions`: write it in "
                      "`backend github_actions { … }`")


def test_unknown_backend_block_is_e003() -> None:
    (d,) = diagnose(_with("  backend nosuch {\n  }\n"), prelude=False)
    assert (d.code, d.message) == ("E003", "no backend named `nosuch` is installed")


def test_duplicate_backend_block_is_e002() -> None:
    (d,) = diagnose(_with("  backend ssm {\n  }\n  backend ssm {\n  }\n"), prelude=False)
    assert d.code == "E002"


def test_backend_named_on_the_command_line_gets_its_options_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from odmdc.cli import main

    for name, text in _with("").items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    assert main(["compile", ".", "-o", "out", "--backend", "codepipeline"]) == 1
    err = capsys.readouterr().err
    assert "error[E004]: backend `codepipeline` needs option `connections`" in err
    assert not (tmp_path / "out").exists()
