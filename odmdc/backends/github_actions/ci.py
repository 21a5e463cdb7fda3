"""GitHub Actions as a CI engine (`odmdc.backends.ci`): whom its workflows' build roles trust,
and how the central stacks start and approve its deployments.

**Trust: GitHub's OIDC provider**, for exactly the build's repository and revisions (`sub`):

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

Jobs assuming the role must not use a GitHub `environment:` (it replaces `ref:…` in `sub`).
The engine deploys every org's envers (`deploys`): its workflows can be committed and run
whatever the org's `ci`, so their roles trust GitHub even where CodePipeline deploys.

**Reactions: `repository_dispatch`.** A `redeploy` is a `POST {api}/repos/OWNER/REPO/dispatches`
through an API destination per repository and one connection per region (in the central root
stack), whose `Authorization: Bearer …` value is a Secrets Manager dynamic reference (option
`github_token_secret`). Body::

    {"event_type": "odmd-redeploy", "client_payload": {"enver": "orders.master",
     "ref": "refs/heads/master", "workflow": "ODMD_orders-CdkGHus-west-1-workspace1.yaml",
     "reaction": "redeploy", "path": "<changed path>", "operation": "Update"}}

A `repository_dispatch` run always starts on the default branch: the workflow named in
`workflow` re-dispatches itself on `ref` (`workflow_dispatch`) before it deploys, so it
assumes the build role with the enver's own `sub`.

**`approve(role…)`**: the change is held in AWS, where IAM can tell the approvers apart. The
rule publishes an approval request — the path, the operation and the command that approves —
to an SNS topic of that consumer enver and role set (only EventBridge may publish to it; the
approvers' roles may subscribe from their own accounts). An approver releases it by sending
any message to the group's approval queue: its policy lets exactly those roles
(`aws:PrincipalArn`) send and explicitly denies everyone else, administrators of the central
account included (an approver in another account also needs `sqs:SendMessage` on the queue
from their own account's IAM). An EventBridge pipe turns each message into a
`repository_dispatch` with `event_type` `odmd-approved`, carrying the enver, its ref and
workflow, the SQS message id and the sender's principal id for the audit trail. Limits: an
approval releases whatever the consumed values are when the workflow runs, not one version;
central-account principals whose IAM allows it can also subscribe to the requests (which
reveal only a path); only a stack update of the queue policy — an administrator's act — can
change who approves.
"""

from __future__ import annotations

import json

from odmdc.backends.aws.cfn import Json, get_att
from odmdc.backends.aws.iam import statement
from odmdc.backends.ci import (
    CiEngine,
    ReactionGroup,
    Reactions,
    ReactionSite,
    RoleGroup,
    RootSite,
    Trust,
)
from odmdc.backends.github_actions.approvals import Approvals
from odmdc.backends.github_actions.dispatch import (
    CONNECTION_EXPORT,
    REDEPLOY_EVENT_TYPE,
    Destinations,
    add_connection,
    payload,
)
from odmdc.backends.github_actions.options import GitHubDispatchOptions
from odmdc.compiler.ir import Enver, Org

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
GITHUB_AUDIENCE = "sts.amazonaws.com"
SID_GITHUB = "GitHubOidc"


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


class GitHubActionsEngine(CiEngine):
    name = "github_actions"
    description = ("GitHub Actions: build roles trusted by GitHub's OIDC provider; reactions "
                   "as repository_dispatch, approvals held in SQS")
    title = "GitHub Actions"
    Options = GitHubDispatchOptions

    @classmethod
    def deploys(cls, org: Org) -> bool:
        return True  # see the module docstring: its workflows can run for any org

    def trust(self, group: RoleGroup) -> Trust:
        op, subs = oidc_subjects(group)
        condition: dict[str, Json] = {
            "StringEquals": {f"{GITHUB_OIDC_HOST}:aud": GITHUB_AUDIENCE},
        }
        sub_key = f"{GITHUB_OIDC_HOST}:sub"
        if op == "StringEquals":
            condition["StringEquals"][sub_key] = subs
        else:
            condition[op] = {sub_key: subs}
        provider = (f"arn:{group.partition}:iam::{group.account_id}:oidc-provider/"
                    f"{GITHUB_OIDC_HOST}")
        return Trust(
            (statement(SID_GITHUB, ["sts:AssumeRoleWithWebIdentity"], None,
                       principal={"Federated": provider}, condition=condition),),
            {"oidc-subjects": {"operator": op, "values": subs, "why": (
                "clones are made by commit messages on any branch and deploy through this role"
                if op == "StringLike" else "exactly the declared branches and tags")}},
        )

    def reactions(self, site: ReactionSite) -> Reactions:
        assert isinstance(self.options, GitHubDispatchOptions)
        return GitHubReactions(site, self.options)

    def shared(self, root: RootSite, what: str) -> list[Json]:
        if what != CONNECTION_EXPORT:
            return super().shared(root, what)
        assert isinstance(self.options, GitHubDispatchOptions)
        return add_connection(root.template, self.options, root.export(what))


class GitHubReactions(Reactions):
    """One central build stack's dispatches and approvals."""

    def __init__(self, site: ReactionSite, opts: GitHubDispatchOptions) -> None:
        super().__init__(site)
        self.destinations = Destinations(site, opts)
        self.approvals = Approvals(site, self.destinations)
        self.invoked: set[str] = set()  # API destinations the rules invoke

    def redeploy(self, enver: Enver) -> Json:
        dest = self.destinations.of(self.site.ir.builds[enver.build].repo)
        self.invoked.add(dest)
        body = payload(enver, REDEPLOY_EVENT_TYPE, "redeploy",
                       {"path": "<path>", "operation": "<operation>"})
        return {
            "Id": "dispatch", "Arn": get_att(dest), "RoleArn": self.site.events_role,
            "InputTransformer": {
                "InputPathsMap": {"path": "$.detail.name", "operation": "$.detail.operation"},
                "InputTemplate": json.dumps(body, sort_keys=True),
            },
        }

    def approve(self, group: ReactionGroup) -> None:
        self.approvals.add(group)

    def finish(self) -> None:
        self.approvals.finish()
        if self.invoked:
            self.site.allow_events("InvokeDispatchDestinations", ["events:InvokeApiDestination"],
                                   [get_att(d) for d in sorted(self.invoked)])
