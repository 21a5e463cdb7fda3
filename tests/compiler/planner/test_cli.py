"""`odmdc plan` and `odmdc impact` end to end: output streams and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from odmdc.cli import main
from tests.compiler.planner.test_plan import NETWORKING_LOGGING
from tests.helpers import PRELUDE


@pytest.fixture
def org(tmp_path: Path) -> Path:
    (tmp_path / "prelude.odmd").write_text(PRELUDE)
    (tmp_path / "main.odmd").write_text(NETWORKING_LOGGING)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_plan_json(org: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "plan", str(org), "--format", "json")
    assert (status, err) == (0, "")
    phases = json.loads(out)["phases"]
    assert [[(s["enver"], s["action"], s["uses_placeholders"]) for s in p["steps"]]
            for p in phases] == [
        [("contracts.main", "deploy", []), ("networking.main", "deploy", ["flow-log-group"])],
        [("logging.main", "deploy", [])],
        [("networking.main", "update", [])],
    ]


def test_plan_text_for_one_enver(org: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "plan", str(org), "--enver", "logging.main")
    assert (status, err) == (0, "")
    assert out.startswith("plan: 3 phases, 2 envers; 1 consumer starts on a placeholder\n")
    assert "contracts.main" not in out


def test_plan_unknown_enver_is_a_usage_error(org: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "plan", str(org), "--enver", "loging.main")
    assert (status, out) == (2, "")
    assert err == ("odmdc plan: error: unknown enver `loging.main`; "
                   "did you mean `logging.main`?\n")


def test_plan_of_broken_contracts_prints_diagnostics(org: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    broken = NETWORKING_LOGGING.replace("logging.main.flow", "loggin.main.flow")
    (org / "main.odmd").write_text(broken)
    status, out, err = run(capsys, "plan", str(org), "--color", "never")
    assert (status, out) == (1, "")
    assert "error[E201]" in err and "did you mean `logging`?" in err
    status, out, err = run(capsys, "plan", str(org), "--format", "json")
    assert (status, err) == (1, "")
    assert [d["code"] for d in json.loads(out)["diagnostics"]] == ["E201"]


def test_non_errors_go_to_stderr_and_the_plan_to_stdout(
        org: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (org / "spare.odmd").write_text("""
build spare : cdk {
  repo = "acme/spare"
  enver main = branch "main" in workspace1 "us-east-1" {
    produces { unread: string }
  }
}
""")
    status, out, err = run(capsys, "plan", str(org), "--format", "json", "--enable", "W301",
                           "--color", "never")
    assert status == 0
    assert "phases" in json.loads(out)
    assert "info[W301]: no consumer reads product `unread` of `spare.main`" in err


def test_plan_of_an_unbreakable_cycle_is_e306(org: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    text = NETWORKING_LOGGING.replace(
        'default "arn:aws:logs:us-east-1:222222222222:log-group:bootstrap"', "")
    (org / "main.odmd").write_text(text)
    status, out, err = run(capsys, "plan", str(org), "--color", "never")
    assert (status, out) == (1, "")
    assert "error[E306]" in err
    assert "main.odmd" in err


def test_impact_json_and_text(org: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "impact", "networking.main.hosted-zone", str(org),
                           "--format", "json")
    assert (status, err) == (0, "")
    report = json.loads(out)
    assert report["product"] == "networking.main.hosted-zone"
    assert [[e["enver"] for e in w["envers"]] for w in report["waves"]] == [
        ["logging.main"], ["networking.main"]]
    status, out, err = run(capsys, "impact", "networking.main.hosted-zone", str(org))
    assert (status, err) == (0, "")
    assert out.startswith("impact of a change to networking.main.hosted-zone "
                          "(/odmd-share/networking/b..main/hosted-zone): 2 envers in 2 waves\n")


def test_impact_unknown_product(org: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "impact", "networking.main.hosted-zon", str(org))
    assert (status, out) == (2, "")
    assert "did you mean `networking.main.hosted-zone`?" in err


def test_impact_paths_default_to_the_working_directory(
        org: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(org)
    status, out, _ = run(capsys, "impact", "logging.main.flow-log-group")
    assert status == 0
    assert "networking.main  redeploys" in out
