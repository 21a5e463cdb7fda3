"""One enver's pipeline as a CloudFormation template for the central account and the enver's
region: the artifact bucket, the roles, the CodeBuild projects (buildspec inline) and their log
groups, the approval topics and approver roles, and the pipeline — the same declaration as
`pipeline.declaration`, referencing these resources.

Least privilege, every resource a literal ARN of this enver's own things:
* pipeline role (trusted by CodePipeline): use the connection, read and
  write its own artifact bucket, start its own projects, notify its own approval topics;
* CodeBuild role (trusted by CodeBuild): write its own log groups, read and
  write its own artifact bucket, assume the enver's build role (which reaches the center role;
  the build role's trust names this role: this backend's CI engine, `ci.py`), use the
  connection when a tag enver's full clone needs it, read the npm token when it publishes a package;
* one approver role per approval action: assumable only by the `approve(…)` roles, allowed to
  approve or reject exactly that action and to read the pipeline's state.

CodePipeline has no resource policies: the template can give approval rights to exactly the
named roles, but cannot take them away from principals of the central account that already
hold `codepipeline:PutApprovalResult` on `*` (administrators). Keep those out with a
permissions boundary or an SCP; the approver roles' ARNs are outputs for that.
"""

from __future__ import annotations

import re

from odmdc.backends.aws import arns
from odmdc.backends.aws.cfn import RETAIN, Json, Template, get_att, placement_rule, ref
from odmdc.backends.aws.iam import document, principals, statement
from odmdc.backends.aws.s3 import private_bucket, tls_only
from odmdc.backends.codepipeline import names as cp_names
from odmdc.backends.codepipeline.buildspec import buildspec, environment, render
from odmdc.backends.codepipeline.layout import APPROVE_STAGE, Approval, Layout, Step
from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.backends.codepipeline.pipeline import declaration, to_cloudformation

PIPELINE_ROLE = "PipelineRole"
CODEBUILD_ROLE = "CodeBuildRole"
BUCKET = "ArtifactBucket"
BUCKET_POLICY = "ArtifactBucketPolicy"
PIPELINE = "Pipeline"
_NOT_ID = re.compile(r"[^A-Za-z0-9]")

S3_OBJECTS = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
S3_BUCKET = ["s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"]
APPROVER_READ = [
    "codepipeline:GetPipeline",
    "codepipeline:GetPipelineExecution",
    "codepipeline:GetPipelineState",
    "codepipeline:ListActionExecutions",
    "codepipeline:ListPipelineExecutions",
]


def _id(*parts: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in (_NOT_ID.sub("", x) for x in parts))


def project_id(step: Step) -> str:
    return _id(step.stage, "Project")


def log_group(project: str) -> str:
    return f"/aws/codebuild/{project}"


def approval_ids(a: Approval) -> tuple[str, str, str]:
    """Logical ids of an approval's topic, topic policy and approver role."""
    return _id(a.action, "Topic"), _id(a.action, "TopicPolicy"), _id(a.action, "ApproverRole")


def trust(service: str) -> Json:
    """The service, unconditioned: a service role is only usable by a pipeline or project
    whose creator may `iam:PassRole` it, which no other account can (AWS CDK's roles trust
    the same way). A `aws:SourceArn` condition would have to match exactly what the service
    sends, and a mismatch breaks every run."""
    sid = _id(service.partition(".")[0], "Assumes")
    return document(statement(sid, ["sts:AssumeRole"], None, principal={"Service": service}))


def approvers_trust(lay: Layout, a: Approval) -> Json:
    """The approvers' accounts, and in them exactly the named roles (by `aws:PrincipalArn`,
    so that the stack does not need the roles to exist, and a re-created role still
    matches)."""
    p = lay.enver.partition
    return document(statement(
        "NamedApproversOnly", ["sts:AssumeRole"], None,
        principal=principals(p, a.roles),
        condition={"ArnEquals": {"aws:PrincipalArn": list(a.roles)}},
    ))


def add_artifact_bucket(t: Template, bucket: str, partition: str,
                        opts: CodePipelineOptions) -> None:
    """The pipeline's own artifact bucket (private, encrypted, TLS only, artifacts expiring),
    kept when the stack goes: CloudFormation cannot delete a bucket that holds objects."""
    arn = arns.bucket_arn(partition, bucket)
    t.add(BUCKET, "AWS::S3::Bucket", private_bucket(bucket, {
        "Id": "expire-artifacts",
        "ExpirationInDays": opts.artifact_retention_days,
        "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
    }), policies=RETAIN)
    t.add(BUCKET_POLICY, "AWS::S3::BucketPolicy", {
        "Bucket": ref(BUCKET),
        "PolicyDocument": document(tls_only(arn)),
    })


def artifact_statements(partition: str, bucket: str) -> list[dict[str, Json]]:
    arn = arns.bucket_arn(partition, bucket)
    return [statement("OwnArtifacts", S3_OBJECTS, [f"{arn}/*"]),
            statement("OwnArtifactBucket", S3_BUCKET, [arn])]


def add_project(t: Template, logical_id: str, name: str, description: str, spec: str,
                environment: Json, privileged: bool, timeout: int,
                opts: CodePipelineOptions, role: str = CODEBUILD_ROLE) -> None:
    """A CodeBuild project run by a pipeline as `role` (a logical id), and its log group."""
    logs = logical_id.removesuffix("Project") + "Logs"
    t.add(logs, "AWS::Logs::LogGroup", {
        "LogGroupName": log_group(name),
        "RetentionInDays": opts.log_retention_days,
    })
    env: dict[str, Json] = {
        "Type": "LINUX_CONTAINER",
        "ComputeType": opts.compute_type,
        "Image": opts.codebuild_image,
        "PrivilegedMode": privileged,
    }
    if environment:
        env["EnvironmentVariables"] = environment
    t.add(logical_id, "AWS::CodeBuild::Project", {
        "Name": name,
        "Description": description[:255],
        "ServiceRole": get_att(role),
        "Source": {"Type": "CODEPIPELINE", "BuildSpec": spec},
        "Artifacts": {"Type": "CODEPIPELINE"},
        "Environment": env,
        "LogsConfig": {"CloudWatchLogs": {"Status": "ENABLED", "GroupName": ref(logs)}},
        "TimeoutInMinutes": timeout,
    })


def enver_template(lay: Layout, opts: CodePipelineOptions) -> dict[str, Json]:
    e = lay.enver
    p, region, central = e.partition, e.region, lay.central
    pipeline = lay.pipeline
    bucket = lay.names.artifact_bucket
    t = Template(
        description=f"odmdc: the CodePipeline of {e.id} ({e.revision.path}, "
        f"{lay.build.repo}) deploying to {e.account_alias} {region}",
        rules=placement_rule(central, region),
    )
    add_artifact_bucket(t, bucket, p, opts)
    # --- roles ---------------------------------------------------------------------------
    projects = [arns.project_arn(p, region, central, s.project) for s in lay.steps]
    topics = [arns.topic_arn(p, region, central, a.topic) for a in lay.approvals]
    pipe_arn = arns.pipeline_arn(p, region, central, pipeline)
    pipeline_statements = [
        statement("UseConnection", [arns.connection_action(lay.connection)], [lay.connection]),
        *artifact_statements(p, bucket),
        statement("RunOwnProjects", ["codebuild:BatchGetBuilds", "codebuild:StartBuild"],
                  projects),
    ]
    if topics:
        pipeline_statements.append(statement("NotifyApprovers", ["sns:Publish"], topics))
    t.add(PIPELINE_ROLE, "AWS::IAM::Role", {
        "RoleName": cp_names.pipeline_role_name(pipeline, "pipeline"),
        "Path": lay.names.role_path,
        "Description": f"odmdc: CodePipeline {pipeline} of {e.id}"[:1000],
        "AssumeRolePolicyDocument": trust("codepipeline.amazonaws.com"),
        "Policies": [{"PolicyName": "pipeline",
                      "PolicyDocument": document(*pipeline_statements)}],
    })
    groups = [log_group(s.project) for s in lay.steps]
    codebuild_statements = [
        statement("OwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"],
                  [arns.log_group_arn(p, region, central, g) for g in groups]),
        *artifact_statements(p, bucket),
        statement("BecomeBuildRole", ["sts:AssumeRole"], [e.names.build_role_arn]),
    ]
    if lay.clone_ref:
        codebuild_statements.append(statement(
            "CloneWithConnection", [arns.connection_action(lay.connection)], [lay.connection]))
    if e.kind == "npm_package" and opts.npm_token_secret:
        codebuild_statements.append(statement(
            "ReadNpmToken", ["secretsmanager:GetSecretValue"],
            [arns.secret_arn(p, region, central, opts.npm_token_secret)]))
    t.add(CODEBUILD_ROLE, "AWS::IAM::Role", {
        "RoleName": cp_names.pipeline_role_name(pipeline, "codebuild"),
        "Path": lay.names.role_path,
        "Description": f"odmdc: CodeBuild of pipeline {pipeline}; becomes "
                      f"{e.names.build_role_name}"[:1000],
        "AssumeRolePolicyDocument": trust("codebuild.amazonaws.com"),
        "Policies": [{"PolicyName": "codebuild",
                      "PolicyDocument": document(*codebuild_statements)}],
    })
    # --- projects --------------------------------------------------------------------------
    refs: dict[str, Json] = {
        lay.names.pipeline_role_arn: get_att(PIPELINE_ROLE),
        bucket: ref(BUCKET),
    }
    for s in lay.steps:
        add_project(t, project_id(s), s.project, f"odmdc: {s.stage} of {e.id} ({e.kind})",
                    render(buildspec(lay, s, opts)), environment(lay, s, opts),
                    # docker builds, and CDK apps with image assets
                    e.kind in ("cdk", "container_image"), opts.build_timeout_minutes, opts)
        refs[s.project] = ref(project_id(s))
    # --- approvals -------------------------------------------------------------------------
    for a in lay.approvals:
        topic, topic_policy, role = approval_ids(a)
        t.add(topic, "AWS::SNS::Topic", {
            "TopicName": a.topic,
            "DisplayName": f"odmd approvals of {e.id}"[:100],
        })
        t.add(topic_policy, "AWS::SNS::TopicPolicy", {
            "Topics": [ref(topic)],
            "PolicyDocument": document(statement(
                "NamedApproversSubscribe", ["sns:Subscribe"], ref(topic),
                principal=principals(p, a.roles),
                condition={"ArnEquals": {"aws:PrincipalArn": list(a.roles)}})),
        })
        action_arn = f"{pipe_arn}/{APPROVE_STAGE}/{a.action}"
        t.add(role, "AWS::IAM::Role", {
            "RoleName": a.approver_role,
            "Path": lay.names.role_path,
            "Description": f"odmdc: approves {APPROVE_STAGE}/{a.action} of {pipeline}; for "
                           f"{', '.join(a.roles)}"[:1000],
            "AssumeRolePolicyDocument": approvers_trust(lay, a),
            "Policies": [{"PolicyName": "approve", "PolicyDocument": document(
                statement("ApproveThisActionOnly", ["codepipeline:PutApprovalResult"],
                          [action_arn]),
                statement("SeeWhatIsApproved", APPROVER_READ, [pipe_arn]),
            )}],
        })
        refs[arns.topic_arn(p, region, central, a.topic)] = ref(topic)
        t.output(f"{role}Arn", get_att(role),
                 f"{', '.join(a.roles)} assume this role to approve {a.action} of {pipeline}")
    # --- the pipeline ----------------------------------------------------------------------
    t.add(PIPELINE, "AWS::CodePipeline::Pipeline",
          to_cloudformation(declaration(lay), refs),
          depends_on=[BUCKET_POLICY])  # no artifact before TLS is enforced
    t.output("PipelineName", ref(PIPELINE), f"the pipeline of {e.id}")
    t.output("CodeBuildRoleArn", get_att(CODEBUILD_ROLE),
             f"the build role {e.names.build_role_name} must trust this role")
    t.metadata = {"odmdc": {
        "enver": e.id, "build": e.build, "kind": e.kind, "revision": e.revision.path,
        "account": e.account_id, "region": region, "central_account": central,
        "pipeline": pipeline,
        "approvals": [{"action": a.action, "roles": list(a.roles),
                       "consumers": [c.name for c in a.consumers]} for a in lay.approvals],
    }}
    return t.body()
