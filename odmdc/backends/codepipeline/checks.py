"""What the checker does not know but this backend needs: a connection in every region, a
pipeline name within CodePipeline's limits, names that stay distinct after this backend's own
sanitising, an npm token for npm packages. Each problem is one E601 at the enver (or the first
enver of a region) it concerns; the envers affected get no files.
"""

from __future__ import annotations

from collections import defaultdict

from odmdc.backends.api import EmitContext
from odmdc.backends.codepipeline.layout import role_arn_ok, work_dirs_ok
from odmdc.backends.codepipeline.options import CONNECTION_ARN, CodePipelineOptions
from odmdc.backends.ssm import env_var
from odmdc.compiler import naming
from odmdc.compiler.ir import IR, Enver


def check_ir(ir: IR, opts: CodePipelineOptions, ctx: EmitContext) -> set[str]:
    """The ids of the envers that can get a pipeline."""
    envers = ir.envers()
    bad: set[str] = set()
    central = ir.org.central_account_id
    by_region: dict[str, list[Enver]] = defaultdict(list)
    for e in envers:
        by_region[e.region].append(e)
    for region in sorted(by_region):
        first = by_region[region][0]
        arn = opts.connection(region)
        problem = None
        if arn is None:
            problem = (f"no CodeStar connection for region {region}, where "
                       f"{len(by_region[region])} enver(s) deploy from GitHub")
        else:
            m = CONNECTION_ARN.fullmatch(arn)
            assert m is not None  # the options validated it
            if m.group(4) != central:
                problem = (f"the connection for {region} is in account {m.group(4)}; the "
                           f"pipelines run in the central account {central}")
            elif m.group(1) != first.partition:
                problem = f"the connection for {region} is not in partition {first.partition}"
        if problem:
            ctx.unsupported(
                first.location, problem,
                help=f"create a connection to GitHub in account {central}, {region}, and set "
                f"the codepipeline option `connections` = {{\"{region}\": \"arn:"
                f"{first.partition}:codeconnections:{region}:{central}:connection/…\"}}",
            )
            bad.update(e.id for e in by_region[region])
    for b in sorted(ir.builds):
        why = work_dirs_ok(ir.builds[b])
        if why:
            ctx.unsupported(ir.builds[b].location, f"`{b}`: {why}",
                            help="name directories inside the repository, one for a cdk app")
            bad.update(ir.builds[b].envers)
    reported: set[tuple[str, int, int]] = set()  # a clone's consumers are its origin's
    for e in envers:
        for c in e.consumers:
            wrong = [r for r in c.reaction.roles if not role_arn_ok(r, e.partition)]
            if c.reaction.kind != "approve" or not wrong:
                continue
            bad.add(e.id)
            where = (c.location.file, c.location.line, c.location.column)
            if where in reported:
                continue
            reported.add(where)
            ctx.unsupported(
                c.location,
                f"`approve` of `{e.id}`'s consumer `{c.name}` names {wrong[0]!r}, not an IAM "
                f"role ARN in partition `{e.partition}`",
                help="name the approvers' roles, e.g. "
                f"`approve(\"arn:{e.partition}:iam::123456789012:role/release-managers\")`")
    seen_stems: dict[tuple[str, str], Enver] = {}
    projects: dict[tuple[str, str], Enver] = {}
    for e in envers:
        name = e.names.pipeline_name
        why = naming.limit_problems("pipeline name", name)
        if why:
            ctx.unsupported(e.location, f"the pipeline name `{name}` of `{e.id}`: {why}",
                            help="shorten the build id, revision or account alias")
            bad.add(e.id)
        stem = (e.build, e.revision.path)
        if stem in seen_stems:
            other = seen_stems[stem]
            ctx.unsupported(
                e.location, f"`{e.id}` and `{other.id}` share revision path "
                f"`{e.revision.path}`; codepipeline names its files by build and revision path",
                help="give envers of one build distinct branches or tags")
            bad.add(e.id)
        seen_stems.setdefault(stem, e)
        # CodeBuild project names drop `.`: `b..1.0` and `b..1-0` would meet
        key = (e.region, naming.codebuild_project(name, ""))
        if key in projects and projects[key].id != e.id:
            ctx.unsupported(
                e.location, f"the CodeBuild projects of `{e.id}` and `{projects[key].id}` get "
                "the same names once `.` becomes `-`",
                help="make their revisions differ in more than `.` and `-`")
            bad.add(e.id)
        projects.setdefault(key, e)
        if e.kind == "npm_package" and opts.npm_token_secret is None:
            ctx.unsupported(
                e.location, f"`{e.id}` publishes an npm package, and the codepipeline option "
                "`npm_token_secret` is not set",
                help="store an npm automation token in Secrets Manager (central account, "
                f"{e.region}) and set `npm_token_secret` to its name")
            bad.add(e.id)
        variables: dict[str, str] = {}
        for c in e.consumers:
            v = env_var(c.name)
            if v in variables:
                ctx.unsupported(
                    c.location, f"consumers `{variables[v]}` and `{c.name}` of `{e.id}` map to "
                    f"the same variables `{v}_VALUE`/`{v}_PATH` in its builds",
                    help="rename one so they differ in more than punctuation or case")
                bad.add(e.id)
            variables.setdefault(v, c.name)
        if e.kind == "cdk":
            keys: dict[str, str] = {}
            for p in e.products:
                if p.output_key in keys:
                    ctx.unsupported(
                        e.location, f"products `{keys[p.output_key]}` and `{p.name}` of "
                        f"`{e.id}` both read stack output `{p.output_key}`",
                        help="rename one so they differ in more than punctuation")
                    bad.add(e.id)
                keys.setdefault(p.output_key, p.name)
    return {e.id for e in envers} - bad
