"""`repository_dispatch` to GitHub, as the central stacks send it: one EventBridge connection
per region, in the central root stack (its token a Secrets Manager dynamic reference), and one
API destination per repository in each build stack that dispatches to it. The payload is the
contract with this backend's workflows (their resolve job reads it; docs/backends.md)."""

from __future__ import annotations

from typing import Final

from odmdc.backends.aws.cfn import Json, Template, get_att, logical_id
from odmdc.backends.ci import ReactionSite
from odmdc.backends.github_actions.options import GitHubDispatchOptions
from odmdc.compiler.ir import Enver

CONNECTION = "GitHubConnection"
#: what the region's root stack shares with its build stacks: the connection's ARN
CONNECTION_EXPORT = "github-connection-arn"
GITHUB_API_VERSION = "2022-11-28"

#: `repository_dispatch` event types the central stacks send to a build's repository and this
#: backend's workflows listen for: a consumed product changed (`redeploy`), or an approver
#: released a change held by `approve(...)`.
REDEPLOY_EVENT_TYPE: Final = "odmd-redeploy"
APPROVED_EVENT_TYPE: Final = "odmd-approved"


def git_ref(e: Enver) -> str:
    return f"refs/{'heads' if e.revision.kind == 'branch' else 'tags'}/{e.revision.value}"


def payload(e: Enver, event_type: str, reaction: str, more: dict[str, str]) -> Json:
    """The dispatch body: the event type, and which enver of which workflow on which ref."""
    return {"event_type": event_type, "client_payload": {
        "enver": e.id, "ref": git_ref(e), "workflow": e.names.workflow_file,
        "reaction": reaction, **more}}


class Destinations:
    """The API destinations of one build stack, one per repository it dispatches to."""

    def __init__(self, site: ReactionSite, opts: GitHubDispatchOptions) -> None:
        self.site, self.opts = site, opts
        self.by_repo: dict[str, str] = {}  # repo → ApiDestination logical id

    def of(self, repo: str) -> str:
        """The API destination of `repo`'s dispatches (made on first use)."""
        if repo in self.by_repo:
            return self.by_repo[repo]
        lid = logical_id("Dispatch", repo)
        self.site.template.add(lid, "AWS::Events::ApiDestination", {
            "Description": f"repository_dispatch to {repo}"[:512],
            "ConnectionArn": self.site.shared(CONNECTION_EXPORT),
            "HttpMethod": "POST",
            "InvocationEndpoint": f"{self.opts.github_api_url}/repos/{repo}/dispatches",
            "InvocationRateLimitPerSecond": self.opts.dispatch_rate_limit,
        }, blame=self.site.build.location)
        self.by_repo[repo] = lid
        return lid


def token_reference(opts: GitHubDispatchOptions) -> str:
    key = f":{opts.github_token_json_key}" if opts.github_token_json_key else ""
    return f"{{{{resolve:secretsmanager:{opts.github_token_secret}:SecretString{key}}}}}"


def add_connection(t: Template, opts: GitHubDispatchOptions, export: str) -> list[Json]:
    """The region's GitHub connection, in the root stack, exported as `export`; returns the
    secret it references, for the stack's Metadata."""
    t.output(CONNECTION + "Arn", get_att(CONNECTION),
             "the GitHub connection the build stacks' API destinations use", export=export)
    t.add(CONNECTION, "AWS::Events::Connection", {
        "Description": "GitHub REST API for repository_dispatch; the token is a "
                       "Secrets Manager dynamic reference",
        "AuthorizationType": "API_KEY",
        "AuthParameters": {
            "ApiKeyAuthParameters": {
                "ApiKeyName": "Authorization",
                "ApiKeyValue": f"Bearer {token_reference(opts)}",
            },
            "InvocationHttpParameters": {"HeaderParameters": [
                {"Key": "Accept", "Value": "application/vnd.github+json",
                 "IsValueSecret": False},
                {"Key": "X-GitHub-Api-Version", "Value": GITHUB_API_VERSION,
                 "IsValueSecret": False},
            ]},
        },
    })
    secret: dict[str, Json] = {
        "secret": opts.github_token_secret, "used_by": CONNECTION,
        "as": "dynamic reference; the value never appears in the template"}
    if opts.github_token_json_key:
        secret["json_key"] = opts.github_token_json_key
    return [secret]
