"""The org release pipeline follows `odmdc plan` exactly — the planner's own result, read
here independently of the backend — and its runner may touch exactly the envers' pipelines."""

from __future__ import annotations

import json
from typing import Any

import pytest

from odmdc.backends.codepipeline.names import pipeline_of
from odmdc.compiler.ir import IR
from odmdc.compiler.planner.plan import plan
from tests.backends.codepipeline.orgs import ORGS, compiled, load_json, options_for, run
from tests.helpers import compile_ok, emit


def steps_of(pipeline: dict[str, Any]) -> list[list[tuple[str, str, str]]]:
    """Per stage after the source: (ODMD_STEP, pipeline, region) of each action."""
    out = []
    for stage in pipeline["stages"][1:]:
        row = []
        for a in stage["actions"]:
            env = {v["name"]: v["value"] for v in
                   json.loads(a["configuration"]["EnvironmentVariables"])}
            assert a["name"] == env["ODMD_STEP"].replace(" ", "-")
            assert a["inputArtifacts"] == [{"name": "Contracts"}]
            row.append((env["ODMD_STEP"], env["ODMD_PIPELINE"], env["ODMD_PIPELINE_REGION"]))
        out.append(row)
    return out


def expected(ir: IR) -> list[list[tuple[str, str, str]]]:
    return [[(f"{s.action} {s.enver}", pipeline_of(ir.enver(s.enver)),
              ir.enver(s.enver).region) for s in phase.steps]
            for phase in plan(ir).plan.phases]


@pytest.mark.parametrize("org", ORGS)
def test_stages_are_the_plan_phases(org: str) -> None:
    ir = compiled(org)
    pipeline = load_json(org, "release.pipeline.json")
    names = [s["name"] for s in pipeline["stages"]]
    assert names == ["Source", *(f"Phase{i}" for i in range(1, len(names)))]
    assert steps_of(pipeline) == expected(ir)
    assert sum(len(s) for s in steps_of(pipeline)) >= len(ir.envers())  # every enver deploys


def test_placeholder_cycle_gives_an_update_step() -> None:
    """multi: `app.main` reads `tools.main.tool-url` with a default, `tools.main` reads
    `app.main.endpoint`: the app deploys on its placeholder, then is updated."""
    rows = steps_of(load_json("multi", "release.pipeline.json"))
    flat = [step for row in rows for step, _, _ in row]
    assert "update app.main" in flat
    assert flat.index("deploy app.main") < flat.index("deploy tools.main") < \
        flat.index("update app.main")


def test_source_is_the_contracts_repository() -> None:
    source = load_json("shop", "release.pipeline.json")["stages"][0]["actions"][0]
    assert source["configuration"] == {
        "BranchName": "main",
        "ConnectionArn": options_for(compiled("shop"))["connections"][0],
        "DetectChanges": "false",
        "FullRepositoryId": "ondemandenv/odmd-contracts-sandbox",
        "OutputArtifactFormat": "CODE_ZIP",
    }
    assert "triggers" not in load_json("shop", "release.pipeline.json")
    assert load_json("shop", "release.pipeline.json")["executionMode"] == "QUEUED"


@pytest.mark.parametrize("org", ORGS)
def test_runner_may_start_exactly_the_enver_pipelines(org: str) -> None:
    ir = compiled(org)
    t = load_json(org, "release.template.json")
    central = ir.org.central_account_id
    grants = {s["Sid"]: s for p in t["Resources"]["CodeBuildRole"]["Properties"]["Policies"]
              for s in p["PolicyDocument"]["Statement"]}
    arns = sorted(f"arn:aws:codepipeline:{e.region}:{central}:{pipeline_of(e)}"
                  for e in ir.envers())
    run_grant = grants["RunEnverPipelines"]
    assert (run_grant["Resource"] if isinstance(run_grant["Resource"], list)
            else [run_grant["Resource"]]) == arns
    assert run_grant["Action"] == ["codepipeline:GetPipelineExecution",
                                   "codepipeline:ListPipelineExecutions",
                                   "codepipeline:StartPipelineExecution"]
    assert not any("sts:AssumeRole" in str(s["Action"]) for s in grants.values())
    spec = t["Resources"]["RunnerProject"]["Properties"]["Source"]["BuildSpec"]
    assert spec.rstrip().endswith('- "python3 \\"$ODMD_RELEASE\\" step"')
    assert t["Resources"]["RunnerProject"]["Properties"]["TimeoutInMinutes"] == 480


def test_release_region_option() -> None:
    ir = compiled("multi")
    files = run(ir, options_for(ir, release_region="eu-west-1"))
    pipeline = json.loads(files["release.pipeline.json"])
    source = pipeline["stages"][0]["actions"][0]["configuration"]
    assert source["BranchName"] == "main-eu"  # the contracts enver of eu-west-1
    assert source["ConnectionArn"].split(":")[3] == "eu-west-1"
    assert json.loads(files["release.template.json"])["Metadata"]["odmdc"]["region"] == \
        "eu-west-1"
    # the steps still start each enver's pipeline in its own region
    assert steps_of(pipeline) == expected(ir)


def test_release_region_without_connection() -> None:
    ir = compiled("shop")
    out = emit(ir, ["codepipeline"], {"codepipeline": options_for(
        ir, release_region="eu-central-1")})
    assert [d.message for d in out.diagnostics if d.code == "E601"] == [
        "codepipeline: no CodeStar connection for the release region eu-central-1"]
    assert "codepipeline/release.pipeline.json" not in out.files


def _wide(n: int) -> str:
    envers = "\n".join(f'  enver e{i} = branch "b{i}" in workspace1 "us-east-1"'
                       for i in range(n))
    return f'build wide : cmd {{\n  repo = "acme/wide"\n{envers}\n}}\n'


def test_a_phase_wider_than_a_stage_becomes_consecutive_stages() -> None:
    ir = compile_ok(_wide(60))  # + the prelude's contracts enver: 61 steps in phase 1
    pipeline = json.loads(run(ir)["release.pipeline.json"])
    assert [(s["name"], len(s["actions"])) for s in pipeline["stages"]] == [
        ("Source", 1), ("Phase1-1", 50), ("Phase1-2", 11)]
    flat = [step for row in steps_of(pipeline) for step in row]
    assert flat == [step for row in expected(ir) for step in row]


def _chain(n: int) -> str:
    builds = []
    for i in range(n):
        consumes = f"consumes {{ x = c{i - 1}.main.x }} " if i else ""
        builds.append(f'build c{i} : cmd {{\n  repo = "acme/c{i}"\n  enver main = branch "main" '
                      f'in workspace1 "us-east-1" {{ {consumes}produces {{ x: string }} }}\n}}')
    return "\n".join(builds) + "\n"


def test_more_phases_than_stages_is_e601() -> None:
    ir = compile_ok(_chain(50))  # 50 phases + the source stage: 51 > 50
    out = emit(ir, ["codepipeline"], {"codepipeline": options_for(ir)})
    assert [d.message for d in out.diagnostics if d.code == "E601"] == [
        "codepipeline: the release pipeline of org `acme` needs 51 stages and 51 actions; "
        "CodePipeline allows 50 stages and 500 actions"]
    assert "codepipeline/release.pipeline.json" not in out.files
    assert "codepipeline/c49/b..main.pipeline.json" in out.files  # the envers' pipelines stay
    ok = compile_ok(_chain(49))
    assert len(json.loads(run(ok)["release.pipeline.json"])["stages"]) == 50
