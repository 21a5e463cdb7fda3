"""The target template: one per build × account × region, deployed in the target account.

It holds the build role — trusted by GitHub's OIDC provider for exactly the build's repository
and revisions — with the least-privilege policies of `policies.py`, and the ECR repositories
the build's images are pushed to.

OIDC subjects (`sub`), SPEC §5:
* a build with no clones in this account and region: exactly its declared branches
  (`repo:OWNER/REPO:ref:refs/heads/BRANCH`) and tags (`…:ref:refs/tags/TAG`), `StringEquals`;
* with a branch clone here: `repo:OWNER/REPO:ref:refs/heads/*` plus the declared tags,
  `StringLike`. A clone is made by a commit message on *any* branch (`odmd: create@…`) and
  keeps its origin's role, so the role cannot know clone branches in advance; the repository
  and the `refs/heads/` prefix are still pinned, so pull requests (`sub` `…:pull_request`),
  environments and other repositories stay out. Tag clones are declared, so their tags are
  listed exactly. Only the account and region holding a clone open up: a first clone anywhere
  else changes that template, which an administrator deploys.
Runs the central stacks trigger come through `repository_dispatch`, which always runs on
the default branch; the github_actions workflow must re-dispatch itself (`workflow_dispatch`
on the enver's ref, named in the payload) before it assumes this role, so the token's `sub`
is the enver's ref and not the default branch. Jobs assuming the role must not use a GitHub
`environment:` (it replaces `ref:…` in `sub`).
"""

from __future__ import annotations

from dataclasses import replace

from odmdc.backends.api import EmitContext
from odmdc.backends.cloudformation.groups import RoleGroup
from odmdc.backends.cloudformation.options import CloudFormationOptions
from odmdc.backends.cloudformation.policies import attach, build_role_statements
from odmdc.backends.cloudformation.quotas import TRUST_POLICY_SIZE
from odmdc.backends.cloudformation.template import (
    Json,
    Skip,
    Template,
    compact,
    document,
    get_att,
    logical_id,
    placement_rule,
    ref,
    statement,
)
from odmdc.compiler.ir import Location

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
GITHUB_AUDIENCE = "sts.amazonaws.com"
BUILD_ROLE = "BuildRole"

MUTABLE_TAGS = Skip(
    "CKV_AWS_51",
    "Branch envers rebuild and re-push the same tag on every commit of the branch. Nothing "
    "deploys by tag: consumers read the image's `latestSha` product and pin the digest.",
)


def oidc_subjects(g: RoleGroup) -> tuple[str, list[str]]:
    """The condition operator and the `sub` values the build role trusts."""
    repo = g.build.repo
    branch_clone = any(e.clone_of is not None and e.revision.kind == "branch" for e in g.envers)
    subs: set[str] = set()
    for e in g.envers:
        if e.revision.kind == "tag":
            subs.add(f"repo:{repo}:ref:refs/tags/{e.revision.value}")
        elif not branch_clone:
            subs.add(f"repo:{repo}:ref:refs/heads/{e.revision.value}")
    if branch_clone:
        subs.add(f"repo:{repo}:ref:refs/heads/*")
        return "StringLike", sorted(subs)
    return "StringEquals", sorted(subs)


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
    return document(statement("GitHubOidc", ["sts:AssumeRoleWithWebIdentity"], None,
                              principal={"Federated": provider}, condition=condition))


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
        "branch clones are created by commit messages on any branch and share this role"
        if op == "StringLike" else "exactly the declared branches and tags")}},
        blame=trust_culprit(g))
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
            }, skips=(MUTABLE_TAGS,), policies=("Delete", "Delete") if clone else
                ("Retain", "Retain"),
                notes={"enver": x.id, "image": image.name, "local": image.local})
    t.metadata = {"odmdc": {
        "build": g.build.id, "repo": g.build.repo, "account": g.account_id,
        "account_alias": g.account_alias, "region": g.region, "envers": envers,
        "wildcards": [{"role": BUILD_ROLE, "action": w.action, "why": w.reason}
                      for w in wildcards],
    }}
    t.output("BuildRoleArn", get_att(BUILD_ROLE), "the role GitHub Actions assume by OIDC")
    t.output("BuildRoleName", ref(BUILD_ROLE), "its name")
    return t

