"""`odmdc clone`: text and JSON output, exit statuses, stdin."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pytest

from odmdc.cli import main
from odmdc.cli.clone import CloneReport
from tests.compiler.rules.e4xx_clones.shared import ORDERS
from tests.helpers import PRELUDE

MESSAGE = """\
feat(orders): retry failed payments

Retries use exponential back-off.

odmd: create@main

Signed-off-by: Jane Doe <jane@example.com>
"""


@pytest.fixture
def contracts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "prelude.odmd").write_text(PRELUDE)
    (tmp_path / "orders.odmd").write_text(ORDERS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def clone(capsys: pytest.CaptureFixture[str], message: str, *args: str,
          branch: str = "feature-x", build: str = "orders") -> tuple[int, str, str]:
    status = main(["clone", ".", "--build", build, "--branch", branch, "--message", message,
                   "--color", "never", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_create_text(contracts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = clone(capsys, MESSAGE)
    assert (status, err) == (0, "")
    role = "orders-us-east-1222222222222"
    assert out == textwrap.dedent(f"""\
        clone `orders.feature-x` of `orders.main`
          revision      branch "feature-x"
          revision path b..main-_b..feature-x
          target        workspace1 (222222222222) us-east-1
          stacks        orders--feature-x
          products      /odmd-share/orders/b..main-_b..feature-x/api             url
                        /odmd-share/orders/b..main-_b..feature-x/api/schema-url  schema
          consumes      vpc-id  /odmd-share/network/b..main/vpc-id  from `network.main`
          build role    arn:aws:iam::222222222222:role/orders/{role}-buildRole (shared with `orders.main`)
          center role   arn:aws:iam::111111111111:role/orders/{role}-centerRole (shared with `orders.main`)
          workflow      ODMD_orders-CdkGHus-east-1-workspace1.yaml (shared with `orders.main`)
        """)  # noqa: E501


def test_create_json(contracts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = clone(capsys, MESSAGE, "--format", "json")
    assert (status, err) == (0, "")
    report = CloneReport.model_validate_json(out)
    assert (report.action, report.ok, report.build, report.branch) == \
        ("create", True, "orders", "feature-x")
    assert report.clone is not None
    assert report.clone.revision.path == "b..main-_b..feature-x"
    assert report.clone.names.stacks == ("orders--feature-x",)
    assert report.clone.location.file == "<commit message>"
    assert report.clone.location.line == 5
    assert report.diagnostics == [] and report.summary.errors == 0
    assert json.loads(out)["clone"]["clone_of"] == "orders.main"


def test_malformed_command_text(contracts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = clone(capsys, MESSAGE.replace("create@main", "create main"))
    assert (status, out) == (1, "")
    assert err == textwrap.dedent("""\
        error[E406]: `odmd: create` needs `@<origin>` right after `create`
         --> <commit message>:5:7
          |
        5 | odmd: create main
          |       ^^^^^^^^^^^ expected `create@<branch or tag>`
          |
          = help: write `odmd: create@main`

        1 error
        """)


def test_rule_errors_json(contracts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = clone(capsys, "odmd: create@main", "--format", "json", branch="main")
    assert status == 1
    report = CloneReport.model_validate_json(out)
    assert (report.action, report.ok, report.clone) == ("create", False, None)
    (d,) = report.diagnostics
    assert (d.code, d.location.file, d.location.line) == ("E403", "<commit message>", 1)
    assert d.secondary[0].location.file == "orders.odmd"
    assert report.summary.errors == 1 and report.summary.files == 2


def test_delete_text(contracts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (contracts / "clones.odmd").write_text('clone feature-x of orders.main = branch "feature-x"\n')
    status, out, err = clone(capsys, "Done\n\nodmd: delete\n")
    assert (status, err) == (0, "")
    assert out == textwrap.dedent("""\
        `odmd: delete` removes clone `orders.feature-x` of `orders.main`:
          revision      branch "feature-x"
          revision path b..main-_b..feature-x
          stacks        orders--feature-x
          products      /odmd-share/orders/b..main-_b..feature-x/api             url
                        /odmd-share/orders/b..main-_b..feature-x/api/schema-url  schema
          (its roles and workflow are shared with `orders.main` and stay)
        """)


def test_delete_of_an_undeclared_branch(contracts: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = clone(capsys, "odmd: delete", build="network", branch="fx")
    assert status == 0
    assert out == textwrap.dedent("""\
        branch `fx` is not a declared clone, so which enver it was made from depends on the `odmd: create@…` that made it; `odmd: delete` removes, for each enver of `network` it could be a clone of:

        if made from `network.main`:
          revision      branch "fx"
          revision path b..main-_b..fx
          stacks        network--fx
          products      /odmd-share/network/b..main-_b..fx/vpc-id  string

        if made from `network.v1`:
          revision      branch "fx"
          revision path t..v1.0.0-_b..fx
          stacks        network--fx
          products      /odmd-share/network/t..v1.0.0-_b..fx/vpc-id  string

        (roles and workflows are shared with the origin and stay)
        """)  # noqa: E501
    status, out, _ = clone(capsys, "odmd: delete", "--format", "json", build="network",
                           branch="fx")
    report = CloneReport.model_validate_json(out)
    assert (report.action, report.origin_known) == ("delete", False)
    assert [e.clone_of for e in report.removes] == ["network.main", "network.v1"]


def test_nothing_to_do(contracts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = clone(capsys, "Fix typo\n\nSee odmd: create@main in the docs.\n")
    assert (status, err) == (0, "")
    assert out == (
        "nothing to do: the commit message has no `odmd:` command\n"
        "  note: `odmd:` at <commit message>:3:5 is inside a line, so it is not a command; a "
        "command starts its line\n")
    status, out, _ = clone(capsys, "Fix typo", "--format", "json")
    report = CloneReport.model_validate_json(out)
    assert (status, report.action, report.ok, report.ignored) == (0, "none", True, [])


def test_message_from_stdin(contracts: Path, capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    crlf = MESSAGE.replace("\n", "\r\n").encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(crlf)))
    status, out, _ = clone(capsys, "-", "--format", "json")
    report = CloneReport.model_validate_json(out)
    assert status == 0 and report.clone is not None and report.clone.id == "orders.feature-x"


def test_refs_heads_is_dropped(contracts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = clone(capsys, MESSAGE, branch="refs/heads/feature-x")
    assert status == 0 and out.startswith("clone `orders.feature-x` of `orders.main`\n")


@pytest.mark.parametrize(("args", "error"), [
    (["--build", "ordrs", "--branch", "x", "--message", "odmd: delete"],
     "odmdc clone: error: no build `ordrs` in the contracts; did you mean `orders`?\n"),
    (["--build", "orders", "--branch", "refs/tags/v2", "--message", "odmd: delete"],
     "odmdc clone: error: 'refs/tags/v2' is a tag: clones are made on branches\n"),
    (["--build", "orders", "--branch", " ", "--message", "odmd: delete"],
     "odmdc clone: error: --branch is empty\n"),
])
def test_usage_errors(contracts: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                      error: str) -> None:
    assert main(["clone", ".", *args]) == 2
    assert capsys.readouterr().err == error


def test_missing_options(contracts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["clone", ".", "--build", "orders", "--branch", "x"])
    assert exit_.value.code == 2
    assert "--message" in capsys.readouterr().err


def test_output_holds_the_org_after_the_push(contracts: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    clone_env = Path("out/ssm/env/orders/b..main-_b..feature-x.env")
    status, _, err = clone(capsys, MESSAGE, "-o", "out", "--backend", "ssm")
    assert status == 0, err
    assert clone_env.is_file()
    paths = json.loads(Path("out/ssm/paths.json").read_text())
    assert "/odmd-share/orders/b..main-_b..feature-x/api" in {p["path"] for p in paths["products"]}
    # the delete that follows compiles the org without the clone: its files go
    status, _, err = clone(capsys, "odmd: delete", "-o", "out", "--backend", "ssm")
    assert status == 0, err
    assert not clone_env.exists()
    assert Path("out/ssm/env/orders/b..main.env").is_file()
    # a message with no command writes nothing
    before = Path("out/manifest.json").stat().st_mtime_ns
    status, _, _ = clone(capsys, "fix typo", "-o", "out", "--backend", "ssm")
    assert status == 0 and Path("out/manifest.json").stat().st_mtime_ns == before
