"""The least-privilege policies of the build and center roles (docs/semantics.md#least-privilege),
and packing them into managed policies that fit IAM's size limits.

Every resource here is a literal ARN, or an ARN pattern, computed from the IR through
`naming`, so a test can read a generated policy and compare it with the graph. The single `*`
is `ecr:GetAuthorizationToken`, which AWS defines on no resource. What each role may do, and
which script or helper call needs it:

build role (target account; GitHub Actions by OIDC, CodeBuild of the codepipeline backend):
* become its center role (every config-store call goes through it);
* its envers' stacks: a CDK deploy's own calls (the resources are changed by the CDK bootstrap
  roles, which it may assume), and reading their outputs; for a build that may have clones,
  the same plus `DeleteStack` on the stacks of clones made at run time (`clones.py`
  patterns), which `odmd: delete` removes;
* its envers' ECR repositories: push, and describe them (the pipelines' helper reads a
  repository's URI, the workflows an image's digest); for clones made at run time, also
  create and delete theirs (patterns);
* read its artefact parameters and put/get objects in its artefact bucket (`target.py`),
  where s3artifact products are uploaded.

center role (central account, Parameter Store only):
* write, read and delete exactly the group's product paths, and read the paths it consumes;
* for a build that may have clones: the product paths of clones made at run time of each
  origin (patterns), and the build's clone records — read, write, delete each, list the
  folder (the workflow's resolve, record and delete steps, and its redispatch).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from odmdc.backends.api import EmitContext
from odmdc.backends.aws import arns
from odmdc.backends.aws.arns import parameter_arn
from odmdc.backends.aws.cfn import Json, Template, ref
from odmdc.backends.aws.iam import compact, document, statement
from odmdc.backends.aws.quotas import MANAGED_POLICIES_PER_ROLE, MANAGED_POLICY_SIZE
from odmdc.backends.ci import RoleGroup
from odmdc.backends.cloudformation.clones import clone_patterns
from odmdc.compiler import naming

# --- what each capability needs --------------------------------------------------------------
ASSUME = ["sts:AssumeRole", "sts:TagSession"]  # role chaining in configure-aws-credentials tags
STACK_ACTIONS = [  # a CDK deploy's own calls; resources are changed by the bootstrap roles
    "cloudformation:CreateChangeSet",
    "cloudformation:DeleteChangeSet",
    "cloudformation:DescribeChangeSet",
    "cloudformation:DescribeStackEvents",
    "cloudformation:DescribeStackResources",
    "cloudformation:DescribeStacks",
    "cloudformation:ExecuteChangeSet",
    "cloudformation:GetTemplate",
    "cloudformation:ListStackResources",
]
CLONE_STACK_ACTIONS = [*STACK_ACTIONS, "cloudformation:DeleteStack"]  # `odmd: delete`
CDK_BOOTSTRAP_ROLES = ("deploy", "file-publishing", "image-publishing", "lookup")
ECR_PUSH = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:DescribeImages",
    "ecr:DescribeRepositories",
    "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
]
# a clone made at run time creates its repositories on first push, `odmd: delete` removes them
# (`--force` deletes the images with the repository: no image action needed)
CLONE_ECR = [*ECR_PUSH, "ecr:CreateRepository", "ecr:DeleteRepository"]
ECR_AUTH = "ecr:GetAuthorizationToken"
S3_ARTIFACTS = ["s3:GetObject", "s3:PutObject"]
SSM_READ = ["ssm:GetParameter", "ssm:GetParameters"]
# the publisher reads its own value back first: an unchanged value written again would still
# make a new version and a change event, redeploying every consumer for nothing
SSM_WRITE = ["ssm:DeleteParameter", "ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter"]
# a clone record is read (resolve), written (record-clone) and deleted (`odmd: delete`) one by
# one; the folder is listed (E401 at run time, and dispatches reaching the clones)
SSM_RECORDS = ["ssm:DeleteParameter", "ssm:GetParameter", "ssm:PutParameter"]
SSM_LIST = ["ssm:GetParametersByPath"]

#: Sids of the SSM statements, which the policy tests read
SID_WRITE_PRODUCTS = "WriteProducts"
SID_READ_CONSUMED = "ReadConsumed"
SID_READ_ARTIFACT_PARAMETERS = "ReadArtifactParameters"
SID_WRITE_CLONE_PRODUCTS = "WriteCloneProducts"
SID_CLONE_RECORDS = "CloneRecords"
SID_LIST_CLONE_RECORDS = "ListCloneRecords"
SID_CLONE_STACKS = "DeployAndDeleteCloneStacks"
SID_CLONE_REPOSITORIES = "CloneRepositories"
SID_ARTIFACTS = "ArtifactObjects"

# No checkov suppression goes with it: checkov's CKV_AWS_107 (credentials exposure) exempts
# this action itself, and a suppression of a check that does not fail would hide nothing but
# future findings (test_checkov proves every suppression is needed).
ECR_AUTH_REASON = (
    "ecr:GetAuthorizationToken has no resource type in IAM: AWS accepts only `*`. The token "
    "only authenticates `docker login`; what may be pushed is limited by the ECR statement on "
    "the exact repository ARNs."
)


@dataclass(frozen=True, slots=True)
class Wildcard:
    """A `Resource: "*"` kept on purpose because AWS accepts nothing narrower."""

    action: str
    reason: str


def stack_arn(g: RoleGroup, stack: str) -> str:
    return arns.stack_arn(g.partition, g.region, g.account_id, stack)


def stack_arns(g: RoleGroup) -> list[str]:
    return sorted({stack_arn(g, s) for e in g.envers for s in e.names.stacks})


def bootstrap_role_arns(g: RoleGroup, qualifier: str) -> list[str]:
    return [
        f"arn:{g.partition}:iam::{g.account_id}:role/cdk-{qualifier}-{r}-role-{g.account_id}-"
        f"{g.region}"
        for r in CDK_BOOTSTRAP_ROLES
    ]


def repository_arn(g: RoleGroup, repository: str) -> str:
    return arns.repository_arn(g.partition, g.region, g.account_id, repository)


def repository_arns(g: RoleGroup) -> list[str]:
    return sorted({repository_arn(g, i.repository) for e in g.envers for i in e.images})


def bucket_objects_arn(g: RoleGroup) -> str:
    return arns.bucket_arn(g.partition, g.first.names.artifact_bucket) + "/*"


def build_role_statements(g: RoleGroup, qualifier: str) -> tuple[list[dict[str, Json]],
                                                                 list[Wildcard]]:
    """What the build role may do (module docstring). Returns the statements and the
    wildcards among them."""
    e = g.first
    clones = clone_patterns(g)
    out = [statement("AssumeCenterRole", ASSUME, [e.names.center_role_arn])]
    wildcards: list[Wildcard] = []
    stacks = stack_arns(g)
    clone_stacks = [stack_arn(g, p) for p in clones.texts("stacks")]
    if stacks:
        out.append(statement("DeployOwnStacks", STACK_ACTIONS, stacks))
    if clone_stacks:
        out.append(statement(SID_CLONE_STACKS, CLONE_STACK_ACTIONS, clone_stacks))
    if stacks or clone_stacks:
        out.append(statement("AssumeCdkBootstrapRoles", ASSUME,
                             bootstrap_role_arns(g, qualifier)))
    repos = repository_arns(g)
    clone_repos = [repository_arn(g, p) for p in clones.texts("repositories")]
    if repos:
        out.append(statement("PushOwnImages", ECR_PUSH, repos))
    if clone_repos:
        out.append(statement(SID_CLONE_REPOSITORIES, CLONE_ECR, clone_repos))
    if repos or clone_repos:
        out.append(statement("EcrLogin", [ECR_AUTH], "*"))
        wildcards.append(Wildcard(ECR_AUTH, ECR_AUTH_REASON))
    params = sorted({e.names.artifact_bucket_parameter,
                     e.names.artifact_bucket_parameter_for_account})
    out.append(statement(SID_READ_ARTIFACT_PARAMETERS, SSM_READ, [
        parameter_arn(g.partition, g.region, g.account_id, p) for p in params]))
    out.append(statement(SID_ARTIFACTS, S3_ARTIFACTS, [bucket_objects_arn(g)]))
    return out, wildcards


def center_role_statements(g: RoleGroup, central_account: str) -> list[dict[str, Json]]:
    """What the center role may do in the central account's Parameter Store (module
    docstring)."""
    def parameter_arns(paths: list[str]) -> list[str]:
        return [parameter_arn(g.partition, g.region, central_account, p) for p in paths]

    out = []
    products = g.product_paths()
    if products:
        out.append(statement(SID_WRITE_PRODUCTS, SSM_WRITE, parameter_arns(products)))
    clone_products = clone_patterns(g).texts("products")
    if clone_products:
        out.append(statement(SID_WRITE_CLONE_PRODUCTS, SSM_WRITE, parameter_arns(clone_products)))
    consumed = g.consumed_paths()
    if consumed:
        out.append(statement(SID_READ_CONSUMED, SSM_READ, parameter_arns(consumed)))
    if g.clones:
        b = g.build.id
        out.append(statement(SID_CLONE_RECORDS, SSM_RECORDS,
                             parameter_arns([naming.clone_records_pattern(b)])))
        out.append(statement(SID_LIST_CLONE_RECORDS, SSM_LIST,
                             parameter_arns([naming.clone_records_path(b)])))
    return out


# --- packing -----------------------------------------------------------------------------------
def _size(doc: Json) -> int:
    return len(compact(doc))


def _split(s: dict[str, Json]) -> Iterable[dict[str, Json]]:
    """A statement too big for one policy, as several with fewer resources each (same Sid
    stem, numbered, so readers and tests still see what it grants)."""
    if _size(document(s)) <= MANAGED_POLICY_SIZE or not isinstance(s["Resource"], list):
        yield s
        return
    chunks: list[list[str]] = [[]]
    for r in s["Resource"]:
        trial = {**s, "Resource": [*chunks[-1], r]}
        if chunks[-1] and _size(document(trial)) > MANAGED_POLICY_SIZE:
            chunks.append([])
        chunks[-1].append(r)
    for i, chunk in enumerate(chunks, 1):
        yield {**s, "Sid": f"{s['Sid']}{i}", "Resource": chunk if len(chunk) > 1 else chunk[0]}


def pack(statements: list[dict[str, Json]]) -> list[list[dict[str, Json]]]:
    """Statements, in order, into as few policy documents of at most MANAGED_POLICY_SIZE as a
    sequential fill allows (deterministic: same statements, same policies)."""
    policies: list[list[dict[str, Json]]] = []
    for s in (part for st in statements for part in _split(st)):
        if policies and _size(document(*policies[-1], s)) <= MANAGED_POLICY_SIZE:
            policies[-1].append(s)
        else:
            policies.append([s])
    return policies


def attach(t: Template, role: str, statements: list[dict[str, Json]], description: str,
           ctx: EmitContext, g: RoleGroup, *, wildcards: tuple[Wildcard, ...] = ()) -> None:
    """Add the statements to `t` as managed policies attached to `role` (logical id); a
    policy holding a wildcard says why in its Metadata. More policies than IAM lets a role
    have is E601 against the build."""
    packed = pack(statements)
    if len(packed) > MANAGED_POLICIES_PER_ROLE:
        ctx.unsupported(
            g.build.location,
            f"`{role}` of `{g.build.id}` in {g.account_alias} {g.region} needs {len(packed)} "
            f"managed policies; IAM attaches at most {MANAGED_POLICIES_PER_ROLE} to a role",
            help="split the build's envers over more builds, accounts or regions",
        )
    for i, docs in enumerate(packed, 1):
        stars = [{"sid": s["Sid"], "action": w.action, "why": w.reason}
                 for s in docs if s["Resource"] == "*" for w in wildcards
                 if s["Action"] == w.action]
        name = f"{role}Policy{i}" if len(packed) > 1 else f"{role}Policy"
        part = f" ({i} of {len(packed)})" if len(packed) > 1 else ""
        t.add(name, "AWS::IAM::ManagedPolicy", {
            "Description": f"{description}{part}"[:1000],
            "Roles": [ref(role)],
            "PolicyDocument": document(*docs),
        }, notes={"wildcards": stars} if stars else None, blame=g.first.location)
