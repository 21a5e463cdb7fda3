"""odmd's deploy-time helper itself, in process, its `aws` answered by a stand-in: the
publishing rules of cases.py, and what the step glue of both engines relies on (messages,
exit statuses, how values reach the AWS CLI)."""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from odmdc.backends.runtime import helper
from tests.backends.runtime.cases import CASES, IDS, Case, lay_out, message, schema_key

ENVER = "api.master"
STACKS = ["api--master", "api-data--master"]
BUCKET = "kitchen-artifacts"


def document() -> dict[str, Any]:
    return {
        "id": ENVER, "build": "api", "kind": "cdk", "account": "222222222222",
        "region": "us-west-1", "revision": {"kind": "branch", "value": "master",
                                            "path": "b..master"},
        "clone_of": None, "clone_origin": None, "create": False,
        "build_role_arn": "arn:aws:iam::222222222222:role/api/build",
        "center_role_arn": "arn:aws:iam::111111111111:role/api/center",
        "artifact_bucket_parameter": "/odmd-config/api/buildArtifactBucketName/222222222222",
        "stacks": STACKS,
        "products": [
            {"name": "endpoint", "path": "/odmd-share/api/b..master/endpoint",
             "s3artifact": False, "output_key": "endpoint"},
            {"name": "endpoint.schema", "path": "/odmd-share/api/b..master/endpoint/schema",
             "s3artifact": True, "output_key": "endpointSchema"},
        ],
        "consumers": [], "images": [],
    }


class FakeAws:
    """The answers a publish needs, and the calls made."""

    def __init__(self, outputs: dict[str, dict[str, str]]) -> None:
        self.outputs = outputs
        self.calls: list[tuple[str, ...]] = []
        self.store: dict[str, str] = {}

    def __call__(self, *args: str, region: str | None, profile: str | None = None,
                 output: bool = True) -> Any:
        self.calls.append(args)
        if args[:2] == ("cloudformation", "describe-stacks"):
            outputs = self.outputs[args[3]]
            return {"Stacks": [{"Outputs": [{"OutputKey": k, "OutputValue": v}
                                            for k, v in outputs.items()]}]}
        if args[:2] == ("ssm", "get-parameter"):
            return {"Parameter": {"Value": BUCKET}}
        if args[:2] == ("ssm", "get-parameters"):
            return {"Parameters": []}
        if args[:2] == ("ssm", "put-parameter"):
            spec = json.loads(args[3])
            self.store[spec["Name"]] = spec["Value"]
            return {"Version": 1}
        assert args[:2] == ("s3", "cp"), args
        return None


def publish(case: Case, root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[FakeAws, int]:
    fake = FakeAws(dict(zip(STACKS, case.outputs, strict=True)))
    monkeypatch.setattr(helper, "aws", fake)
    monkeypatch.setenv("ODMD_ENVER_JSON", json.dumps(document()))
    products = root.parent / "products.json"
    monkeypatch.setenv("ODMD_PRODUCTS_FILE", str(products))
    if case.products is not None:
        products.write_text(json.dumps(case.products))
    args = argparse.Namespace(run=helper.cmd_publish, stack_outputs=True, images=False,
                              products_file=[str(products)], root=str(root))
    return fake, helper.run(args)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_publishing_rules(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "checkout"
    root.mkdir()
    lay_out(case, root)
    fake, status = publish(case, root, monkeypatch)
    err = capsys.readouterr().err
    if case.error is not None:
        assert status == 1
        assert f"odmd: error: {message(case, ENVER, STACKS, str(root))}\n" in err
        assert not [c for c in fake.calls if c[:2] in (("s3", "cp"), ("ssm", "put-parameter"))]
        return
    assert status == 0, err
    key = schema_key(case, "/odmd-share/api/b..master/endpoint/schema")
    assert fake.store == {"/odmd-share/api/b..master/endpoint": case.endpoint,
                          "/odmd-share/api/b..master/endpoint/schema": f"s3://{BUCKET}/{key}"}
    [upload] = [c for c in fake.calls if c[:2] == ("s3", "cp")]
    assert upload[3] == f"s3://{BUCKET}/{key}"


def test_messages_cannot_start_a_workflow_command(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    helper.say("error", "branch `x`\n::error::forged 100%\r")
    assert capsys.readouterr().out == \
        "::error title=odmd::branch `x`%0A::error::forged 100%25%0D\n"
    monkeypatch.delenv("GITHUB_ACTIONS")
    helper.say("warning", "plain")
    assert capsys.readouterr().err == "odmd: warning: plain\n"


def test_exit_statuses(monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str]) -> None:
    """0 done, 1 a failure said in one message (the CLI's own words first), 2 usage."""
    def denied(args: argparse.Namespace) -> None:
        raise helper.AwsError(["ssm", "get-parameters", "--names", "/x"],
                              "An error occurred (AccessDeniedException) when calling …")
    assert helper.run(argparse.Namespace(run=denied)) == 1
    err = capsys.readouterr().err
    assert err == ("An error occurred (AccessDeniedException) when calling …\n"
                   "odmd: error: `aws ssm get-parameters` failed (AccessDeniedException)\n")
    assert helper.run(argparse.Namespace(run=lambda args: None)) == 0
    with pytest.raises(SystemExit) as exited:
        helper.main(["deploy"])
    assert exited.value.code == 2


def test_values_reach_the_cli_as_json_never_as_arguments(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`--value file://x` would publish the file's content, `--value -x` is taken for an
    option: a value travels in --cli-input-json, whatever it holds."""
    seen: list[list[str]] = []

    class Done:
        returncode, stdout, stderr = 0, "{}", ""

    def fake_run(cmd: list[str], **kw: Any) -> Done:
        seen.append(cmd)
        return Done()

    monkeypatch.setattr(subprocess, "run", fake_run)
    monkeypatch.setattr(helper, "HERE", "/nonexistent")
    monkeypatch.setattr(helper, "center_config", lambda: "/nonexistent/aws-config")
    for value in ("file:///etc/passwd", "-x", "a\nb"):
        helper.put_parameter("/odmd-share/b/p", value, "eu-west-1")
        cmd = seen[-1]
        assert cmd[:5] == ["aws", "--profile", "odmd-center", "ssm", "put-parameter"]
        assert value not in cmd
        assert json.loads(cmd[cmd.index("--cli-input-json") + 1])["Value"] == value


def test_every_missing_consumer_is_named(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    doc = {**document(), "consumers": [
        {"name": "a", "var": "A", "path": "/p/a", "default": None},
        {"name": "b", "var": "B", "path": "/p/b", "default": "dflt"},
        {"name": "c", "var": "C", "path": "/p/c", "default": None},
    ]}
    monkeypatch.setattr(helper, "HERE", str(tmp_path))
    monkeypatch.setattr(helper, "read_parameters", lambda names, region: {})
    with pytest.raises(helper.Failure) as failed:
        helper.consume(doc)
    assert str(failed.value) == ("not published yet and without a default: `a` (`/p/a`), `c` "
                                 "(`/p/c`); deploy the producers first (odmdc plan)")
    assert not (tmp_path / "consumes.json").exists()
    monkeypatch.setattr(helper, "read_parameters", lambda names, region: {"/p/a": "1",
                                                                          "/p/c": "3"})
    assert helper.consume(doc) == {"a": "1", "b": "dflt", "c": "3"}


@pytest.mark.parametrize(("given", "key"), [
    ("schema.json", "p/x/d.json"), ("api/.schema", "p/x/d"), ("a.tar.gz", "p/x/d.gz"),
    ("dir.v2/README", "p/x/d"), ("a..b.json", "p/x/d.json"),
])
def test_artifact_keys(given: str, key: str) -> None:
    assert helper.artifact_key("/p/x", "d", given) == key
