"""The target template: one per build × account × region, deployed in that target account.

It holds the build role — trusted by GitHub's OIDC provider for exactly the build's repository
and revisions, and by the CodeBuild roles of its envers' pipelines — with the least-privilege
policies of `policies.py`, the ECR repositories of the build's images, and the build's
artefact bucket there.

OIDC subjects (`sub`), SPEC §5:
* a build that may have no clones (`IR.may_have_clones`: it declares none, and it is a
  singleton or the org's `max_clones` is 0): exactly its declared branches
  (`repo:OWNER/REPO:ref:refs/heads/BRANCH`) and tags (`…:ref:refs/tags/TAG`), `StringEquals`;
* a build that may have clones, in every account and region where it has envers:
  `repo:OWNER/REPO:ref:refs/heads/*` plus the declared tags, `StringLike`. A clone is made by
  a commit message on *any* branch (`odmd: create@…`) and deploys through its origin's role,
  so the role cannot know clone branches in advance; the repository and the `refs/heads/`
  prefix are still pinned, so pull requests (`sub` `…:pull_request`), environments and other
  repositories stay out. Tag clones are declared, so their tags are listed exactly. An org
  that wants exact branches everywhere sets `max_clones = 0` (no commit-command clones).
Runs the central stacks trigger come through `repository_dispatch`, which always runs on
the default branch; the github_actions workflow must re-dispatch itself (`workflow_dispatch`
on the enver's ref, named in the payload) before it assumes this role, so the token's `sub`
is the enver's ref and not the default branch. Jobs assuming the role must not use a GitHub
`environment:` (it replaces `ref:…` in `sub`).

CodeBuild (`ci = codepipeline`, or `codepipeline` among the org's backends): the pipelines'
CodeBuild roles (`names.codebuild_role_arn`, central account) assume this role to build and
deploy. They are trusted the way the center roles trust build roles: principal the central
account's root, condition `ArnEquals aws:PrincipalArn` on exactly the CodeBuild roles of this
group's envers — so the stack does not need those roles to exist, and a re-created role still
matches. Both statements count toward the trust policy's 2,048 characters (`quotas.py`).

Artefact bucket: s3artifact products (and anything else a build stores, e.g. CDK assets it
ships itself) are uploaded to `names.artifact_bucket`, one bucket per build × account × region,
encrypted (SSE-S3), versioned, public access blocked, TLS only, owner-enforced, retained when
the stack is deleted (CloudFormation cannot delete a bucket holding objects, and published
products point into it). Its name is published in this account and region at both artefact
parameters of SPEC §4: `/odmd-config/<build>/buildArtifactBucketName/<account id>`, which the
workflows and pipelines read, and `/odmd-config/<build>/buildArtifactBucketName`, for a build
that does not know its account id — in a target account and region only this build's bucket
can be meant, so both name it. The build role may put and get its objects, nothing else.
"""

from __future__ import annotations

from dataclasses import replace

from odmdc.backends.api import EmitContext
from odmdc.backends.aws.arns import bucket_arn
from odmdc.backends.aws.cfn import (
    DELETE,
    RETAIN,
    Json,
    Skip,
    Template,
    get_att,
    logical_id,
    placement_rule,
    ref,
)
from odmdc.backends.aws.iam import account_root, compact, document, statement
from odmdc.backends.aws.quotas import TRUST_POLICY_SIZE
from odmdc.backends.aws.s3 import private_bucket, tls_only
from odmdc.backends.cloudformation.groups import RoleGroup
from odmdc.backends.cloudformation.options import CloudFormationOptions
from odmdc.backends.cloudformation.policies import attach, build_role_statements
from odmdc.compiler.ir import Location

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
GITHUB_AUDIENCE = "sts.amazonaws.com"
BUILD_ROLE = "BuildRole"
BUCKET = "ArtifactBucket"
BUCKET_POLICY = "ArtifactBucketPolicy"
BUCKET_PARAMETER = "ArtifactBucketParameter"
BUCKET_PARAMETER_FOR_ACCOUNT = "ArtifactBucketParameterForAccount"
SID_GITHUB = "GitHubOidc"
SID_CODEBUILD = "PipelinesCodeBuild"

NO_ACCESS_LOGS = Skip(
    "CKV_AWS_18",
    "Objects are written only by this build's role (content-addressed build outputs) and read "
    "by those its products are handed to; CloudTrail data events audit object access where an "
    "org wants it, without a logging bucket per build, account and region.",
)

MUTABLE_TAGS = Skip(
    "CKV_AWS_51",
    "Branch envers rebuild and re-push the same tag on every commit of the branch. Nothing "
    "deploys by tag: consumers read the image's `latestSha` product and pin the digest.",
)


def oidc_subjects(g: RoleGroup) -> tuple[str, list[str]]:
    """The condition operator and the `sub` values the build role trusts."""
    repo = g.build.repo
    subs: set[str] = set()
    for e in g.envers:
        if e.revision.kind == "tag":
            subs.add(f"repo:{repo}:ref:refs/tags/{e.revision.value}")
        elif not g.clones:
            subs.add(f"repo:{repo}:ref:refs/heads/{e.revision.value}")
    if g.clones:
        subs.add(f"repo:{repo}:ref:refs/heads/*")
        return "StringLike", sorted(subs)
    return "StringEquals", sorted(subs)


def codebuild_roles(g: RoleGroup) -> list[str]:
    """The CodeBuild roles the build role trusts: its envers' pipelines', when the org
    deploys with them."""
    return sorted({e.names.codebuild_role_arn for e in g.envers}) if g.pipelines else []


def trust_policy(g: RoleGroup) -> Json:
    op, subs = oidc_subjects(g)
    condition: dict[str, Json] = {
        "StringEquals": {f"{GITHUB_OIDC_HOST}:aud": GITHUB_AUDIENCE},
    }
    sub_key = f"{GITHUB_OIDC_HOST}:sub"
    if op == "StringEquals":
        condition["StringEquals"][sub_key] = subs
    else:
        condition[op] = {sub_key: subs}
    provider = f"arn:{g.partition}:iam::{g.account_id}:oidc-provider/{GITHUB_OIDC_HOST}"
    statements = [statement(SID_GITHUB, ["sts:AssumeRoleWithWebIdentity"], None,
                            principal={"Federated": provider}, condition=condition)]
    roles = codebuild_roles(g)
    if roles:
        statements.append(statement(
            SID_CODEBUILD, ["sts:AssumeRole"], None,
            principal={"AWS": account_root(g.partition, g.central_account)},
            condition={"ArnEquals": {"aws:PrincipalArn": roles if len(roles) > 1
                                     else roles[0]}}))
    return document(*statements)


def trust_culprit(g: RoleGroup) -> Location:
    """What a too-long trust policy is blamed on: the first enver (by id) whose revision no
    longer fits; the build when it fits (`quotas.check` reports only what does not)."""
    if len(compact(trust_policy(g))) <= TRUST_POLICY_SIZE:
        return g.build.location
    for k in range(1, len(g.envers) + 1):
        part = replace(g, envers=g.envers[:k])
        if len(compact(trust_policy(part))) > TRUST_POLICY_SIZE:
            return g.envers[k - 1].location
    return g.build.location


def target_template(g: RoleGroup, opts: CloudFormationOptions, ctx: EmitContext) -> Template:
    e = g.first
    envers = [x.id for x in g.envers]
    t = Template(
        description=f"odmdc: build role of `{g.build.id}` ({g.build.repo}) in account "
        f"{g.account_alias} ({g.account_id}), {g.region}: for {', '.join(envers)}",
        rules=placement_rule(g.account_id, g.region),
    )
    statements, wildcards = build_role_statements(g, opts.cdk_qualifier)
    op, subs = oidc_subjects(g)
    t.add(BUILD_ROLE, "AWS::IAM::Role", {
        "RoleName": e.names.build_role_name,
        "Path": e.names.build_role_path,
        "Description": f"GitHub Actions of {g.build.repo} deploying {g.build.id} to "
                       f"{g.account_alias} {g.region}"[:1000],
        "MaxSessionDuration": 3600,
        "AssumeRolePolicyDocument": trust_policy(g),
    }, notes={"oidc-subjects": {"operator": op, "values": subs, "why": (
        "clones are made by commit messages on any branch and deploy through this role"
        if op == "StringLike" else "exactly the declared branches and tags")},
        **({"codebuild-roles": codebuild_roles(g)} if g.pipelines else {})},
        blame=trust_culprit(g))
    artifact_bucket(t, g)
    attach(t, BUILD_ROLE, statements, f"odmdc: least privilege of {e.names.build_role_name}",
           ctx, g, wildcards=tuple(wildcards))
    for x in g.envers:
        for image in x.images:
            clone = x.clone_of is not None
            t.add(logical_id("Repository", image.repository), "AWS::ECR::Repository", {
                "RepositoryName": image.repository,
                "ImageTagMutability": "MUTABLE",
                "ImageScanningConfiguration": {"ScanOnPush": True},
                "EncryptionConfiguration": {"EncryptionType": "KMS"},
                # a clone's images go with the clone; an enver's are kept if it is removed
                "EmptyOnDelete": clone,
            }, skips=(MUTABLE_TAGS,), policies=DELETE if clone else RETAIN,
                notes={"enver": x.id, "image": image.name, "local": image.local})
    t.metadata = {"odmdc": {
        "build": g.build.id, "repo": g.build.repo, "account": g.account_id,
        "account_alias": g.account_alias, "region": g.region, "envers": envers,
        "wildcards": [{"role": BUILD_ROLE, "action": w.action, "why": w.reason}
                      for w in wildcards],
        "artifact_bucket": e.names.artifact_bucket,
    }}
    t.output("BuildRoleArn", get_att(BUILD_ROLE), "the role GitHub Actions assume by OIDC")
    t.output("BuildRoleName", ref(BUILD_ROLE), "its name")
    t.output("ArtifactBucketName", ref(BUCKET), "the build's artefact bucket here")
    return t


def artifact_bucket(t: Template, g: RoleGroup) -> None:
    """The build's artefact bucket in this account and region, and the two parameters that
    name it (module docstring)."""
    e = g.first
    bucket = e.names.artifact_bucket
    uploads = {"Id": "abort-incomplete-uploads",
               "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}
    t.add(BUCKET, "AWS::S3::Bucket", private_bucket(bucket, uploads), skips=(NO_ACCESS_LOGS,),
          policies=RETAIN, blame=g.build.location)
    t.add(BUCKET_POLICY, "AWS::S3::BucketPolicy", {
        "Bucket": ref(BUCKET),
        "PolicyDocument": document(tls_only(bucket_arn(g.partition, bucket))),
    }, blame=g.build.location)
    for lid, name in ((BUCKET_PARAMETER, e.names.artifact_bucket_parameter),
                      (BUCKET_PARAMETER_FOR_ACCOUNT,
                       e.names.artifact_bucket_parameter_for_account)):
        t.add(lid, "AWS::SSM::Parameter", {
            "Name": name,
            "Type": "String",
            "Value": ref(BUCKET),
            "Description": f"odmdc: the artefact bucket of {g.build.id} in "
                           f"{g.account_alias} {g.region}"[:1024],
        }, blame=g.build.location)

