"""What the checker does not know but this backend needs: a connection in every region, a
pipeline name within CodePipeline's limits, names that stay distinct after this backend's own
sanitising, an npm token for npm packages, approvers that are roles. Each problem is one E601
— at the enver, the build, the consumer, or the first enver of a region it concerns — and the
envers it affects get no files. What a clone shares with its origin (consumers, products) is
reported once, at the origin's declaration.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from odmdc.backends.api import EmitContext
from odmdc.backends.codepipeline import names as cp_names
from odmdc.backends.codepipeline.layout import role_arn_ok, work_dirs_ok
from odmdc.backends.codepipeline.options import CONNECTION_ARN, CodePipelineOptions
from odmdc.backends.runtime.variables import env_var
from odmdc.compiler.ir import IR, Enver, Location

Problem = tuple[Location, str, str]  # where, message, help


def check_ir(ir: IR, opts: CodePipelineOptions, ctx: EmitContext) -> set[str]:
    """The ids of the envers that can get a pipeline."""
    envers = ir.envers()
    bad: set[str] = set()
    clones: dict[str, list[str]] = defaultdict(list)
    for e in envers:
        if e.clone_of:
            clones[e.clone_of].append(e.id)

    def report(problems: Iterator[Problem], *affected: str) -> None:
        for where, message, help_ in problems:
            ctx.unsupported(where, message, help=help_)
            bad.update(affected)

    by_region: dict[str, list[Enver]] = defaultdict(list)
    for e in envers:
        by_region[e.region].append(e)
    for region in sorted(by_region):
        report(_connection(ir, region, by_region[region], opts),
               *(e.id for e in by_region[region]))
    for b in sorted(ir.builds):
        why = work_dirs_ok(ir.builds[b])
        if why:
            report(iter([(ir.builds[b].location, f"`{b}`: {why}",
                          "name directories inside the repository, one for a cdk app")]),
                   *ir.builds[b].envers)
    for e in envers:
        if ctx.name_limit(e.location, "pipeline name", "CodePipeline name",
                          cp_names.pipeline_of(e), help="shorten the build id, revision or "
                          "account alias", label="the clone's pipeline" if e.clone_of
                          else "the enver's pipeline"):
            bad.add(e.id)
        report(_npm_token(e, opts), e.id)
        if e.clone_of is None:  # a clone's consumers and products are its origin's
            report(_declarations(e), e.id, *clones[e.id])
    for e, other in _clashes(envers):
        report(iter([_clash(e, other)]), e.id)
    return {e.id for e in envers} - bad


def _connection(ir: IR, region: str, envers: list[Enver], opts: CodePipelineOptions
                ) -> Iterator[Problem]:
    central = ir.org.central_account_id
    first = envers[0]
    arn = opts.connection(region)
    problem = None
    if arn is None:
        problem = (f"no CodeStar connection for region {region}, where {len(envers)} "
                   "enver(s) deploy from GitHub")
    else:
        m = CONNECTION_ARN.fullmatch(arn)
        assert m is not None  # the options validated it
        if m.group(4) != central:
            problem = (f"the connection for {region} is in account {m.group(4)}; the "
                       f"pipelines run in the central account {central}")
        elif m.group(1) != first.partition:
            problem = f"the connection for {region} is not in partition {first.partition}"
    if problem:
        yield (first.location, problem,
               f"create a connection to GitHub in account {central}, {region}, and add its ARN "
               f"(`arn:{first.partition}:codeconnections:{region}:{central}:connection/…`) to "
               "`connections` in the org's `backend codepipeline { … }`")


def _npm_token(e: Enver, opts: CodePipelineOptions) -> Iterator[Problem]:
    if e.kind == "npm_package" and opts.npm_token_secret is None:
        yield (e.location, f"`{e.id}` publishes an npm package, and the codepipeline option "
               "`npm_token_secret` is not set",
               "store an npm automation token in Secrets Manager (central account, "
               f"{e.region}) and set `npm_token_secret` to its name")


def _declarations(e: Enver) -> Iterator[Problem]:
    variables: dict[str, str] = {}
    for c in e.consumers:
        wrong = [r for r in c.reaction.roles if not role_arn_ok(r, e.partition)]
        if c.reaction.kind == "approve" and wrong:
            yield (c.location, f"`approve` of `{e.id}`'s consumer `{c.name}` names "
                   f"{wrong[0]!r}, not an IAM role ARN in partition `{e.partition}`",
                   "name the approvers' roles, e.g. "
                   f"`approve(\"arn:{e.partition}:iam::123456789012:role/release-managers\")`")
        v = env_var(c.name)
        if v in variables:
            yield (c.location, f"consumers `{variables[v]}` and `{c.name}` of `{e.id}` map to "
                   f"the same variables `{v}_VALUE`/`{v}_PATH` in its builds",
                   "rename one so they differ in more than punctuation or case")
        variables.setdefault(v, c.name)
    if e.kind == "cdk":
        keys: dict[str, str] = {}
        for p in e.products:
            if p.output_key in keys:
                yield (e.location, f"products `{keys[p.output_key]}` and `{p.name}` of "
                       f"`{e.id}` both read stack output `{p.output_key}`",
                       "rename one so they differ in more than punctuation")
            keys.setdefault(p.output_key, p.name)


def _clashes(envers: list[Enver]) -> Iterator[tuple[Enver, Enver]]:
    """Pairs (later, earlier) of envers whose CodeBuild projects would be the same (two envers
    of a build on one revision path are E105 before any backend runs)."""
    projects: dict[tuple[str, str], Enver] = {}
    for e in envers:
        # CodeBuild project names drop `.`: `b..1.0` and `b..1-0` would meet
        key = (e.region, cp_names.codebuild_project(cp_names.pipeline_of(e), ""))
        if key in projects:
            yield e, projects[key]
        projects.setdefault(key, e)


def _clash(e: Enver, other: Enver) -> Problem:
    return (e.location, f"the CodeBuild projects of `{e.id}` and `{other.id}` get the same "
            "names once `.` becomes `-`", "make their revisions differ in more than `.` and `-`")
