"""Least privilege from the graph (SPEC §5), proven on the generated policies of every org.

Expected values are computed here from `ir.envers()` / `ir.edges()` and SPEC §4's name shapes,
not taken from the backend: for every build × account × region,

* its center role (central account) may write exactly the products of its envers and read
  exactly those products and the paths its envers consume — nothing else in Parameter Store;
* its build role (target account) may assume exactly its center role and the CDK bootstrap
  roles, touch exactly its stacks, push to exactly its ECR repositories and read exactly its
  artefact parameters;
* no `Resource: "*"` appears in any template except where AWS accepts nothing narrower
  (ALLOWED_WILDCARDS), and no action is a wildcard except the key administrator's `kms:*`.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from odmdc.compiler.ir import IR, Enver
from tests.backends.cloudformation.support import (
    Compiled,
    Json,
    as_list,
    compiled,
    org_dirs,
    org_id,
    policy_documents,
    resources,
    role_by_name,
    role_statements,
)

SSM_WRITE = {"ssm:PutParameter", "ssm:DeleteParameter", "ssm:LabelParameterVersion",
             "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:UnlabelParameterVersion"}
SSM_READ = {"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory",
            "ssm:GetParametersByPath", "ssm:DescribeParameters"}

#: Every `Resource: "*"` the backend may emit: (resource type, where, actions) and why.
ALLOWED_WILDCARDS = {
    # ecr:GetAuthorizationToken is defined on no resource type: AWS accepts only "*"
    ("AWS::IAM::ManagedPolicy", "PolicyDocument", ("ecr:GetAuthorizationToken",)),
    # in a key policy, "*" is the key the policy is attached to (AWS requires it)
    ("AWS::KMS::Key", "KeyPolicy", ("kms:*",)),
    ("AWS::KMS::Key", "KeyPolicy", ("kms:Decrypt", "kms:GenerateDataKey")),
}


def groups(ir: IR) -> dict[tuple[str, str, str], list[Enver]]:
    out: dict[tuple[str, str, str], list[Enver]] = defaultdict(list)
    for e in ir.envers():
        out[(e.build, e.account_id, e.region)].append(e)
    return out


def ssm_arn(partition: str, region: str, account: str, path: str) -> str:
    return f"arn:{partition}:ssm:{region}:{account}:parameter{path}"


def actions(s: Json) -> set[str]:
    return set(as_list(s["Action"]))


def resources_of(stmts: list[Json], pred: object) -> set[str]:
    assert callable(pred)
    return {r for s in stmts if s["Effect"] == "Allow" and pred(actions(s))
            for r in as_list(s["Resource"])}


CASES = [(org, key) for org in org_dirs() for key in sorted(groups(compiled(org).ir))]


@pytest.mark.parametrize(("org", "key"), CASES,
                         ids=[f"{org_id(o)}:{'/'.join(k)}" for o, k in CASES])
def test_center_role_reads_and_writes_exactly_the_graph(org: Path, key: tuple[str, str, str]
                                                        ) -> None:
    c = compiled(org)
    envers = groups(c.ir)[key]
    build, account, region = key
    ids = {e.id for e in envers}
    central = c.ir.org.central_account_id
    partition = envers[0].partition
    products = {p.path for e in envers for p in e.products}
    consumed = {edge.product_path for edge in c.ir.edges() if edge.consumer in ids}

    t = c.central_build(region, build)
    role = role_by_name(t, f"{build}-{region}{account}-centerRole")
    props = t["Resources"][role]["Properties"]
    assert props["Path"] == f"/{build}/"
    stmts = role_statements(t, role)
    write = resources_of(stmts, lambda a: bool(a & SSM_WRITE))
    read = resources_of(stmts, lambda a: bool(a & SSM_READ))
    assert write == {ssm_arn(partition, region, central, p) for p in products}
    assert read == {ssm_arn(partition, region, central, p) for p in products | consumed}
    # nothing but Parameter Store, and no action outside the two sets
    assert {a for s in stmts for a in actions(s)} <= SSM_WRITE | SSM_READ

    # trusted by exactly that build role
    [trust] = props["AssumeRolePolicyDocument"]["Statement"]
    build_role = f"arn:{partition}:iam::{account}:role/{build}/{build}-{region}{account}-buildRole"
    assert trust["Effect"] == "Allow"
    assert trust["Principal"] == {"AWS": f"arn:{partition}:iam::{account}:root"}
    assert trust["Condition"] == {"ArnEquals": {"aws:PrincipalArn": build_role}}
    assert actions(trust) == {"sts:AssumeRole", "sts:TagSession"}


@pytest.mark.parametrize(("org", "key"), CASES,
                         ids=[f"{org_id(o)}:{'/'.join(k)}" for o, k in CASES])
def test_build_role_may_do_exactly_its_own_work(org: Path, key: tuple[str, str, str]) -> None:
    c = compiled(org)
    envers = groups(c.ir)[key]
    build, account, region = key
    e0 = envers[0]
    p = e0.partition
    central = c.ir.org.central_account_id
    t = c.target(e0)
    role = role_by_name(t, f"{build}-{region}{account}-buildRole")
    assert t["Resources"][role]["Properties"]["Path"] == f"/{build}/"
    stmts = role_statements(t, role)

    center = f"arn:{p}:iam::{central}:role/{build}/{build}-{region}{account}-centerRole"
    stacks = {f"arn:{p}:cloudformation:{region}:{account}:stack/{s}/*"
              for e in envers for s in e.names.stacks}
    bootstrap = {f"arn:{p}:iam::{account}:role/cdk-hnb659fds-{r}-role-{account}-{region}"
                 for r in ("deploy", "file-publishing", "image-publishing", "lookup")}
    repos = {f"arn:{p}:ecr:{region}:{account}:repository/{i.repository}"
             for e in envers for i in e.images}
    params = {ssm_arn(p, region, account, f"/odmd-config/{build}/buildArtifactBucketName"),
              ssm_arn(p, region, account,
                      f"/odmd-config/{build}/buildArtifactBucketName/{account}")}

    assert resources_of(stmts, lambda a: "sts:AssumeRole" in a) == (
        {center} | (bootstrap if stacks else set()))
    assert resources_of(stmts, lambda a: any(x.startswith("cloudformation:") for x in a)) == stacks
    assert resources_of(stmts, lambda a: "ecr:PutImage" in a) == repos
    assert resources_of(stmts, lambda a: any(x.startswith("ssm:") for x in a)) == params
    assert resources_of(stmts, lambda a: a == {"ecr:GetAuthorizationToken"}) == (
        {"*"} if repos else set())
    services = {a.split(":")[0] for s in stmts for a in actions(s)}
    assert services <= {"sts", "cloudformation", "ecr", "ssm"}
    # the ECR repositories exist, with exactly those names
    made = {r["Properties"]["RepositoryName"]
            for r in resources(t, "AWS::ECR::Repository").values()}
    assert made == {i.repository for e in envers for i in e.images}


@pytest.mark.parametrize(("org", "key"), CASES,
                         ids=[f"{org_id(o)}:{'/'.join(k)}" for o, k in CASES])
def test_oidc_trust_names_the_repository_and_its_revisions(org: Path,
                                                           key: tuple[str, str, str]) -> None:
    c = compiled(org)
    envers = groups(c.ir)[key]
    build, account, region = key
    repo = c.ir.builds[build].repo
    t = c.target(envers[0])
    role = role_by_name(t, f"{build}-{region}{account}-buildRole")
    [trust] = t["Resources"][role]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    provider = (f"arn:{envers[0].partition}:iam::{account}:oidc-provider/"
                "token.actions.githubusercontent.com")
    assert trust["Principal"] == {"Federated": provider}
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    cond = trust["Condition"]
    key_aud, key_sub = ("token.actions.githubusercontent.com:aud",
                        "token.actions.githubusercontent.com:sub")
    assert cond["StringEquals"][key_aud] == "sts.amazonaws.com"
    tags = {f"repo:{repo}:ref:refs/tags/{e.revision.value}" for e in envers
            if e.revision.kind == "tag"}
    branches = {f"repo:{repo}:ref:refs/heads/{e.revision.value}" for e in envers
                if e.revision.kind == "branch"}
    if any(e.clone_of and e.revision.kind == "branch" for e in envers):
        # clones come from commit messages on any branch of this repository
        assert key_sub not in cond["StringEquals"]
        assert set(cond["StringLike"][key_sub]) == tags | {f"repo:{repo}:ref:refs/heads/*"}
    else:
        assert "StringLike" not in cond
        assert set(as_list(cond["StringEquals"][key_sub])) == branches | tags


def _wildcards(c: Compiled) -> set[tuple[str, str, tuple[str, ...]]]:
    found = set()
    for t in c.templates.values():
        for lid, where, doc in policy_documents(t):
            for s in doc["Statement"]:
                if s["Effect"] == "Allow" and "*" in as_list(s.get("Resource", [])):
                    found.add((t["Resources"][lid]["Type"], where.split("/")[0],
                               tuple(sorted(actions(s)))))
    return found


@pytest.mark.parametrize("org", org_dirs(), ids=org_id)
def test_no_wildcard_where_aws_allows_narrower(org: Path) -> None:
    c = compiled(org)
    assert _wildcards(c) <= ALLOWED_WILDCARDS
    for t in c.templates.values():
        for lid, where, doc in policy_documents(t):
            for s in doc["Statement"]:
                wild = {a for a in actions(s) if a == "*" or a.endswith(":*")}
                if s["Effect"] == "Allow" and wild:
                    # only the key administrator statement of a key policy
                    assert (t["Resources"][lid]["Type"], where, wild) == (
                        "AWS::KMS::Key", "KeyPolicy", {"kms:*"}), (lid, s)
                    assert s["Principal"] == {
                        "AWS": f"arn:aws:iam::{c.ir.org.central_account_id}:root"}
                if s["Effect"] == "Allow" and s.get("Principal") == "*":
                    pytest.fail(f"{lid}: Allow to everyone: {s}")


def test_the_allowlist_is_exercised() -> None:
    """Each allowed wildcard occurs in some org: the list holds no stale entries."""
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for org in org_dirs():
        seen |= _wildcards(compiled(org))
    assert seen == ALLOWED_WILDCARDS
