"""Least privilege from the graph (docs/semantics.md#least-privilege), proven on the generated
policies of every org.

Expected values are computed here from `ir.envers()` / `ir.edges()` and docs/names.md's name shapes,
not taken from the backend: for every build × account × region,

* its center role (central account) may write exactly the products of its envers and read
  exactly those products and the paths its envers consume — nothing else in Parameter Store;
* its build role (target account) may assume exactly its center role and the CDK bootstrap
  roles, touch exactly its stacks, push to exactly its ECR repositories, read exactly its
  artefact parameters and put/get exactly the objects of its artefact bucket;
* a build that may have clones (it declares some, or it is no singleton and `max_clones` > 0)
  gets, on top, exactly the names clones made at run time of its origins get: the formula of
  docs/names.md#clones with a sentinel branch, the sentinel then replaced by `*`
  (`clone_pattern`) — stacks (deploy, delete), ECR repositories (create, push, delete), product
  paths (write, delete), and its clone records (read, write, delete; list the folder); its build
  role trusts every branch of the repository and its tags; a build that may not, exactly its
  revisions;
* with the codepipeline backend, the build role also trusts exactly its envers' CodeBuild
  roles, through the central account's root and `aws:PrincipalArn`;
* no `Resource: "*"` appears in any template except where AWS accepts nothing narrower
  (ALLOWED_WILDCARDS), and no action is a wildcard except the key administrator's `kms:*`.

test_clone_patterns.py proves that those patterns admit every name such a clone gets, and no
other build's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from odmdc.backends.codepipeline import names as cp_names
from odmdc.backends.codepipeline.names import pipeline_of
from odmdc.compiler import naming
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
SENTINEL = "Qq7sentinel7qQ"  # alphanumeric: every sanitiser keeps it (ECR lower-cases it)

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


def may_have_clones(ir: IR, build: str) -> bool:
    """The decision, read off the contracts: declared clones, or commit commands may make
    some (no singleton, `max_clones` above 0)."""
    b = ir.builds[build]
    return any(ir.enver(i).clone_of for i in b.envers) or (
        not b.singleton and ir.org.max_clones > 0)


def clone_pattern(name: str, sentinel: str = SENTINEL) -> str:
    assert name.count(sentinel) >= 1, name
    return name.replace(sentinel, "*")


@dataclass(frozen=True)
class CloneNames:
    """The patterns of names clones made at run time of a group's origins get, each made by
    the formula of docs/names.md#clones for a branch clone on the sentinel branch."""

    stacks: set[str]
    repositories: set[str]
    products: set[str]


def clone_names(ir: IR, envers: list[Enver]) -> CloneNames:
    if not may_have_clones(ir, envers[0].build):
        return CloneNames(set(), set(), set())
    out = CloneNames(set(), set(), set())
    for o in envers:
        if o.clone_of:
            continue
        b, rev = o.build, naming.clone_revision_path(o.revision.path, "branch", SENTINEL)
        out.stacks.update(clone_pattern(naming.stack_name(t, b, SENTINEL))
                          for t in o.stack_templates if "{rev}" in t)
        out.repositories.update(clone_pattern(naming.ecr_repository(b, rev, i.part),
                                              SENTINEL.lower()) for i in o.images)
        out.products.update(clone_pattern(naming.product_path(b, rev, tuple(p.name.split("."))))
                            for p in o.products)
    return out


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
    clones = clone_names(c.ir, envers)
    records, folder = set(), set()
    if may_have_clones(c.ir, build):
        records = {f"/odmd-config/{build}/clones/*"}
        folder = {f"/odmd-config/{build}/clones"}

    def arns(paths: set[str]) -> set[str]:
        return {ssm_arn(partition, region, central, p) for p in paths}

    t = c.central_build(region, build)
    role = role_by_name(t, f"{build}-{region}{account}-centerRole")
    props = t["Resources"][role]["Properties"]
    assert props["Path"] == f"/{build}/"
    stmts = role_statements(t, role)
    write = resources_of(stmts, lambda a: bool(a & SSM_WRITE))
    read = resources_of(stmts, lambda a: bool(a & SSM_READ))
    assert write == arns(products | clones.products | records)
    assert read == arns(products | consumed | clones.products | records | folder)
    # the clone records: read, written and deleted one by one, the folder only listed
    assert resources_of(stmts, lambda a: "ssm:PutParameter" in a) == \
        arns(products | clones.products | records)
    assert resources_of(stmts, lambda a: "ssm:GetParametersByPath" in a) == arns(folder)
    for s in stmts:
        if arns(records) & set(as_list(s["Resource"])):
            assert (actions(s), as_list(s["Resource"])) == (
                {"ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter"},
                sorted(arns(records)))
        if arns(folder) & set(as_list(s["Resource"])):
            assert actions(s) == {"ssm:GetParametersByPath"}
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
    clones = clone_names(c.ir, envers)

    center = f"arn:{p}:iam::{central}:role/{build}/{build}-{region}{account}-centerRole"

    def stack(name: str) -> str:
        return f"arn:{p}:cloudformation:{region}:{account}:stack/{name}/*"

    def repo(name: str) -> str:
        return f"arn:{p}:ecr:{region}:{account}:repository/{name}"

    stacks = {stack(s) for e in envers for s in e.names.stacks}
    clone_stacks = {stack(s) for s in clones.stacks}
    bootstrap = {f"arn:{p}:iam::{account}:role/cdk-hnb659fds-{r}-role-{account}-{region}"
                 for r in ("deploy", "file-publishing", "image-publishing", "lookup")}
    repos = {repo(i.repository) for e in envers for i in e.images}
    clone_repos = {repo(r) for r in clones.repositories}
    params = {ssm_arn(p, region, account, f"/odmd-config/{build}/buildArtifactBucketName"),
              ssm_arn(p, region, account,
                      f"/odmd-config/{build}/buildArtifactBucketName/{account}")}
    bucket = naming.build_artifact_bucket(build, account, region)

    assert resources_of(stmts, lambda a: "sts:AssumeRole" in a) == (
        {center} | (bootstrap if stacks | clone_stacks else set()))
    assert resources_of(stmts, lambda a: any(x.startswith("cloudformation:") for x in a)) == \
        stacks | clone_stacks
    # only a clone made at run time is deleted by its role (`odmd: delete`)
    assert resources_of(stmts, lambda a: "cloudformation:DeleteStack" in a) == clone_stacks
    assert resources_of(stmts, lambda a: "ecr:PutImage" in a) == repos | clone_repos
    assert resources_of(stmts, lambda a: bool(a & {"ecr:CreateRepository",
                                                   "ecr:DeleteRepository"})) == clone_repos
    assert resources_of(stmts, lambda a: any(x.startswith("ssm:") for x in a)) == params
    assert resources_of(stmts, lambda a: a == {"ecr:GetAuthorizationToken"}) == (
        {"*"} if repos | clone_repos else set())
    s3 = [s for s in stmts if any(a.startswith("s3:") for a in actions(s))]
    assert [(actions(s), as_list(s["Resource"])) for s in s3] == [
        ({"s3:GetObject", "s3:PutObject"}, [f"arn:{p}:s3:::{bucket}/*"])]
    services = {a.split(":")[0] for s in stmts for a in actions(s)}
    assert services <= {"sts", "cloudformation", "ecr", "ssm", "s3"}
    # the ECR repositories exist, with exactly those names
    made = {r["Properties"]["RepositoryName"]
            for r in resources(t, "AWS::ECR::Repository").values()}
    assert made == {i.repository for e in envers for i in e.images}


@pytest.mark.parametrize(("org", "key"), CASES,
                         ids=[f"{org_id(o)}:{'/'.join(k)}" for o, k in CASES])
def test_the_artifact_bucket_and_its_parameters(org: Path, key: tuple[str, str, str]) -> None:
    c = compiled(org)
    envers = groups(c.ir)[key]
    build, account, region = key
    t = c.target(envers[0])
    bucket = naming.build_artifact_bucket(build, account, region)
    [(lid, b)] = resources(t, "AWS::S3::Bucket").items()
    props = b["Properties"]
    assert props["BucketName"] == bucket
    assert (b["DeletionPolicy"], b["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert set(props["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(props["PublicAccessBlockConfiguration"]) == 4
    [rule] = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms")
    [policy] = resources(t, "AWS::S3::BucketPolicy").values()
    assert policy["Properties"]["Bucket"] == {"Ref": lid}
    [tls] = policy["Properties"]["PolicyDocument"]["Statement"]
    assert (tls["Effect"], tls["Condition"]) == ("Deny", {"Bool": {"aws:SecureTransport":
                                                                    "false"}})
    assert set(as_list(tls["Resource"])) == {f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"}
    params = {r["Properties"]["Name"]: r["Properties"]
              for r in resources(t, "AWS::SSM::Parameter").values()}
    assert set(params) == {f"/odmd-config/{build}/buildArtifactBucketName",
                           f"/odmd-config/{build}/buildArtifactBucketName/{account}"}
    assert all(x["Value"] == {"Ref": lid} and x["Type"] == "String" for x in params.values())


@pytest.mark.parametrize(("org", "key"), CASES,
                         ids=[f"{org_id(o)}:{'/'.join(k)}" for o, k in CASES])
def test_build_role_trust_names_the_repository_its_revisions_and_pipelines(
        org: Path, key: tuple[str, str, str]) -> None:
    c = compiled(org)
    envers = groups(c.ir)[key]
    build, account, region = key
    repo = c.ir.builds[build].repo
    t = c.target(envers[0])
    role = role_by_name(t, f"{build}-{region}{account}-buildRole")
    trust, *codebuild = t["Resources"][role]["Properties"]["AssumeRolePolicyDocument"][
        "Statement"]
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
    if may_have_clones(c.ir, build):
        # clones come from commit messages on any branch of this repository
        assert key_sub not in cond["StringEquals"]
        assert set(cond["StringLike"][key_sub]) == tags | {f"repo:{repo}:ref:refs/heads/*"}
    else:
        assert "StringLike" not in cond
        assert set(as_list(cond["StringEquals"][key_sub])) == branches | tags
    org_ = c.ir.org
    if org_.ci == "codepipeline" or "codepipeline" in org_.backends:
        central = org_.central_account_id
        roles = {f"arn:aws:iam::{central}:role/odmd-pipeline/{build}/"
                 f"{cp_names.pipeline_role_name(pipeline_of(e), 'codebuild')}"
                 for e in envers}
        [s] = codebuild
        assert s["Principal"] == {"AWS": f"arn:aws:iam::{central}:root"}
        assert actions(s) == {"sts:AssumeRole"}
        assert set(s["Condition"]) == {"ArnEquals"}
        assert set(as_list(s["Condition"]["ArnEquals"]["aws:PrincipalArn"])) == roles
    else:
        assert codebuild == []


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
