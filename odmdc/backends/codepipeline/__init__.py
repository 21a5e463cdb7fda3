"""The `codepipeline` backend (docs/backends.md): one AWS CodePipeline per enver, clones included.

For each enver it writes `<build>/<revision path>.pipeline.json`, exactly the `pipeline`
argument of `CreatePipeline`, and `<build>/<revision path>.template.json`, a CloudFormation
template creating that pipeline with everything it needs (`template.py`). Both describe the
same pipeline from one `layout.Layout`. Pipelines live in the central account, in the enver's
region, named by `names.py`; the cloudformation backend's reactions start them.
`release.pipeline.json` / `release.template.json` hold the org's release pipeline, and for a
large org `release.runner-N.template.json` the projects that run its batches (`release.py`).

The files are meant to be deployed by the template (the `.pipeline.json` is the same
definition for `aws codepipeline create-pipeline --cli-input-json`, e.g. to inspect or diff
it): the template creates the roles, bucket, projects and topics that the pipeline names.

Decisions of this backend, each explained where it is made: the CodeStar connections are
a required option, one per region (`options.py`); a tag enver is triggered by a
git tag filter and always builds its tag (`pipeline.py`); approvers are restricted by an
approver role per approval action (`template.py`); what a repository provides and gets
(`buildspec.py`); the release pipeline's steps (`release.py`). The pipeline's CodeBuild role
assumes the enver's build role, which the cloudformation backend creates: its trust admits
its CodeBuild roles (`ci.py`) when the org deploys with this backend. An `s3artifact` product is
uploaded, as the build role, to the build's artefact bucket in the enver's account and region,
whose name the helper reads from `names.artifact_bucket_parameter_for_account` there (the
cloudformation backend's target template makes both; `buildspec.py`, docs/runtime.md). With an
org `ci` other than `codepipeline`, nothing starts these pipelines on a change (W601).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from odmdc.backends.api import Backend, EmitContext, OutputFile
from odmdc.backends.codepipeline import names as cp_names
from odmdc.backends.codepipeline.checks import check_ir
from odmdc.backends.codepipeline.layout import layout
from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.backends.codepipeline.pipeline import declaration
from odmdc.backends.codepipeline.release import release_files
from odmdc.backends.codepipeline.template import enver_template
from odmdc.compiler.ir import IR, Enver


class CodePipelineBackend(Backend):
    name = "codepipeline"
    description = ("per enver a CodePipeline (CreatePipeline input and CloudFormation "
                   "template) and the org release pipeline following the plan")
    Options = CodePipelineOptions

    @classmethod
    def names(cls, ir: IR, enver: Enver) -> dict[str, str]:
        n = cp_names.of(enver, ir.org.central_account_id)
        return {"pipeline": n.pipeline, "role": n.pipeline_role_arn,
                "codebuild": n.codebuild_role_arn, "artefacts": n.artifact_bucket}

    def emit(self, ir: IR, ctx: EmitContext) -> Iterable[OutputFile]:
        return self._files(ir, ctx, envers=True)

    def check(self, ir: IR, ctx: EmitContext) -> None:
        # an enver's pipeline and template report nothing of their own: all but the files
        for _ in self._files(ir, ctx, envers=False):
            pass

    def _files(self, ir: IR, ctx: EmitContext, *, envers: bool) -> Iterator[OutputFile]:
        opts = self.options
        assert isinstance(opts, CodePipelineOptions)
        if ir.org.ci != self.name and ir.envers():
            ctx.unsupported(
                min(ir.envers(), key=lambda e: e.id).location,
                f"org `{ir.org.name}` deploys with `{ir.org.ci}`: no reaction starts these "
                "pipelines when a consumed product changes", warning=True,
                help="set the org's `ci = codepipeline` to deploy with them")
        usable = check_ir(ir, opts, ctx)
        for e in ir.envers() if envers else ():
            if e.id not in usable:
                continue
            lay = layout(ir, e, opts)
            stem = f"{e.build}/{e.revision.path}"
            yield OutputFile.json(f"{stem}.pipeline.json", declaration(lay))
            yield OutputFile.json(f"{stem}.template.json", enver_template(lay, opts))
        if usable == {e.id for e in ir.envers()}:  # it starts every enver's pipeline
            yield from release_files(ir, opts, ctx)
