"""What one enver's pipeline consists of, decided once and read by both outputs (the
`CreatePipeline` input and the CloudFormation template), so that they cannot disagree.

Stages: `Source` → the kind's steps before the approval → `Approve` (only when a consumer of the
enver says `approve(…)`) → the kind's steps after it. Whatever changes something outside the
pipeline (a stack, an image, a package, a product) comes after the approval:

| kind | before `Approve` | after `Approve` |
|---|---|---|
| cdk | `Build`: `cdk synth` (artifact `Assembly`) | `Deploy`: `cdk deploy` it, publish |
| npm_package | `Build`: `npm pack` (artifact `Packages`) | `Publish`: `npm publish`, publish |
| cmd | — | `Run`: the build script, publish |
| container_image | — | `Build`: the build script, push, publish |

(`container_image` envers consume nothing, E303, so they never wait for an approval.)

Approvals: an enver's `approve(…)` consumers are grouped by their set of roles, one manual
approval action per group (`Approve`, or `Approve1`, `Approve2`, … ordered by the group's first
consumer), all in the one `Approve` stage. A deployment reads *every* consumed value when it
runs, not only the one that changed, so each group's approvers must release every run: a run
started by a push would otherwise deploy a changed approved value nobody approved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from odmdc.backends.codepipeline import names as cp_names
from odmdc.backends.codepipeline.names import PipelineNames
from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.compiler.ir import IR, Build, Consumer, Enver

SOURCE_STAGE = "Source"
APPROVE_STAGE = "Approve"
SOURCE_ARTIFACT = "Source"
ROLE_ARN = re.compile(r"arn:(aws[a-z-]*):iam::(\d{12}):role/[\w+=,.@/-]+")
WORK_DIR = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")


@dataclass(frozen=True, slots=True)
class Step:
    """A CodeBuild stage of the pipeline: one project, one action."""

    stage: str  # stage and action name, e.g. "Build"
    project: str  # CodeBuild project name
    input: str  # input artifact
    output: str | None  # output artifact, if later stages need one


@dataclass(frozen=True, slots=True)
class Approval:
    action: str  # action name in the Approve stage
    roles: tuple[str, ...]  # approver role ARNs, sorted
    consumers: tuple[Consumer, ...]  # the approve(…) consumers it guards, sorted by name
    topic: str  # SNS topic the action notifies
    approver_role: str  # role name the approvers assume to approve


@dataclass(frozen=True, slots=True)
class Layout:
    enver: Enver
    build: Build
    central: str  # account id holding the pipeline
    names: PipelineNames
    connection: str
    source_branch: str  # `BranchName` of the source action
    clone_ref: bool  # full clone (tag envers: the build checks the tag out)
    work_dirs: tuple[str, ...]
    before: tuple[Step, ...]
    approvals: tuple[Approval, ...]
    after: tuple[Step, ...]

    @property
    def pipeline(self) -> str:
        return self.names.pipeline

    @property
    def steps(self) -> tuple[Step, ...]:
        return (*self.before, *self.after)


def _steps(e: Enver) -> tuple[list[tuple[str, str, str | None]], list[tuple[str, str,
                                                                              str | None]]]:
    """(stage, input artifact, output artifact) before and after the approval."""
    if e.kind == "cdk":
        return [("Build", SOURCE_ARTIFACT, "Assembly")], [("Deploy", "Assembly", None)]
    if e.kind == "npm_package":
        return [("Build", SOURCE_ARTIFACT, "Packages")], [("Publish", "Packages", None)]
    if e.kind == "cmd":
        return [], [("Run", SOURCE_ARTIFACT, None)]
    return [], [("Build", SOURCE_ARTIFACT, None)]  # container_image


def source_branch(ir: IR, e: Enver, opts: CodePipelineOptions) -> str:
    """The branch the source action tracks: the enver's own, or, for a tag enver, the first
    declared branch of its build (by name), else `default_branch`. A tag enver's pipeline is
    started by pushes of its tag (a trigger) and by reactions; either way its builds check out
    the tag, so the branch only has to exist."""
    if e.revision.kind == "branch":
        return e.revision.value
    branches = sorted(x.revision.value for x in ir.envers_of(e.build)
                      if x.revision.kind == "branch" and x.clone_of is None)
    return branches[0] if branches else opts.default_branch


def approvals(e: Enver) -> tuple[Approval, ...]:
    groups: dict[tuple[str, ...], list[Consumer]] = {}
    for c in e.consumers:
        if c.reaction.kind == "approve":
            groups.setdefault(tuple(sorted(set(c.reaction.roles))), []).append(c)
    ordered = sorted(groups.items(), key=lambda g: min(c.name for c in g[1]))
    out = []
    for i, (roles, consumers) in enumerate(ordered, 1):
        purpose = "approve" if len(ordered) == 1 else f"approve{i}"
        out.append(Approval(
            action=APPROVE_STAGE if len(ordered) == 1 else f"{APPROVE_STAGE}{i}",
            roles=roles,
            consumers=tuple(sorted(consumers, key=lambda c: c.name)),
            topic=cp_names.approval_topic(cp_names.pipeline_of(e), purpose),
            approver_role=cp_names.pipeline_role_name(cp_names.pipeline_of(e), purpose),
        ))
    return tuple(out)


def role_arn_ok(arn: str, partition: str) -> bool:
    m = ROLE_ARN.fullmatch(arn)
    return m is not None and m.group(1) == partition


def work_dirs_ok(build: Build) -> str | None:
    """Why the build's work_dirs cannot be used, or None."""
    for d in build.work_dirs:
        if d != "." and (not WORK_DIR.fullmatch(d) or ".." in d.split("/")):
            return f"work_dirs entry {d!r} is not a relative path of letters, digits and `_.-/`"
    if build.kind == "cdk" and len(build.work_dirs) > 1:
        return (f"a cdk build with {len(build.work_dirs)} work_dirs; its pipeline synthesises "
                "and deploys one CDK app")
    return None


def layout(ir: IR, e: Enver, opts: CodePipelineOptions) -> Layout:
    """The enver's pipeline (`checks.check_ir` said it can have one)."""
    build = ir.builds[e.build]
    connection = opts.connection(e.region)
    assert connection is not None
    before, after = _steps(e)

    def step(s: tuple[str, str, str | None]) -> Step:
        return Step(s[0], cp_names.codebuild_project(cp_names.pipeline_of(e), s[0]), s[1], s[2])

    return Layout(
        enver=e, build=build, central=ir.org.central_account_id,
        names=cp_names.of(e, ir.org.central_account_id), connection=connection,
        source_branch=source_branch(ir, e, opts), clone_ref=e.revision.kind == "tag",
        work_dirs=build.work_dirs or (".",), before=tuple(step(s) for s in before),
        approvals=approvals(e),
        after=tuple(step(s) for s in after),
    )
