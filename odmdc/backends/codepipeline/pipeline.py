"""One enver's pipeline as the `pipeline` argument of CodePipeline's `CreatePipeline`.

* V2, execution mode `SUPERSEDED`: a newer run (a push, a reaction) overtakes an older one at
  the next stage, and a run waiting for approval is replaced by the newest.
* Source: a `CodeStarSourceConnection` action on the build's repository. A V2 trigger starts
  the pipeline on pushes of exactly the enver's branch or — for a tag enver — of exactly its
  tag (a git tag filter; the branch then only names something that exists for runs started
  by a reaction, and the build checks the tag out, so a tag enver never deploys anything
  else). Reactions (`redeploy`, `approve`) start it through the cloudformation backend's
  EventBridge rules, by `names.pipeline_name`.
* CodeBuild stages and the manual approvals of `layout.Layout`.
"""

from __future__ import annotations

from odmdc.backends.aws.arns import topic_arn
from odmdc.backends.aws.cfn import Json
from odmdc.backends.codepipeline.layout import (
    APPROVE_STAGE,
    SOURCE_ARTIFACT,
    SOURCE_STAGE,
    Approval,
    Layout,
    Step,
)

CUSTOM_DATA_MAX = 500  # a manual approval's CustomData


def source_action(lay: Layout) -> dict[str, Json]:
    config = {
        "ConnectionArn": lay.connection,
        "FullRepositoryId": lay.build.repo,
        "BranchName": lay.source_branch,
        "OutputArtifactFormat": "CODEBUILD_CLONE_REF" if lay.clone_ref else "CODE_ZIP",
    }
    return {
        "name": SOURCE_STAGE,
        "actionTypeId": {"category": "Source", "owner": "AWS",
                         "provider": "CodeStarSourceConnection", "version": "1"},
        "configuration": config,
        "outputArtifacts": [{"name": SOURCE_ARTIFACT}],
        "runOrder": 1,
    }


def trigger(lay: Layout) -> dict[str, Json]:
    rev = lay.enver.revision
    push = {"tags": {"includes": [rev.value]}} if rev.kind == "tag" else \
        {"branches": {"includes": [rev.value]}}
    return {
        "providerType": "CodeStarSourceConnection",
        "gitConfiguration": {"sourceActionName": SOURCE_STAGE, "push": [push]},
    }


def build_stage(step: Step) -> dict[str, Json]:
    action: dict[str, Json] = {
        "name": step.stage,
        "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild",
                         "version": "1"},
        "configuration": {"ProjectName": step.project},
        "inputArtifacts": [{"name": step.input}],
        "runOrder": 1,
    }
    if step.output:
        action["outputArtifacts"] = [{"name": step.output}]
    return {"name": step.stage, "actions": [action]}


def custom_data(lay: Layout, a: Approval) -> str:
    """What the approver reads: which inputs the run may change, from where, and who may
    approve (CodePipeline shows at most 500 characters)."""
    inputs = ", ".join(f"{c.name} ({c.producer}.{c.product})" for c in a.consumers)
    text = (f"odmd: deploy {lay.enver.id} with its current inputs. Approve when a change of "
            f"{inputs} may be deployed. Approvers: {', '.join(a.roles)}")
    return text if len(text) <= CUSTOM_DATA_MAX else text[:CUSTOM_DATA_MAX - 1] + "…"


def approve_stage(lay: Layout) -> dict[str, Json]:
    e = lay.enver
    return {"name": APPROVE_STAGE, "actions": [
        {
            "name": a.action,
            "actionTypeId": {"category": "Approval", "owner": "AWS", "provider": "Manual",
                             "version": "1"},
            "configuration": {
                "NotificationArn": topic_arn(e.partition, e.region, lay.central, a.topic),
                "CustomData": custom_data(lay, a),
            },
            "runOrder": 1,
        }
        for a in lay.approvals
    ]}


def declaration(lay: Layout) -> dict[str, Json]:
    stages: list[dict[str, Json]] = [{"name": SOURCE_STAGE, "actions": [source_action(lay)]}]
    stages.extend(build_stage(s) for s in lay.before)
    if lay.approvals:
        stages.append(approve_stage(lay))
    stages.extend(build_stage(s) for s in lay.after)
    return {
        "name": lay.names.pipeline,
        "roleArn": lay.names.pipeline_role_arn,
        "artifactStore": {"type": "S3", "location": lay.names.artifact_bucket},
        "stages": stages,
        "pipelineType": "V2",
        "executionMode": "SUPERSEDED",
        "triggers": [trigger(lay)],
    }


def to_cloudformation(api: Json, refs: dict[str, Json], *, inside_map: bool = False) -> Json:
    """A `CreatePipeline` declaration in `AWS::CodePipeline::Pipeline`'s casing: every key with
    its first letter upper-cased, except the keys of an action's `configuration` map (which
    CloudFormation passes through). String values found in `refs` become those intrinsics, so
    that the template references the resources it creates."""
    if isinstance(api, dict):
        return {
            (k if inside_map else k[:1].upper() + k[1:]):
                to_cloudformation(v, refs, inside_map=(k == "configuration"))
            for k, v in api.items()
        }
    if isinstance(api, list):
        return [to_cloudformation(v, refs) for v in api]
    if isinstance(api, str) and api in refs:
        return refs[api]
    return api
