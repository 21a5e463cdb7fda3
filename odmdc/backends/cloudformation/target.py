"""The target template: one per build × account × region, deployed in that target account.

It holds the build role — trusted by whoever deploys the build's envers: each CI engine that
deploys the org (`odmdc.backends.ci`: GitHub's OIDC provider for exactly the build's repository
and revisions, the CodeBuild roles of the envers' pipelines) adds its statements, and together
they count toward the trust policy's 2,048 characters (`quotas.py`) — with the least-privilege
policies of `policies.py`, the ECR repositories of the build's images, and the build's
artefact bucket there.

Artefact bucket: s3artifact products (and anything else a build stores, e.g. CDK assets it
ships itself) are uploaded to `names.artifact_bucket`, one bucket per build × account × region,
encrypted (SSE-S3), versioned, public access blocked, TLS only, owner-enforced, retained when
the stack is deleted (CloudFormation cannot delete a bucket holding objects, and published
products point into it). Its name is published in this account and region at both artefact
parameters (docs/names.md): `/odmd-config/<build>/buildArtifactBucketName/<account id>`, which
the deployments read, and `/odmd-config/<build>/buildArtifactBucketName`, for a build that does
not know its account id — in a target account and region only this build's bucket can be
meant, so both name it. The build role may put and get its objects, nothing else.
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
from odmdc.backends.aws.iam import compact, document
from odmdc.backends.aws.quotas import TRUST_POLICY_SIZE
from odmdc.backends.aws.s3 import private_bucket, tls_only
from odmdc.backends.ci import CiEngine, RoleGroup
from odmdc.backends.cloudformation.options import CloudFormationOptions
from odmdc.backends.cloudformation.policies import attach, build_role_statements
from odmdc.compiler.ir import Location

BUILD_ROLE = "BuildRole"
BUCKET = "ArtifactBucket"
BUCKET_POLICY = "ArtifactBucketPolicy"
BUCKET_PARAMETER = "ArtifactBucketParameter"
BUCKET_PARAMETER_FOR_ACCOUNT = "ArtifactBucketParameterForAccount"

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


def trust_policy(g: RoleGroup, engines: tuple[CiEngine, ...]) -> Json:
    """The build role's trust policy: every deploying engine's statements, by Sid."""
    statements = [s for engine in engines for s in engine.trust(g).statements]
    return document(*sorted(statements, key=lambda s: str(s["Sid"])))


def trust_culprit(g: RoleGroup, engines: tuple[CiEngine, ...]) -> Location:
    """What a too-long trust policy is blamed on: the first enver (by id) whose revision no
    longer fits; the build when it fits (`quotas.check` reports only what does not)."""
    if len(compact(trust_policy(g, engines))) <= TRUST_POLICY_SIZE:
        return g.build.location
    for k in range(1, len(g.envers) + 1):
        part = replace(g, envers=g.envers[:k])
        if len(compact(trust_policy(part, engines))) > TRUST_POLICY_SIZE:
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
    engines = ctx.deployers
    notes: dict[str, Json] = {}
    for engine in engines:
        notes.update(engine.trust(g).notes)
    deployers = " and ".join(engine.title for engine in engines)
    t.add(BUILD_ROLE, "AWS::IAM::Role", {
        "RoleName": e.names.build_role_name,
        "Path": e.names.build_role_path,
        "Description": f"{deployers} of {g.build.repo} deploying {g.build.id} to "
                       f"{g.account_alias} {g.region}"[:1000],
        "MaxSessionDuration": 3600,
        "AssumeRolePolicyDocument": trust_policy(g, engines),
    }, notes=notes, blame=trust_culprit(g, engines))
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
    t.output("BuildRoleArn", get_att(BUILD_ROLE), f"the role {deployers} assume to deploy")
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

