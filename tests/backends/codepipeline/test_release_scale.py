"""The release pipeline of company-sized orgs (`benchmarks.synth`): a thousand envers compile,
in batches, within every quota (read back independently, `release_check.py`), following the
plan, each runner naming exactly its pipelines and parameters; every validator the small
orgs' files pass (botocore's CreatePipeline shape, the semantic validator, cfn-lint, moto's
CreatePipeline, the template declaring the same pipeline) passes; a hundred envers still get
one action per step."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from benchmarks.synth import generate
from odmdc.backends.codepipeline.names import pipeline_of
from odmdc.compiler.ir import IR
from odmdc.compiler.planner.plan import plan
from tests.backends.codepipeline.moto_api import client
from tests.backends.codepipeline.orgs import options_for, run
from tests.backends.codepipeline.release_check import (
    actions,
    phase_of,
    quota_breaches,
    runners,
    templates,
)
from tests.backends.codepipeline.test_pipelines import api_casing, resolved
from tests.helpers import compile_ok


@functools.cache
def synth(n: int) -> tuple[IR, dict[str, bytes]]:
    """The synthetic org of about `n` envers and its release files."""
    ir = compile_ok(generate(n), prelude=False)
    return ir, {p: b for p, b in run(ir, options_for(ir)).items() if p.startswith("release.")}


def test_a_thousand_envers_release_in_batches_within_every_quota() -> None:
    ir, files = synth(1000)
    assert len(ir.envers()) >= 1000
    assert quota_breaches(files) == []
    assert {"release.pipeline.json", "release.template.json",
            "release.runner-1.template.json"} <= set(files)
    acts = actions(files)
    assert all(a.parameter for a in acts)  # 1,058 steps: one action each would not fit
    assert len(acts) < 100  # about 80 steps a batch


def test_the_batches_follow_the_plan() -> None:
    """Every step of `odmdc plan` once, in its phase's stages, the phases in order."""
    ir, files = synth(1000)
    acts = actions(files)
    order = [phase_of(a.stage) for a in acts]
    assert order == sorted(order)
    ran: dict[int, list[str]] = {}
    for a in acts:
        ran.setdefault(phase_of(a.stage), []).extend(a.steps)
    assert ran == {
        phase.index: [f"{s.action} {pipeline_of(ir.enver(s.enver))} "
                      f"{ir.enver(s.enver).region}" for s in phase.steps]
        for phase in plan(ir).plan.phases}


def test_runners_may_start_exactly_their_pipelines_and_read_exactly_their_batches() -> None:
    ir, files = synth(1000)
    central = ir.org.central_account_id
    main = templates(files)["release.template.json"]
    region = main["Metadata"]["odmdc"]["region"]
    acts = actions(files)
    grants = runners(files)
    assert len(grants) > 1  # more pipelines than one role's policies can name
    for project, runner in grants.items():
        mine = [a for a in acts if a.project == project]
        assert runner.pipelines == {
            f"arn:aws:codepipeline:{line.split()[2]}:{central}:{line.split()[1]}"
            for a in mine for line in a.steps}
        assert runner.parameters == {f"arn:aws:ssm:{region}:{central}:parameter{a.parameter}"
                                     for a in mine}
    assert set().union(*(r.pipelines for r in grants.values())) == {
        f"arn:aws:codepipeline:{e.region}:{central}:{pipeline_of(e)}"
        for e in ir.envers()}
    allowed = {s["Sid"]: s for p in main["Resources"]["PipelineRole"]["Properties"]["Policies"]
               for s in p["PolicyDocument"]["Statement"]}["RunOwnProject"]["Resource"]
    assert allowed == [f"arn:aws:codebuild:{region}:{central}:project/{p}"
                       for p in sorted(grants)]
    assert not [r for r in main["Resources"].values() if r["Type"] == "AWS::CodeBuild::Project"]


def test_runner_projects_run_the_batch_runner_and_outwait_it() -> None:
    _, files = synth(1000)
    for path, t in templates(files).items():
        if not path.startswith("release.runner-"):
            continue
        project = t["Resources"]["RunnerProject"]["Properties"]
        spec = project["Source"]["BuildSpec"]
        assert "cat > \"$ODMD_RELEASE\" <<'ODMD_RELEASE_EOF'" in spec
        assert "from odmd import AwsError, Failure, aws, run" in spec
        assert spec.rstrip().endswith('- "python3 \\"$ODMD_RELEASE\\" batch"')
        # the runner gives up after release_timeout_minutes (480), CodeBuild 5 minutes later
        assert project["Environment"]["EnvironmentVariables"] == [
            {"Name": "ODMD_WAIT_SECONDS", "Type": "PLAINTEXT", "Value": "28800"}]
        assert project["TimeoutInMinutes"] == 485


def test_batched_release_passes_every_validator(
        cfn_lint: Callable[[str, str], list[str]], moto: str) -> None:
    _, files = synth(1000)
    pipeline = json.loads(files["release.pipeline.json"])
    main = templates(files)["release.template.json"]
    assert resolved(main) == api_casing(pipeline)
    for path, t in templates(files).items():
        assert cfn_lint(files[path].decode(), t["Metadata"]["odmdc"]["region"]) == [], path
    role = main["Resources"]["PipelineRole"]["Properties"]
    meta: dict[str, Any] = main["Metadata"]["odmdc"]
    iam = client("iam", moto, "us-east-1", meta["central_account"])
    iam.create_role(RoleName=role["RoleName"], Path=role["Path"],
                    AssumeRolePolicyDocument=json.dumps(role["AssumeRolePolicyDocument"]))
    cp = client("codepipeline", moto, meta["region"], meta["central_account"])
    cp.create_pipeline(pipeline=pipeline)
    got = cp.get_pipeline(name=pipeline["name"])["pipeline"]
    assert [len(s["actions"]) for s in got["stages"]] == \
        [len(s["actions"]) for s in pipeline["stages"]]


def test_a_hundred_envers_keep_one_action_per_step() -> None:
    _, files = synth(100)
    assert quota_breaches(files) == []
    acts = actions(files)
    assert all(a.parameter is None and len(a.steps) == 1 for a in acts)
    assert set(files) == {"release.pipeline.json", "release.template.json"}
