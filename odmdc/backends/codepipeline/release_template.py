"""The release pipeline's CloudFormation templates (`release.py` says what they hold and why).

* `release.template.json`: the artifact bucket, the pipeline role (may start exactly the runner
  projects), the pipeline; with one step per action also the runner project and its role (may
  start and watch exactly the org's enver pipelines); with batches also every batch's
  parameter.
* `release.runner-N.template.json` (batches only): runner N's project, its log group and its
  role, whose inline policy may read exactly its batches' parameters and whose managed
  policies may start and watch exactly its batches' pipelines, packed to IAM's sizes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from odmdc.backends.aws import arns
from odmdc.backends.aws.cfn import Json, Template, get_att, placement_rule, ref
from odmdc.backends.aws.iam import document, statement
from odmdc.backends.aws.quotas import (
    INLINE_POLICIES_SIZE,
    MANAGED_POLICIES_PER_ROLE,
    MANAGED_POLICY_SIZE,
    policy_size,
)
from odmdc.backends.codepipeline import batches
from odmdc.backends.codepipeline import names as cp_names
from odmdc.backends.codepipeline.buildspec import render, write_helper, write_release_runner
from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.backends.codepipeline.pipeline import to_cloudformation
from odmdc.backends.codepipeline.release_model import Batch, Release
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

RUNNER = "RunnerProject"
WATCH = ["codepipeline:GetPipelineExecution", "codepipeline:ListPipelineExecutions",
         "codepipeline:StartPipelineExecution"]
READ_BATCH = ["ssm:GetParameter"]
WAIT_VARIABLE = "ODMD_WAIT_SECONDS"
GRACE_MINUTES = 5  # CodeBuild's timeout of a batch runner beyond the runner's own wait
MAX_BUILD_MINUTES = 2160  # CodeBuild's longest build timeout
RUN_SID = "RunEnverPipelines"
LOGS = ["logs:CreateLogStream", "logs:PutLogEvents"]


def runner_spec(batches: bool = False) -> str:
    """The buildspec of a runner: the release runner's `step` (one pipeline), or `batch`."""
    install = [write_helper(), write_release_runner()]
    run = f'python3 "$ODMD_RELEASE" {"batch" if batches else "step"}'
    return render({
        "version": 0.2,
        "env": {"shell": "bash"},
        "phases": {"install": {"commands": install}, "build": {"commands": [run]}},
    })


def template(rel: Release, opts: CodePipelineOptions, declaration: Json) -> dict[str, Json]:
    """`release.template.json`, creating the pipeline `declaration` (CreatePipeline input)."""
    p, region, central = rel.partition, rel.region, rel.central
    t = Template(
        description=f"odmdc: the release pipeline {rel.name}: every enver's pipeline in the "
                    "order of `odmdc plan`",
        rules=placement_rule(central, region),
    )
    add_artifact_bucket(t, rel.bucket, p, opts)
    projects = [rel.runner_project(n) for n in range(rel.runners)]
    t.add(PIPELINE_ROLE, "AWS::IAM::Role", {
        "RoleName": cp_names.pipeline_role_name(rel.name, "pipeline"),
        "Path": cp_names.release_role_path(),
        "Description": f"odmdc: CodePipeline {rel.name}"[:1000],
        "AssumeRolePolicyDocument": trust("codepipeline.amazonaws.com"),
        "Policies": [{"PolicyName": "pipeline", "PolicyDocument": document(
            statement("UseConnection", [arns.connection_action(rel.connection)],
                      [rel.connection]),
            *artifact_statements(p, rel.bucket),
            statement("RunOwnProject", ["codebuild:BatchGetBuilds", "codebuild:StartBuild"],
                      [arns.project_arn(p, region, central, x) for x in projects]),
        )}],
    })
    refs: dict[str, Json] = {rel.role_arn("pipeline"): get_att(PIPELINE_ROLE),
                             rel.bucket: ref(BUCKET)}
    depends = [BUCKET_POLICY]
    if rel.batched:  # the runners are stacks of their own, named literally
        depends += _add_parameters(t, rel)
    else:
        _add_runner(t, rel, opts)
        refs[rel.project] = ref(RUNNER)
    t.add(PIPELINE, "AWS::CodePipeline::Pipeline", to_cloudformation(declaration, refs),
          depends_on=depends)
    t.output("PipelineName", ref(PIPELINE), "start this pipeline to release the org")
    t.metadata = {"odmdc": {
        "release": rel.name, "pipeline": rel.name, "region": region,
        "central_account": central, "phases": list(_phases_metadata(rel)),
    }}
    return t.body()


def _phases_metadata(rel: Release) -> Iterator[dict[str, Json]]:
    for label, stage in rel.stages:
        if rel.batched:  # the steps are in the parameters, once
            yield {"stage": label, "batches": [
                {"action": b.action, "parameter": b.parameter,
                 "project": rel.runner_project(b.runner), "steps": len(b.steps)}
                for b in stage]}
        else:
            yield {"stage": label, "steps": [f"{s.action} {s.enver.id}" for b in stage
                                             for s in b.steps]}


def _add_runner(t: Template, rel: Release, opts: CodePipelineOptions) -> None:
    """One step per action: one project, whose role may start every enver's pipeline."""
    p, region, central = rel.partition, rel.region, rel.central
    envers = sorted({s.enver.id: s.enver for _, stage in rel.stages for b in stage
                     for s in b.steps}.values(), key=lambda e: e.id)
    t.add(CODEBUILD_ROLE, "AWS::IAM::Role", {
        "RoleName": rel.runner_role(0),
        "Path": cp_names.release_role_path(),
        "Description": f"odmdc: runs the steps of {rel.name}: starts and watches the envers' "
                       "pipelines"[:1000],
        "AssumeRolePolicyDocument": trust("codebuild.amazonaws.com"),
        "Policies": [{"PolicyName": "runner", "PolicyDocument": document(
            statement("OwnLogs", LOGS,
                      [arns.log_group_arn(p, region, central, log_group(rel.project))]),
            *artifact_statements(p, rel.bucket),
            statement("RunEnverPipelines", WATCH, [rel.pipeline_arn(e) for e in envers]),
        )}],
    })
    add_project(t, RUNNER, rel.project, f"odmdc: a step of {rel.name}", runner_spec(), [],
                False, opts.release_timeout_minutes, opts)


def parameter_id(b: Batch) -> str:
    """`Phase3Batch12` for `…/phase-3/batch-12`: unique, as the parameter names are."""
    assert b.parameter is not None
    return "".join(c for part in b.parameter.split("/")[-2:] for c in part.title()
                   if c.isalnum())


def _add_parameters(t: Template, rel: Release) -> list[str]:
    out = []
    for label, stage in rel.stages:
        for b in stage:
            out.append(t.add(parameter_id(b), "AWS::SSM::Parameter", {
                "Name": b.parameter,
                "Type": "String",
                "Tier": "Standard",
                "Description": f"odmdc: the steps {label}/{b.action} of {rel.name} runs, as "
                               "lines `<deploy|update> <pipeline> <region>`",
                "Value": "\n".join(s.line for s in b.steps),
            }))
    return out


# --- runners -----------------------------------------------------------------------------------
def runner_policies(rel: Release, n: int, names: Iterable[str]
                    ) -> tuple[dict[str, Json], list[dict[str, Json]]]:
    """Runner `n`'s inline policy (its logs, the artifacts, exactly the parameters among
    `names`) and managed policies (exactly the pipelines among `names`, packed to IAM's size)."""
    p = rel.partition
    project = cp_names.codebuild_project(rel.name, f"Run{n + 1}")
    pipelines = sorted(a for a in names if a.split(":")[2] == "codepipeline")
    parameters = sorted(a for a in names if a.split(":")[2] == "ssm")
    inline = document(
        statement("OwnLogs", LOGS,
                  [arns.log_group_arn(p, rel.region, rel.central, log_group(project))]),
        *artifact_statements(p, rel.bucket),
        statement("ReadOwnBatches", READ_BATCH, parameters),
    )
    # the widest statement a managed policy holds, its resources an empty string (2 characters)
    frame = policy_size(document(statement(f"{RUN_SID}{MANAGED_POLICIES_PER_ROLE}",
                                               WATCH, "")))
    packed = batches.chunks(pipelines, MANAGED_POLICY_SIZE - frame + 2)
    managed = [document(statement(f"{RUN_SID}{j}", WATCH, chunk))
               for j, chunk in enumerate(packed, 1)]
    return inline, managed


def runner_fits(rel: Release, n: int, arns: frozenset[str]) -> bool:
    """Whether IAM can hold runner `n`'s policies for `arns`."""
    inline, managed = runner_policies(rel, n, arns)
    return policy_size(inline) <= INLINE_POLICIES_SIZE and \
        len(managed) <= MANAGED_POLICIES_PER_ROLE


def runner_template(rel: Release, n: int, opts: CodePipelineOptions) -> dict[str, Json]:
    """`release.runner-<n+1>.template.json`: a project running some of the batches, as a role
    that may start and watch exactly their pipelines and read exactly their parameters."""
    mine = rel.batches_of(n)
    arns = {rel.pipeline_arn(s.enver) for _, b in mine for s in b.steps} | {
        rel.parameter_arn(b.parameter or "") for _, b in mine}
    inline, managed = runner_policies(rel, n, arns)
    project = rel.runner_project(n)
    t = Template(
        description=f"odmdc: runner {n + 1} of {rel.runners} of the release pipeline "
                    f"{rel.name}: {len(mine)} batches",
        rules=placement_rule(rel.central, rel.region),
    )
    t.add(CODEBUILD_ROLE, "AWS::IAM::Role", {
        "RoleName": rel.runner_role(n),
        "Path": cp_names.release_role_path(),
        "Description": f"odmdc: runs {len(mine)} batches of {rel.name}: starts and watches "
                       "their envers' pipelines"[:1000],
        "AssumeRolePolicyDocument": trust("codebuild.amazonaws.com"),
        "Policies": [{"PolicyName": "runner", "PolicyDocument": inline}],
    })
    for j, doc in enumerate(managed, 1):
        t.add(f"RunEnverPipelines{j}", "AWS::IAM::ManagedPolicy", {
            "Description": f"odmdc: pipelines {project} starts ({j} of {len(managed)})",
            "Roles": [ref(CODEBUILD_ROLE)],
            "PolicyDocument": doc,
        })
    timeout = min(opts.release_timeout_minutes + GRACE_MINUTES, MAX_BUILD_MINUTES)
    wait = [{"Name": WAIT_VARIABLE, "Type": "PLAINTEXT",
             "Value": str((timeout - GRACE_MINUTES) * 60)}]
    add_project(t, RUNNER, project, f"odmdc: batches of {rel.name}",
                runner_spec(batches=True), wait, False, timeout, opts)
    t.output("ProjectName", ref(RUNNER), f"runs batches of {rel.name}")
    t.metadata = {"odmdc": {
        "release": rel.name, "runner": n + 1, "project": project, "region": rel.region,
        "central_account": rel.central,
        "batches": [{"stage": label, "action": b.action, "parameter": b.parameter,
                     "steps": len(b.steps)} for label, b in mine],
    }}
    return t.body()
