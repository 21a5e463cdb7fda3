"""The `github_actions` backend: one deployable GitHub Actions workflow per build × region ×
account (docs/backends.md), at `<owner>/<repo>/.github/workflows/<names.workflow_file>`.

A workflow is the same text on every branch it is committed to. It runs on a push to one of
its envers' branches or tags — and, for builds that may have clones (`IR.may_have_clones`:
not a singleton, and the org's `max_clones` above 0), to any branch a clone could live on —,
on `workflow_dispatch`, and on the `repository_dispatch` events the central side sends when
a consumed product changes. Such a dispatch names a declared enver; the workflow runs again on
its ref and on the branches of the clones commit commands made of it, found by their clone
records (workflow.redispatch_job). Its first job decides which enver, if any, the
run deploys (`odmd_github.py resolve`); the next assumes the build role by OIDC, reads the
consumed values through the center role, builds by kind and publishes the products.
docs/runtime.md is the contract with the repositories: what a build finds in its environment
and how it hands back product values.

Modules: `workflow` (the document), `tables` (the names the resolve step works from),
`scripts` (the steps' `run:` text: `scripts/*.sh` glue and the embedded helper), `runtime`
(the GitHub-only part of the deploy-time helper), `actions` (pinned actions), `options`,
`yaml_text`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from odmdc.backends.api import Backend, EmitContext, OutputFile
from odmdc.backends.github_actions import workflow, yaml_text
from odmdc.backends.github_actions.options import GithubActionsOptions
from odmdc.compiler.ir import IR, Build, Enver

__all__ = ["GithubActionsBackend", "GithubActionsOptions"]

_REPO = re.compile(r"([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]{1,100})")
_WORK_DIR = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_./-]*")


class GithubActionsBackend(Backend):
    name = "github_actions"
    description = ("a GitHub Actions workflow per build, account and region: OIDC deploy by "
                   "kind, consumed values in, products out, clones by commit command")
    Options = GithubActionsOptions

    def emit(self, ir: IR, ctx: EmitContext) -> Iterable[OutputFile]:
        # `check` is this too: a workflow's size is known only once it is written
        options = ctx.options
        assert isinstance(options, GithubActionsOptions)
        for g in self._groups(ir, ctx):
            document = workflow.document(g, ir, options)
            too_big = workflow.oversized_env(document)
            if too_big:
                ctx.unsupported(g.build.location, f"the workflow of `{g.build.id}` in "
                                f"{g.first.account_alias} {g.first.region} would pass "
                                f"{too_big} bytes in one environment variable, more than "
                                f"Linux allows ({workflow.ENV_LIMIT})",
                                help="split the build's envers across accounts or regions")
                continue
            text = yaml_text.dump(document, workflow.header(g, ir))
            size = len(text.encode())
            if size > workflow.FILE_LIMIT:
                ctx.unsupported(g.build.location, f"the workflow of `{g.build.id}` in "
                                f"{g.first.account_alias} {g.first.region} would be {size} "
                                f"bytes, more than GitHub runs ({workflow.FILE_LIMIT})",
                                help="split the build's envers across accounts or regions")
                continue
            yield OutputFile.text(f"{g.build.repo}/.github/workflows/{g.file}", text)

    def _groups(self, ir: IR, ctx: EmitContext) -> Iterator[workflow.Group]:
        for bid in sorted(ir.builds):
            build = ir.builds[bid]
            if not self._usable(build, ir, ctx):
                continue
            files: dict[str, list[Enver]] = defaultdict(list)
            for e in ir.envers_of(bid):
                files[e.names.workflow_file].append(e)
            for file in sorted(files):
                envers = tuple(sorted(files[file], key=lambda e: e.id))
                yield workflow.Group(build, envers, ir.may_have_clones(bid))

    def _usable(self, build: Build, ir: IR, ctx: EmitContext) -> bool:
        ok = True
        m = _REPO.fullmatch(build.repo)
        if m is None or m.group(2) in (".", ".."):
            ctx.unsupported(build.location, f"`repo = \"{build.repo}\"` of build `{build.id}` is "
                            "not a GitHub repository `owner/name`",
                            help="write the repository as `owner/name`, e.g. `acme/orders`")
            ok = False
        for d in build.work_dirs:
            if not _WORK_DIR.fullmatch(d) or ".." in d.split("/"):
                ctx.unsupported(build.location, f"work directory `{d}` of build `{build.id}` is "
                                "not a path inside the repository",
                                help="list directories relative to the repository root, "
                                "without `..`")
                ok = False
        if build.kind == "cdk":
            for e in ir.envers_of(build.id):
                seen: dict[str, str] = {}
                for p in e.products:
                    other = seen.setdefault(p.output_key, p.name)
                    if other != p.name:
                        ctx.unsupported(
                            e.location, f"products `{other}` and `{p.name}` of `{e.id}` would "
                            f"both be read from the stack output `{p.output_key}`",
                            help="rename one so they differ in more than punctuation")
                        ok = False
        return ok
