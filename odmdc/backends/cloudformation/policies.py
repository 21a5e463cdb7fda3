"""The least-privilege policies of the build and center roles (SPEC §5), and packing them into
managed policies that fit IAM's size limits.

Every resource here is a literal ARN computed from the IR, so a test can read a generated
policy and compare it with the graph. The single `*` is `ecr:GetAuthorizationToken`, which
AWS defines on no resource.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from odmdc.backends.api import EmitContext
from odmdc.backends.cloudformation.groups import RoleGroup
from odmdc.backends.cloudformation.quotas import MANAGED_POLICY_SIZE
from odmdc.backends.cloudformation.template import (
    Json,
    Template,
    compact,
    document,
    ref,
    ssm_parameter_arn,
    statement,
)

#: IAM: a managed policy holds at most 6,144 characters (whitespace not counted, `quotas.py`),
#: and a role has at most 10 managed policies attached unless the account's quota was raised.
POLICY_SIZE = MANAGED_POLICY_SIZE
POLICIES_PER_ROLE = 10

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
CDK_BOOTSTRAP_ROLES = ("deploy", "file-publishing", "image-publishing", "lookup")
ECR_PUSH = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:DescribeImages",
    "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
]
ECR_AUTH = "ecr:GetAuthorizationToken"
SSM_READ = ["ssm:GetParameter", "ssm:GetParameters"]
# the publisher reads its own value back first: an unchanged value written again would still
# make a new version and a change event, redeploying every consumer for nothing
SSM_WRITE = ["ssm:DeleteParameter", "ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter"]

#: Sids of the SSM statements, which the policy tests read
SID_WRITE_PRODUCTS = "WriteProducts"
SID_READ_CONSUMED = "ReadConsumed"
SID_READ_ARTIFACT_PARAMETERS = "ReadArtifactParameters"

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


def stack_arns(g: RoleGroup) -> list[str]:
    return sorted({
        f"arn:{g.partition}:cloudformation:{g.region}:{g.account_id}:stack/{s}/*"
        for e in g.envers for s in e.names.stacks
    })


def bootstrap_role_arns(g: RoleGroup, qualifier: str) -> list[str]:
    return [
        f"arn:{g.partition}:iam::{g.account_id}:role/cdk-{qualifier}-{r}-role-{g.account_id}-"
        f"{g.region}"
        for r in CDK_BOOTSTRAP_ROLES
    ]


def repository_arns(g: RoleGroup) -> list[str]:
    return sorted({
        f"arn:{g.partition}:ecr:{g.region}:{g.account_id}:repository/{i.repository}"
        for e in g.envers for i in e.images
    })


def build_role_statements(g: RoleGroup, qualifier: str) -> tuple[list[dict[str, Json]],
                                                                 list[Wildcard]]:
    """What the build role may do: become its center role, deploy its stacks, push its images,
    read its artefact parameters. Returns the statements and the wildcards among them."""
    e = g.first
    out = [statement("AssumeCenterRole", ASSUME, [e.names.center_role_arn])]
    wildcards: list[Wildcard] = []
    stacks = stack_arns(g)
    if stacks:
        out.append(statement("DeployOwnStacks", STACK_ACTIONS, stacks))
        out.append(statement("AssumeCdkBootstrapRoles", ASSUME,
                             bootstrap_role_arns(g, qualifier)))
    repos = repository_arns(g)
    if repos:
        out.append(statement("PushOwnImages", ECR_PUSH, repos))
        out.append(statement("EcrLogin", [ECR_AUTH], "*"))
        wildcards.append(Wildcard(ECR_AUTH, ECR_AUTH_REASON))
    params = sorted({e.names.artifact_bucket_parameter,
                     e.names.artifact_bucket_parameter_for_account})
    out.append(statement(SID_READ_ARTIFACT_PARAMETERS, SSM_READ, [
        ssm_parameter_arn(g.partition, g.region, g.account_id, p) for p in params]))
    return out, wildcards


def center_role_statements(g: RoleGroup, central_account: str) -> list[dict[str, Json]]:
    """What the center role may do in the central account's Parameter Store: write exactly the
    group's product paths and read exactly the paths it consumes."""
    out = []
    products = g.product_paths()
    if products:
        out.append(statement(SID_WRITE_PRODUCTS, SSM_WRITE, [
            ssm_parameter_arn(g.partition, g.region, central_account, p) for p in products]))
    consumed = g.consumed_paths()
    if consumed:
        out.append(statement(SID_READ_CONSUMED, SSM_READ, [
            ssm_parameter_arn(g.partition, g.region, central_account, p) for p in consumed]))
    return out


# --- packing -----------------------------------------------------------------------------------
def _size(doc: Json) -> int:
    return len(compact(doc))


def _split(s: dict[str, Json]) -> Iterable[dict[str, Json]]:
    """A statement too big for one policy, as several with fewer resources each (same Sid
    stem, numbered, so readers and tests still see what it grants)."""
    if _size(document(s)) <= POLICY_SIZE or not isinstance(s["Resource"], list):
        yield s
        return
    chunks: list[list[str]] = [[]]
    for r in s["Resource"]:
        trial = {**s, "Resource": [*chunks[-1], r]}
        if chunks[-1] and _size(document(trial)) > POLICY_SIZE:
            chunks.append([])
        chunks[-1].append(r)
    for i, chunk in enumerate(chunks, 1):
        yield {**s, "Sid": f"{s['Sid']}{i}", "Resource": chunk if len(chunk) > 1 else chunk[0]}


def pack(statements: list[dict[str, Json]]) -> list[list[dict[str, Json]]]:
    """Statements, in order, into as few policy documents of at most POLICY_SIZE as a
    sequential fill allows (deterministic: same statements, same policies)."""
    policies: list[list[dict[str, Json]]] = []
    for s in (part for st in statements for part in _split(st)):
        if policies and _size(document(*policies[-1], s)) <= POLICY_SIZE:
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
    if len(packed) > POLICIES_PER_ROLE:
        ctx.unsupported(
            g.build.location,
            f"`{role}` of `{g.build.id}` in {g.account_alias} {g.region} needs {len(packed)} "
            f"managed policies; IAM attaches at most {POLICIES_PER_ROLE} to a role",
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
