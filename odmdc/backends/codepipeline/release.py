"""The org's release pipeline, `release.pipeline.json` and `release.template.json` (and, in
batches, `release.runner-N.template.json`): deploys the whole org in the order `odmdc plan`
gives: the plan the composition root made once for every backend (`ctx.plan`).

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

**Batches**, when one action per step does not fit: a few hundred envers already need more
than CodePipeline's 500 actions or 50 stages, a runner role naming more pipelines than IAM's
10,240 characters of inline policy hold, or more than CloudFormation's 1 MB of template (every
quota is in `quotas.py`, and "fits" means the rendered files pass that check). Then:

* each phase's steps, in plan order, are cut into batches (`batches.py`): as many as a 4 KB
  list holds (about 80), one action per batch (`batch-1`, `batch-2`, … in stage `Phase3`, or
  over `Phase3-1`, `Phase3-2`, … past 50 batches). A stage still holds one phase only and the
  phases' stages follow each other, so no step starts before the plan says;
* an action learns its batch from one short environment variable, `ODMD_BATCH`: the name of a
  standard Parameter Store parameter, `/odmd-release/<org>/phase-<P>/batch-<B>` (central
  account, release region), which the release template creates, holding the steps as lines
  `<deploy|update> <pipeline> <region>`. Why there: an action configuration value holds 1,000
  characters (about 15 pipelines); pipeline tags 50 values of 256; CodeBuild documents no
  quota on a project's environment and refuses a variable over 4,096 characters in StartBuild,
  so a project per batch with its list in the environment would rest on undocumented limits and
  embed the helper once per batch (about 28 KB each, against 1 MB and 500 resources). A
  parameter has a documented 4 KB, costs one resource and one `ssm:GetParameter` per action, and
  only its runner may read it;
* the batch runner (`release_runtime.py`, beside the helper) reads its list, starts every
  pipeline and polls all of them in parallel, following superseding runs as `step`
  does; it waits for every one (a failure does not stop the others) and fails if any failed,
  could not start, or still ran after `release_timeout_minutes` (it names them). CodeBuild's
  own timeout is 5 minutes longer, so that the runner, not CodeBuild, ends the build. A
  throttled call is tried again in the next round. Retrying a failed batch action starts all
  of its pipelines again (those that succeeded deploy again, unchanged);
* runners: one role cannot name 5,000 pipelines (IAM attaches 10 managed policies of 6,144
  characters, about 700 ARNs), so the batches are dealt, in order, to runners: each a CodeBuild
  project `…-release-RunN` whose role `…-release-runnerN` may read exactly its batches'
  parameters (inline policy) and start and watch exactly their pipelines (managed policies),
  in a template of its own, `release.runner-N.template.json`, which keeps every template well
  under 1 MB (5,000 envers: 8 runners, the largest template 370 KB, the release template with
  its parameters). The pipeline role may start exactly the runner projects.

Deploy the runner templates first, then `release.template.json` (all with `--s3-bucket`, and
`CAPABILITY_NAMED_IAM`); a runner file that disappears leaves a stack to delete. Fewer,
larger actions also keep a release within CodeBuild's concurrent builds (60 per region by
default, shared with the envers' own pipelines): a stage runs one build per action at once.
The release template outgrows the 51,200 bytes CloudFormation takes inline at about a hundred
envers, batched or not: deploy it with `aws cloudformation deploy --s3-bucket …`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from odmdc.backends.api import EmitContext, OutputFile
from odmdc.backends.aws.cfn import Json
from odmdc.backends.aws.quotas import (
    MAX_ACTIONS,
    MAX_ACTIONS_PER_STAGE,
    MAX_STAGES,
    PARAMETER_VALUE_SIZE,
)
from odmdc.backends.codepipeline import batches
from odmdc.backends.codepipeline import names as cp_names
from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.backends.codepipeline.quotas import pipeline_problems, template_problems
from odmdc.backends.codepipeline.release_model import Batch, Release, Step
from odmdc.backends.codepipeline.release_template import runner_fits, runner_template, template
from odmdc.compiler.ir import IR, Enver

SOURCE = "Source"
CONTRACTS = "Contracts"  # the source artifact
BATCH_VARIABLE = "ODMD_BATCH"

Phases = list[tuple[int, list[Step]]]  # (phase index, its steps in plan order)


def release_files(ir: IR, opts: CodePipelineOptions, ctx: EmitContext
                  ) -> Iterable[OutputFile]:
    base = release(ir, opts, ctx)
    if base is None:
        return
    phases: Phases = [(p.index, [Step(s.action, ir.enver(s.enver)) for s in p.steps])
                      for p in ctx.plan.plan.phases]
    files, found = release_layout(base, phases, opts)
    for problem in found:
        ctx.unsupported(min(ir.envers(), key=lambda e: e.id).location,
                        f"the release pipeline of org `{ir.org.name}` {problem}",
                        help="release parts of the org with their own pipelines, or deploy "
                        "the envers' pipelines in `odmdc plan` order by hand")
    if not found:
        yield from files


def release_layout(base: Release, phases: Phases, opts: CodePipelineOptions
                   ) -> tuple[list[OutputFile], list[str]]:
    """The files of one action per step if they fit every quota, else of batches; and what
    still does not fit (then the files are not to be written)."""
    if len(phases) + 1 > MAX_STAGES:  # a stage per phase at least: batches cannot help
        per_step = sum(-(-len(s) // MAX_ACTIONS_PER_STAGE) for _, s in phases)
        return [], [f"needs {per_step + 1} stages and {sum(len(s) for _, s in phases)} "
                    f"actions; CodePipeline allows {MAX_STAGES} stages and {MAX_ACTIONS} "
                    "actions"]
    rel = one_per_step(base, phases)
    if len(rel.stages) + 1 <= MAX_STAGES and \
            sum(len(s) for _, s in rel.stages) + 1 <= MAX_ACTIONS:
        files, found = render(rel, opts)
        if not found:
            return files, found
    return render(in_batches(base, phases), opts)


def render(rel: Release, opts: CodePipelineOptions) -> tuple[list[OutputFile], list[str]]:
    """The release's files, and every quota they break."""
    decl = declaration(rel)
    templates = {"release.template.json": template(rel, opts, decl)}
    if rel.batched:
        for n in range(rel.runners):
            templates[f"release.runner-{n + 1}.template.json"] = runner_template(rel, n, opts)
    files = [OutputFile.json("release.pipeline.json", decl)]
    found = pipeline_problems(decl)
    for path, t in templates.items():
        files.append(OutputFile.json(path, t))
        found += template_problems(path, t, len(files[-1].content))
    return files, found


def contracts_enver(ir: IR, region: str | None) -> Enver | None:
    """The org's contracts_lib enver in `region` (any region if None), the first by id."""
    found = [e for b in sorted(ir.builds) if ir.builds[b].enver_type == "contracts_lib"
             for e in ir.envers_of(b) if e.clone_of is None and region in (None, e.region)]
    return min(found, key=lambda e: e.id) if found else None


def release(ir: IR, opts: CodePipelineOptions, ctx: EmitContext) -> Release | None:
    """The release pipeline without its stages, or None after reporting why the org cannot
    have one."""
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
        return None  # every checked org has one (docs/language.md#the-standard-library)
    return Release(
        org=ir.org.name, name=cp_names.release_pipeline_name(ir.org.name), region=region,
        central=ir.org.central_account_id, partition=partitions[0], connection=connection,
        repo=ir.builds[contracts.build].repo,
        branch=contracts.revision.value if contracts.revision.kind == "branch"
        else opts.default_branch,
    )


def _labels(index: int, n: int) -> list[str]:
    """Stage names of phase `index` over `n` stages: `Phase3`, or `Phase3-1`, `Phase3-2`, …"""
    return [f"Phase{index}" + (f"-{j}" if n > 1 else "") for j in range(1, n + 1)]


def one_per_step(base: Release, phases: Phases) -> Release:
    stages: list[tuple[str, tuple[Batch, ...]]] = []
    for index, steps in phases:
        chunks = [steps[i:i + MAX_ACTIONS_PER_STAGE]
                  for i in range(0, len(steps), MAX_ACTIONS_PER_STAGE)]
        for label, chunk in zip(_labels(index, len(chunks)), chunks, strict=True):
            stages.append((label, tuple(Batch(action_name(s), (s,)) for s in chunk)))
    return replace(base, stages=tuple(stages))


def in_batches(base: Release, phases: Phases) -> Release:
    """The steps in batches of at most one standard parameter (`batches.layout`), dealt in
    order to runners whose roles IAM can hold (`batches.runners`)."""
    lay = batches.layout([[len(s.line) for s in steps] for _, steps in phases],
                         PARAMETER_VALUE_SIZE)
    count = {p: sum(1 for q, _ in lay.stages if q == p) for p, _ in lay.stages}
    labels = {p: iter(_labels(phases[p][0], n)) for p, n in count.items()}
    numbered: list[tuple[str, list[Batch]]] = []
    made: dict[int, int] = {}
    for p, runs in lay.stages:
        index, steps = phases[p]
        stage = []
        for run in runs:
            k = made[p] = made.get(p, 0) + 1
            stage.append(Batch(f"batch-{k}", tuple(steps[i] for i in run),
                               cp_names.release_batch_parameter(base.org, index, k)))
        numbered.append((next(labels[p]), stage))
    needs = [frozenset({base.pipeline_arn(s.enver) for s in b.steps}
                       | {base.parameter_arn(b.parameter or "")})
             for _, stage in numbered for b in stage]
    dealt = iter(batches.runners(needs, lambda n, arns: runner_fits(base, n, arns)))
    stages = tuple((label, tuple(replace(b, runner=next(dealt)) for b in stage))
                   for label, stage in numbered)
    runners = 1 + max(b.runner for _, stage in stages for b in stage)
    return replace(base, stages=stages, runners=runners)


def action_name(step: Step) -> str:
    return cp_names.bounded(f"{step.action}-{step.enver.id}", 100)


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
    for label, stage in rel.stages:
        stages.append({"name": label, "actions": [{
            "name": b.action,
            "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild",
                             "version": "1"},
            "configuration": {
                "ProjectName": rel.runner_project(b.runner),
                "EnvironmentVariables": json.dumps(_environment(b), separators=(",", ":")),
            },
            "inputArtifacts": [{"name": CONTRACTS}],
            "runOrder": 1,
        } for b in stage]})
    return {
        "name": rel.name,
        "roleArn": rel.role_arn("pipeline"),
        "artifactStore": {"type": "S3", "location": rel.bucket},
        "stages": stages,
        "pipelineType": "V2",
        "executionMode": "QUEUED",
    }


def _environment(b: Batch) -> list[dict[str, str]]:
    if b.parameter is not None:
        return [{"name": BATCH_VARIABLE, "value": b.parameter, "type": "PLAINTEXT"}]
    (s,) = b.steps
    return [
        {"name": "ODMD_PIPELINE", "value": cp_names.pipeline_of(s.enver), "type": "PLAINTEXT"},
        {"name": "ODMD_PIPELINE_REGION", "value": s.enver.region, "type": "PLAINTEXT"},
        {"name": "ODMD_STEP", "value": f"{s.action} {s.enver.id}", "type": "PLAINTEXT"},
    ]
