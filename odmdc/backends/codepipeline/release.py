"""The org's release pipeline, `release.pipeline.json` and `release.template.json`: deploys the
whole org in the order `odmdc plan` gives (the planner decides; nothing here re-plans).

* It lives in the central account, in `release_region` (default: the region of the org's
  contracts_lib enver), named `ODMD_<org>-release`.
* `Source`: the contracts repository (the contracts_lib build's repo, at its enver's branch),
  with change detection off and no trigger: a release starts only when someone starts it, and
  releases queue (`QUEUED`) rather than overtake each other.
* One stage per plan phase (`Phase1`, `Phase2`, …), one action per step, all of a phase in
  parallel. A phase with more steps than CodePipeline allows in one stage (50) becomes several
  consecutive stages (`Phase3-1`, `Phase3-2`): later, never earlier, than the plan says.
* Each action (`deploy-<enver>` or `update-<enver>`) runs one shared CodeBuild project that
  starts the enver's own pipeline (in the enver's region) and waits for its outcome, following
  a newer run if a push supersedes it; the action fails when that run fails or does not end
  within `release_timeout_minutes` (approvals included). A `deploy` of an enver whose
  producers come later reads its consumers' placeholders (the enver's helper falls back to a
  consumer's `default` while the parameter does not exist); the plan's `update` step runs the
  same pipeline again once those producers have published.

Its runner role may start and watch exactly the org's enver pipelines, nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from odmdc.backends.api import EmitContext, OutputFile
from odmdc.backends.codepipeline import cfn
from odmdc.backends.codepipeline.buildspec import render, write_helper
from odmdc.backends.codepipeline.cfn import Json, Template, get_att, ref, statement
from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.backends.codepipeline.template import (
    BUCKET,
    BUCKET_POLICY,
    CODEBUILD_ROLE,
    PIPELINE,
    PIPELINE_ROLE,
    add_artifact_bucket,
    add_project,
    artifact_statements,
    log_group,
    trust,
)
from odmdc.compiler import naming
from odmdc.compiler.ir import IR, Enver
from odmdc.compiler.planner.plan import plan

SOURCE = "Source"
CONTRACTS = "Contracts"  # the source artifact
RUNNER = "RunnerProject"
MAX_STAGES = 50
MAX_ACTIONS_PER_STAGE = 50
MAX_ACTIONS = 500
WATCH = ["codepipeline:GetPipelineExecution", "codepipeline:ListPipelineExecutions",
         "codepipeline:StartPipelineExecution"]


@dataclass(frozen=True, slots=True)
class Step:
    action: str  # deploy | update
    enver: Enver


@dataclass(frozen=True, slots=True)
class Release:
    name: str
    region: str
    central: str
    partition: str
    connection: str
    repo: str
    branch: str
    stages: tuple[tuple[str, tuple[Step, ...]], ...]

    @property
    def project(self) -> str:
        return naming.codebuild_project(self.name, "Run")

    @property
    def bucket(self) -> str:
        return naming.pipeline_artifact_bucket(self.central, self.region, self.name)

    def role_arn(self, purpose: str) -> str:
        return naming.role_arn_at(self.partition, self.central, naming.release_role_path(),
                                  naming.pipeline_role_name(self.name, purpose))


def release_files(ir: IR, opts: CodePipelineOptions, ctx: EmitContext
                  ) -> Iterable[OutputFile]:
    rel = release(ir, opts, ctx)
    if rel is None:
        return
    yield OutputFile.json("release.pipeline.json", declaration(rel))
    yield OutputFile.json("release.template.json", template(rel, opts))


def contracts_enver(ir: IR, region: str | None) -> Enver | None:
    """The org's contracts_lib enver in `region` (any region if None), the first by id."""
    found = [e for b in sorted(ir.builds) if ir.builds[b].enver_type == "contracts_lib"
             for e in ir.envers_of(b) if e.clone_of is None and region in (None, e.region)]
    return min(found, key=lambda e: e.id) if found else None


def release(ir: IR, opts: CodePipelineOptions, ctx: EmitContext) -> Release | None:
    """The release pipeline, or None after reporting why the org cannot have one."""
    envers = ir.envers()
    first = min(envers, key=lambda e: e.id)
    anywhere = contracts_enver(ir, None)
    region = opts.release_region or (anywhere.region if anywhere else first.region)
    partitions = sorted({e.partition for e in envers})
    if len(partitions) > 1:
        ctx.unsupported(first.location, f"the envers span partitions {', '.join(partitions)}; "
                        "one release pipeline cannot start pipelines in another partition",
                        help="keep the org in one partition")
        return None
    connection = opts.connection(region)
    if connection is None:
        if not any(e.region == region for e in envers):  # else reported with that region
            ctx.unsupported(first.location, f"no CodeStar connection for the release region "
                            f"{region}", help=f"add a connection in {region} to `connections` in "
                            "the org's `backend codepipeline { … }`, or choose another "
                            "`release_region`")
        return None
    contracts = contracts_enver(ir, region) or anywhere
    if contracts is None:
        return None  # every checked org has one (SPEC §2)
    name = naming.release_pipeline_name(ir.org.name)
    stages: list[tuple[str, tuple[Step, ...]]] = []
    for phase in plan(ir).plan.phases:
        steps = [Step(s.action, ir.enver(s.enver)) for s in phase.steps]
        chunks = [steps[i:i + MAX_ACTIONS_PER_STAGE]
                  for i in range(0, len(steps), MAX_ACTIONS_PER_STAGE)]
        for j, chunk in enumerate(chunks, 1):
            label = f"Phase{phase.index}" + (f"-{j}" if len(chunks) > 1 else "")
            stages.append((label, tuple(chunk)))
    actions = sum(len(s) for _, s in stages)
    if len(stages) + 1 > MAX_STAGES or actions > MAX_ACTIONS:
        ctx.unsupported(first.location, f"the release pipeline of org `{ir.org.name}` needs "
                        f"{len(stages) + 1} stages and {actions} actions; CodePipeline allows "
                        f"{MAX_STAGES} stages and {MAX_ACTIONS} actions",
                        help="release parts of the org with their own pipelines, or deploy "
                        "the envers' pipelines in `odmdc plan` order by hand")
        return None
    return Release(
        name=name, region=region, central=ir.org.central_account_id,
        partition=partitions[0], connection=connection, repo=ir.builds[contracts.build].repo,
        branch=contracts.revision.value if contracts.revision.kind == "branch"
        else opts.default_branch,
        stages=tuple(stages),
    )


def action_name(step: Step) -> str:
    return naming.bounded(f"{step.action}-{step.enver.id}", 100)


def pipeline_arn(rel: Release, e: Enver) -> str:
    return cfn.pipeline_arn(rel.partition, e.region, rel.central, e.names.pipeline_name)


def declaration(rel: Release) -> dict[str, Json]:
    stages: list[dict[str, Json]] = [{"name": SOURCE, "actions": [{
        "name": SOURCE,
        "actionTypeId": {"category": "Source", "owner": "AWS",
                         "provider": "CodeStarSourceConnection", "version": "1"},
        "configuration": {"ConnectionArn": rel.connection, "FullRepositoryId": rel.repo,
                          "BranchName": rel.branch, "OutputArtifactFormat": "CODE_ZIP",
                          "DetectChanges": "false"},
        "outputArtifacts": [{"name": CONTRACTS}],
        "runOrder": 1,
    }]}]
    for label, steps in rel.stages:
        stages.append({"name": label, "actions": [{
            "name": action_name(s),
            "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild",
                             "version": "1"},
            "configuration": {
                "ProjectName": rel.project,
                "EnvironmentVariables": json.dumps([
                    {"name": "ODMD_PIPELINE", "value": s.enver.names.pipeline_name,
                     "type": "PLAINTEXT"},
                    {"name": "ODMD_PIPELINE_REGION", "value": s.enver.region,
                     "type": "PLAINTEXT"},
                    {"name": "ODMD_STEP", "value": f"{s.action} {s.enver.id}",
                     "type": "PLAINTEXT"},
                ], separators=(",", ":")),
            },
            "inputArtifacts": [{"name": CONTRACTS}],
            "runOrder": 1,
        } for s in steps]})
    return {
        "name": rel.name,
        "roleArn": rel.role_arn("pipeline"),
        "artifactStore": {"type": "S3", "location": rel.bucket},
        "stages": stages,
        "pipelineType": "V2",
        "executionMode": "QUEUED",
    }


def runner_spec() -> str:
    return render({
        "version": 0.2,
        "env": {"shell": "bash"},
        "phases": {
            "install": {"commands": [write_helper()]},
            "build": {"commands": ['python3 "$ODMD_HELPER" release-step']},
        },
    })


def template(rel: Release, opts: CodePipelineOptions) -> dict[str, Json]:
    p, region, central = rel.partition, rel.region, rel.central
    t = Template(
        description=f"odmdc: the release pipeline {rel.name}: every enver's pipeline in the "
                    "order of `odmdc plan`",
        rules=cfn.placement_rules(central, region),
    )
    add_artifact_bucket(t, rel.bucket, p, opts)
    envers = sorted({s.enver.id: s.enver for _, steps in rel.stages for s in steps}.values(),
                    key=lambda e: e.id)
    t.add(PIPELINE_ROLE, "AWS::IAM::Role", {
        "RoleName": naming.pipeline_role_name(rel.name, "pipeline"),
        "Path": naming.release_role_path(),
        "Description": f"odmdc: CodePipeline {rel.name}"[:1000],
        "AssumeRolePolicyDocument": trust("codepipeline.amazonaws.com"),
        "Policies": [{"PolicyName": "pipeline", "PolicyDocument": cfn.document(
            statement("UseConnection", [cfn.connection_action(rel.connection)],
                      [rel.connection]),
            *artifact_statements(p, rel.bucket),
            statement("RunOwnProject", ["codebuild:BatchGetBuilds", "codebuild:StartBuild"],
                      [cfn.project_arn(p, region, central, rel.project)]),
        )}],
    })
    t.add(CODEBUILD_ROLE, "AWS::IAM::Role", {
        "RoleName": naming.pipeline_role_name(rel.name, "runner"),
        "Path": naming.release_role_path(),
        "Description": f"odmdc: runs the steps of {rel.name}: starts and watches the envers' "
                       "pipelines"[:1000],
        "AssumeRolePolicyDocument": trust("codebuild.amazonaws.com"),
        "Policies": [{"PolicyName": "runner", "PolicyDocument": cfn.document(
            statement("OwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"],
                      [cfn.log_group_arn(p, region, central, log_group(rel.project))]),
            *artifact_statements(p, rel.bucket),
            statement("RunEnverPipelines", WATCH, [pipeline_arn(rel, e) for e in envers]),
        )}],
    })
    add_project(t, RUNNER, rel.project, f"odmdc: a step of {rel.name}", runner_spec(), [],
                False, opts.release_timeout_minutes, opts)
    refs: dict[str, Json] = {rel.role_arn("pipeline"): get_att(PIPELINE_ROLE),
                             rel.bucket: ref(BUCKET), rel.project: ref(RUNNER)}
    t.add(PIPELINE, "AWS::CodePipeline::Pipeline", cfn.to_cloudformation(declaration(rel), refs),
          depends_on=[BUCKET_POLICY])
    t.output("PipelineName", ref(PIPELINE), "start this pipeline to release the org")
    t.metadata = {"odmdc": {
        "release": rel.name, "pipeline": rel.name, "region": region,
        "central_account": central,
        "phases": [{"stage": label, "steps": [f"{s.action} {s.enver.id}" for s in steps]}
                   for label, steps in rel.stages],
    }}
    return t.render()
