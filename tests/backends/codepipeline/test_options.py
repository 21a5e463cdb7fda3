"""Backend options (pydantic, validated when the backend runs) and what the backend reports as
E601 instead of emitting a pipeline it cannot make right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.cli import main
from odmdc.compiler.ir import IR
from tests.backends.codepipeline.orgs import EXAMPLES, compiled, connection, options_for
from tests.helpers import compile_ok, diagnose, emit

CENTRAL = "111111111111"


def diagnostics(ir: IR, options: dict[str, Any]) -> list[tuple[str, str, int]]:
    """The errors (not the W601 of an org whose `ci` is not codepipeline)."""
    out = emit(ir, ["codepipeline"], {"codepipeline": options})
    assert out.errors == []
    return [(d.code, d.message, d.span.line) for d in out.diagnostics if d.code != "W601"]


def test_an_org_deploying_with_another_engine_is_warned() -> None:
    shop, platform = compiled("shop"), compiled("platform")
    assert (shop.org.ci, platform.org.ci) == ("github_actions", "codepipeline")
    out = emit(shop, ["codepipeline"], {"codepipeline": options_for(shop)})
    assert [(d.code, d.severity.value, d.message) for d in out.diagnostics] == [(
        "W601", "warning", "codepipeline: org `coffee-shop` deploys with `github_actions`: no "
        "reaction starts these pipelines when a consumed product changes")]
    assert out.files  # a warning: the pipelines are still written
    out = emit(platform, ["codepipeline"], {"codepipeline": options_for(platform)})
    assert out.diagnostics == []


EAST = connection("us-east-1", CENTRAL)


def test_defaults() -> None:
    o = CodePipelineOptions(connections=[EAST])
    assert o.connections == [EAST]
    assert o.connection("us-east-1") == EAST
    assert o.connection("us-west-2") is None
    assert o.build_script == "odmd-build.sh"
    assert o.codebuild_image == "aws/codebuild/standard:7.0"
    assert o.npm_registry == "https://registry.npmjs.org/"
    assert o.npm_registry_host == "//registry.npmjs.org/"
    assert o.npm_token_secret is None
    assert o.log_retention_days == 30


def test_connections_sorted_by_region_and_one_may_be_a_string() -> None:
    west = connection("us-west-2", CENTRAL)
    assert CodePipelineOptions(connections=[west, EAST, EAST]).connections == [EAST, west]
    assert CodePipelineOptions.model_validate({"connections": EAST}).connections == [EAST]


@pytest.mark.parametrize(("options", "message"), [
    ({"connections": None}, "connections"),
    ({"connections": []}, "at least 1 item"),
    ({"connections": ["arn:aws:codestar:us-east-1:111111111111:x"]},
     "is not a CodeStar connection ARN"),
    ({"connections": [EAST, EAST.replace("0b7d", "ffff")]}, "two connections in us-east-1"),
    ({"connections": ["arn:aws:codeconnections:mars-1:111111111111:connection/a"]},
     "not a known AWS region"),
    ({"build_script": "../escape.sh"}, "without `..`"),
    ({"build_script": "a b.sh"}, "letters, digits"),
    ({"npm_registry": "http://registry.example.com"}, "an https URL"),
    ({"npm_token_secret": "arn:aws:secretsmanager:us-east-1:1:secret:x"}, "not its ARN"),
    ({"log_retention_days": 31}, "log_retention_days"),
    ({"compute_type": "HUGE"}, "compute_type"),
    ({"build_timeout_minutes": 3}, "greater than or equal to 5"),
    ({"release_region": "moon-1"}, "not a known region"),
    ({"connection": "x"}, "Extra inputs are not permitted"),
])
def test_invalid_options(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CodePipelineOptions.model_validate({"connections": [EAST], **options})


def test_invalid_options_are_a_backend_error() -> None:
    out = emit(compiled("multi"), ["codepipeline"], {"codepipeline": {"connection": "x"}})
    assert out.files == {}
    assert len(out.errors) == 1
    assert out.errors[0].startswith("backend `codepipeline`: invalid options")


def test_connections_are_required() -> None:
    with pytest.raises(ValidationError, match="connections\n  Field required"):
        CodePipelineOptions.model_validate({})


def test_npm_registry_gets_its_slash() -> None:
    o = CodePipelineOptions(connections=[EAST], npm_registry="https://npm.pkg.github.com")
    assert o.npm_registry == "https://npm.pkg.github.com/"
    assert o.npm_registry_host == "//npm.pkg.github.com/"


def test_missing_connection_is_one_error_per_region() -> None:
    ir = compiled("multi")
    opts = options_for(ir)
    opts["connections"] = [c for c in opts["connections"] if ":eu-west-1:" not in c]
    found = diagnostics(ir, opts)
    assert [(c, m) for c, m, _ in found] == [(
        "E601", "codepipeline: no CodeStar connection for region eu-west-1, where 3 enver(s) "
        "deploy from GitHub")]
    out = emit(ir, ["codepipeline"], {"codepipeline": opts})
    made = {p.removeprefix("codepipeline/").removesuffix(".pipeline.json") for p in out.files
            if p.endswith(".pipeline.json")}
    assert {"contracts/b..main-eu", "net/b..eu", "eu-app/b..main"}.isdisjoint(made)
    assert {"contracts/b..main", "net/b..main", "app/b..main"} <= made


def test_a_connection_in_another_region_only() -> None:
    ir = compiled("shop")
    opts = {"connections": [connection("eu-west-1", "590184031795")]}
    found = diagnostics(ir, opts)
    assert len(found) == 1  # the shop deploys to one region and has no npm package
    assert "no CodeStar connection for region us-west-1" in found[0][1]
    help_ = next(d.help for d in emit(ir, ["codepipeline"], {"codepipeline": opts}).diagnostics
                 if d.code == "E601")
    assert help_ == (
        "create a connection to GitHub in account 590184031795, us-west-1, and add its ARN "
        "(`arn:aws:codeconnections:us-west-1:590184031795:connection/…`) to `connections` in "
        "the org's `backend codepipeline { … }`")


def test_connection_in_another_account() -> None:
    ir = compiled("shop")
    found = diagnostics(ir, {"connections": [connection("us-west-1", "999999999999")]})
    assert [m for _, m, _ in found] == [
        "codepipeline: the connection for us-west-1 is in account 999999999999; the pipelines "
        "run in the central account 590184031795"]


def test_npm_package_needs_a_token_secret() -> None:
    ir = compiled("multi")
    opts = options_for(ir)
    del opts["npm_token_secret"]
    found = diagnostics(ir, opts)
    assert sorted(m for _, m, _ in found) == [
        f"codepipeline: `{e}` publishes an npm package, and the codepipeline option "
        "`npm_token_secret` is not set" for e in ("sdk.hotfix", "sdk.main", "sdk.stable")]


def _snippet(body: str) -> IR:
    return compile_ok(body)


def _opts(ir: IR) -> dict[str, Any]:
    return options_for(ir)


def test_approve_roles_must_be_role_arns() -> None:
    ir = _snippet("""
build a : cdk {
  repo = "acme/a"
  enver main = branch "main" in workspace1 "us-east-1" { produces { x: string } }
}
build b : cdk {
  repo = "acme/b"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes { x = a.main.x on_change approve("arn:aws:iam::111111111111:user/alice") }
  }
}
clone try of b.main = branch "try"
""")
    found = diagnostics(ir, _opts(ir))
    # reported once, at the consumer, though the clone shares it
    assert [(c, m) for c, m, _ in found] == [(
        "E601", "codepipeline: `approve` of `b.main`'s consumer `x` names "
        "'arn:aws:iam::111111111111:user/alice', not an IAM role ARN in partition `aws`")]


def test_work_dirs_must_stay_inside_and_cdk_has_one() -> None:
    ir = _snippet("""
build a : cdk {
  repo = "acme/a"
  work_dirs = ["cdk", "more"]
  enver main = branch "main" in workspace1 "us-east-1"
}
build c : cmd {
  repo = "acme/c"
  work_dirs = ["ok", "../up"]
  enver main = branch "main" in workspace1 "us-east-1"
}
""")
    found = sorted(m for _, m, _ in diagnostics(ir, _opts(ir)))
    assert found == [
        "codepipeline: `a`: a cdk build with 2 work_dirs; its pipeline synthesises and deploys "
        "one CDK app",
        "codepipeline: `c`: work_dirs entry '../up' is not a relative path of letters, digits "
        "and `_.-/`",
    ]


def test_consumers_that_share_variables() -> None:
    ir = _snippet("""
build a : cdk {
  repo = "acme/a"
  enver main = branch "main" in workspace1 "us-east-1" { produces { x: string } }
}
build b : cdk {
  repo = "acme/b"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes { in-x = a.main.x  in_x = a.main.x }
  }
}
""")
    assert [m for _, m, _ in diagnostics(ir, _opts(ir))] == [
        "codepipeline: consumers `in-x` and `in_x` of `b.main` map to the same variables "
        "`IN_X_VALUE`/`IN_X_PATH` in its builds"]


def test_products_that_share_an_output_key() -> None:
    ir = _snippet("""
build a : cdk {
  repo = "acme/a"
  enver main = branch "main" in workspace1 "us-east-1" {
    produces { bus-src: string { ev: string }  busSrc-ev: string }
  }
}
""")
    assert [m for _, m, _ in diagnostics(ir, _opts(ir))] == [
        "codepipeline: products `bus-src.ev` and `busSrc-ev` of `a.main` both read stack output "
        "`busSrcEv`"]


def test_project_names_that_meet_after_sanitising() -> None:
    ir = _snippet("""
build a : cmd {
  repo = "acme/a"
  enver one = branch "rel.1" in workspace1 "us-east-1"
  enver two = branch "rel-1" in workspace1 "us-east-1"
}
""")
    found = [m for _, m, _ in diagnostics(ir, _opts(ir))]
    assert found == ["codepipeline: the CodeBuild projects of `a.two` and `a.one` get the same "
                     "names once `.` becomes `-`"]


def test_compile_without_connections_fails(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """`odmdc compile --backend codepipeline` for an org with no `backend codepipeline`
    block: exit 1, nothing written, and a message naming the missing option."""
    out = tmp_path / "out"
    assert main(["compile", str(EXAMPLES / "shop"), "-o", str(out),
                 "--backend", "codepipeline"]) == 1
    err = capsys.readouterr().err
    assert "error[E004]: backend `codepipeline` needs option `connections`" in err
    assert not out.exists()


def test_an_org_naming_the_backend_needs_connections_when_checked() -> None:
    """Listing codepipeline in `backends` without a block is E004 on the org's name; with a
    block, an invalid ARN is E003 on its value."""
    org = ('org acme {\n  accounts {\n    central = "111111111111"\n  }\n'
           '  backends = [codepipeline]\n}\n'
           'build contracts : contracts_lib {\n  repo = "acme/contracts"\n'
           '  enver main = branch "main" in central "us-east-1"\n}\n')
    (d,) = diagnose(org, prelude=False)
    assert (d.code, d.message, d.span.line) == (
        "E004", "backend `codepipeline` needs option `connections`", 1)
    bad = org.replace("  backends = [codepipeline]\n",
                      '  backends = [codepipeline]\n  backend codepipeline {\n'
                      '    connections = ["arn:aws:s3:::bucket"]\n  }\n')
    (d,) = diagnose(bad, prelude=False)
    assert d.code == "E003" and d.span.line == 7
    assert "is not a codestar connection arn" in d.message
    good = org.replace("  backends = [codepipeline]\n",
                       f'  backends = [codepipeline]\n  backend codepipeline {{\n'
                       f'    connections = "{EAST}"\n  }}\n')
    ir = compile_ok(good, prelude=False)
    out = emit(ir, ["codepipeline"])  # the options come from the org's block
    assert out.errors == []
    assert [d.code for d in out.diagnostics] == ["W601"]  # the org's `ci` is the default
    assert "codepipeline/contracts/b..main.pipeline.json" in out.files
