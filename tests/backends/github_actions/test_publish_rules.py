"""The publishing rules both CI engines follow (tests/backends/runtime/cases.py), as a GitHub
workflow's deploy job runs them: its "publish the products" step for `api.master` of the
allkinds org (a cdk enver with the cases' products, plus `config-table`, and two stacks), with
the fake AWS CLI."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from odmdc.backends.github_actions.scripts import SETUP_STEP
from odmdc.compiler import naming
from tests.backends.github_actions.runner import Runner, step, workflow
from tests.backends.runtime.cases import CASES, IDS, Case, lay_out, message, schema_key

API = "ODMD_api-CdkGHus-west-1-workspace1.yaml"
STACKS = ["api--master", "api-data--master"]


def _expressions(doc: dict[str, Any]) -> dict[str, str]:
    """What the resolve job hands a deployment of `api.master` (tests/test_resolve.py runs it)."""
    _, resolve = step(doc, "resolve", "resolve the ref to an enver")
    entry = json.loads(resolve["env"]["ODMD_ENVERS"])["b..master"]
    plan = {k: v for k, v in entry.items() if k != "clone_templates"}
    return {"needs.resolve.outputs.enver": "api.master",
            "needs.resolve.outputs.revision": "b..master",
            "needs.resolve.outputs.plan": json.dumps(plan)}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_publishing_rules(case: Case, runner: Runner, allkinds: dict[str, str]) -> None:
    doc = workflow(allkinds, API)
    expressions = _expressions(doc)
    job, setup = step(doc, "deploy", SETUP_STEP)
    r = runner.run(job, setup, expressions)
    assert r.returncode == 0, r.stdout + r.stderr
    workspace = r.odmd_dir.parent.parent / "workspace"
    lay_out(case, workspace)
    if case.products is not None:  # what the build wrote
        (r.odmd_dir / "products.json").write_text(json.dumps(case.products))
    first, second = case.outputs
    runner.aws["stacks"] = {STACKS[0]: {**first, "configTable": "orders"}, STACKS[1]: second}
    runner.aws["target_ssm"] = {
        naming.artifact_bucket_parameter("api", "222222222222"): "kitchen-artifacts"}
    _, publish = step(doc, "deploy", "publish the products")
    r = runner.run(job, publish, expressions, same_job=True)
    errors = [m for c, m in r.commands if c == "error"]
    if case.error is not None:
        assert r.returncode == 1, r.stdout + r.stderr
        assert errors == [message(case, "api.master", STACKS, os.path.realpath(workspace))]
        assert not [c for c in r.calls if c["operation"] in ("put-parameter", "cp")]
        return
    assert r.returncode == 0 and errors == [], r.stdout + r.stderr
    key = schema_key(case, "/odmd-share/api/b..master/endpoint/schema")
    assert r.ssm == {"/odmd-share/api/b..master/endpoint": case.endpoint,
                     "/odmd-share/api/b..master/config-table": "orders",
                     "/odmd-share/api/b..master/endpoint/schema": f"s3://kitchen-artifacts/{key}"}
