"""The codepipeline backend's own names (docs/names.md): one pipeline per enver, in the central
account, and everything it needs besides, named from the pipeline name (unique in the org).

IAM role names (64), bucket names (63) and CodeBuild project names (150) are shorter than
pipeline names (100) may be: a name that does not fit keeps its readable start and ends in a
hash of the whole, so it stays unique and stable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from odmdc.compiler.ir import Enver
from odmdc.compiler.naming import digest, role_arn_at

_NOT_PARAMETER = re.compile(r"[^A-Za-z0-9_./-]")
_NOT_PIPELINE = re.compile(r"[^A-Za-z0-9.@_-]")


def pipeline_name(build: str, rev_path: str, account_alias: str) -> str:
    """`ODMD_<buildId>-<revision path>-<accountAlias>`: one CodePipeline per enver (clones
    included), in the central account in the enver's region. Shaped like the workflow name
    (`ODMD_` prefix, account alias last); the revision path rather than the kind and region
    because a pipeline deploys one enver and pipelines are regional anyway. Characters CodePipeline
    does not allow become `-` (none can occur today: ids, revision paths and aliases are already
    within `[A-Za-z0-9._-]`)."""
    return _NOT_PIPELINE.sub("-", f"ODMD_{build}-{rev_path}-{account_alias}")


PIPELINE_ROLE_ROOT: Final = "/odmd-pipeline/"
_NOT_PROJECT = re.compile(r"[^A-Za-z0-9_-]")  # CodeBuild projects and SNS topics
_NOT_BUCKET = re.compile(r"[^a-z0-9]+")


def bounded(name: str, limit: int) -> str:
    """`name`, or, when longer than `limit`, its first characters, `-` and 8 hex digits of a
    hash of the whole name."""
    if len(name) <= limit:
        return name
    return f"{name[:limit - 9].rstrip('-')}-{digest(name, 8)}"


def release_pipeline_name(org: str) -> str:
    """`ODMD_<org>-release`: the org's release pipeline (codepipeline backend), in the central
    account, its stages the phases of `odmdc plan`."""
    return bounded(_NOT_PIPELINE.sub("-", f"ODMD_{org}-release"), 100)


def release_batch_parameter(org: str, phase: int, batch: int) -> str:
    """`/odmd-release/<org>/phase-<P>/batch-<B>`: the Parameter Store parameter (central
    account, release region) listing the steps one action of a batched release pipeline runs
    (the `B`-th batch of plan phase `P`). Apart from `/odmd-share/`, where products live."""
    return f"/odmd-release/{_NOT_PARAMETER.sub('-', org)}/phase-{phase}/batch-{batch}"


def release_role_path() -> str:
    """`/odmd-pipeline/`: the release pipeline's roles belong to no build."""
    return PIPELINE_ROLE_ROOT


def pipeline_role_path(build: str) -> str:
    """`/odmd-pipeline/<buildId>/`: the IAM path of a build's pipeline roles in the central
    account, apart from its center roles (path `/<buildId>/`) so that a trust naming this path
    cannot match a center role."""
    return f"{PIPELINE_ROLE_ROOT}{build}/"


def pipeline_role_name(pipeline: str, purpose: str) -> str:
    """A role of one enver's pipeline, `<pipeline name>-<purpose>`, within IAM's 64 characters
    (the pipeline name is shortened, never the purpose). Purposes: `pipeline` (the service
    role), `codebuild` (its CodeBuild projects), `approveN` (the N-th approval's approvers)."""
    return f"{bounded(pipeline, 64 - len(purpose) - 1)}-{purpose}"


def codebuild_project(pipeline: str, stage: str) -> str:
    """The CodeBuild project of one stage of a pipeline: `<pipeline name>-<stage>` with every
    character CodeBuild does not allow (`.`, `@`) as `-`, within 150 characters."""
    return f"{bounded(_NOT_PROJECT.sub('-', pipeline), 150 - len(stage) - 1)}-{stage}"


def approval_topic(pipeline: str, purpose: str) -> str:
    """The SNS topic an approval action of a pipeline notifies: `<pipeline name>-<purpose>`
    with `.` and `@` as `-` (SNS allows letters, digits, `-` and `_`), within 256 characters."""
    return f"{bounded(_NOT_PROJECT.sub('-', pipeline), 256 - len(purpose) - 1)}-{purpose}"


def pipeline_artifact_bucket(account_id: str, region: str, pipeline: str) -> str:
    """The S3 bucket holding one pipeline's artifacts (one per pipeline, so that no pipeline's
    roles can read or replace another's artifacts): `odmd-<pipeline name>-<hash>`, lower case,
    each run of other characters as one `-`, the name cut so that the whole fits S3's 63
    characters. The hash covers account, region and pipeline name, since bucket names are
    global; ending in it keeps the name clear of S3's reserved suffixes (`-s3alias`, …)."""
    stem = _NOT_BUCKET.sub("-", pipeline.lower().removeprefix("odmd_")).strip("-")
    tail = digest(f"{account_id}/{region}/{pipeline}", 10)
    return f"odmd-{stem[:63 - 16].rstrip('-')}-{tail}"


@dataclass(frozen=True, slots=True)
class PipelineNames:
    """The names of one enver's pipeline and of what it needs, in the central account."""

    pipeline: str
    role_path: str  # of the pipeline's roles, apart from the build's center roles
    #: the pipeline's service role, and the role its CodeBuild projects run as, which assumes
    #: the build role (whose trust names it: this backend's CI engine)
    pipeline_role_arn: str
    codebuild_role_arn: str
    artifact_bucket: str  # the pipeline's artifacts


def pipeline_of(e: Enver) -> str:
    """The name of `e`'s pipeline."""
    return pipeline_name(e.build, e.revision.path, e.account_alias)


def of(e: Enver, central_id: str) -> PipelineNames:
    """Every name of `e`'s pipeline; `central_id` is the org's central account."""
    name = pipeline_of(e)
    path = pipeline_role_path(e.build)
    return PipelineNames(
        pipeline=name,
        role_path=path,
        pipeline_role_arn=role_arn_at(e.partition, central_id, path,
                                      pipeline_role_name(name, "pipeline")),
        codebuild_role_arn=role_arn_at(e.partition, central_id, path,
                                       pipeline_role_name(name, "codebuild")),
        artifact_bucket=pipeline_artifact_bucket(central_id, e.region, name),
    )
