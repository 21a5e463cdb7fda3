"""The publishing rules both CI engines follow (tests/backends/runtime/cases.py), as a CodeBuild
project's Deploy command runs them: the embedded helper's `publish` of the multi org's
`app.main` (a cdk enver with the cases' products and two stacks), fake_cli.py answering."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.backends.codepipeline.sandbox import Sandbox, enver_json
from tests.backends.runtime.cases import CASES, IDS, Case, lay_out, message, schema_key

STACKS = ["app--main", "app-data--main"]
BUCKET_PARAMETER = "/odmd-config/app/buildArtifactBucketName/222222222222"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_publishing_rules(case: Case, box: Sandbox) -> None:
    box.env["ODMD_ENVER_JSON"] = enver_json("app.main")
    done = box.run("env", "--assume-build-role")
    assert done.returncode == 0, done.stderr
    env = box.env_from(done.stdout)
    root = box.root / "src"
    root.mkdir()
    lay_out(case, root)
    if case.products is not None:
        Path(env["ODMD_PRODUCTS_FILE"]).write_text(json.dumps(case.products))
    box.set(stacks=dict(zip(STACKS, case.outputs, strict=True)),
            target_parameters={BUCKET_PARAMETER: "odmd-app-bucket"})
    # as the Deploy project's buildspec calls it
    done = box.run("publish", "--stack-outputs", "--products-file", env["ODMD_PRODUCTS_FILE"],
                   "--root", str(root), extra_env=env)
    if case.error is not None:
        assert done.returncode == 1, done.stderr
        text = message(case, "app.main", STACKS, os.path.realpath(root))
        assert f"odmd: error: {text}\n" in done.stderr
        assert not box.aws("s3", "cp") and not box.aws("ssm", "put-parameter")
        return
    assert done.returncode == 0, done.stderr
    key = schema_key(case, "/odmd-share/app/b..main/endpoint/schema")
    assert box.state["parameters"] == {
        "/odmd-share/app/b..main/endpoint": case.endpoint,
        "/odmd-share/app/b..main/endpoint/schema": f"s3://odmd-app-bucket/{key}"}
