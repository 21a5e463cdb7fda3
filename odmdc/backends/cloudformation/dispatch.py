"""`repository_dispatch` to GitHub: one EventBridge connection per region, in the central root
stack, whose ARN the build stacks import, and one API destination per repository in each build
stack that dispatches to it. The payload is the contract with the github_actions workflows
(`events.py` describes it)."""

from __future__ import annotations

from odmdc.backends.aws.cfn import Json, Template, get_att, logical_id
from odmdc.backends.cloudformation.options import CloudFormationOptions
from odmdc.compiler.ir import Enver, Location

CONNECTION = "GitHubConnection"
GITHUB_API_VERSION = "2022-11-28"


def git_ref(e: Enver) -> str:
    return f"refs/{'heads' if e.revision.kind == 'branch' else 'tags'}/{e.revision.value}"


def payload(e: Enver, event_type: str, reaction: str, more: dict[str, str]) -> Json:
    """The dispatch body: the event type, and which enver of which workflow on which ref."""
    return {"event_type": event_type, "client_payload": {
        "enver": e.id, "ref": git_ref(e), "workflow": e.names.workflow_file,
        "reaction": reaction, **more}}


class GitHub:
    """The API destinations of one build stack; `connection` is how it names the region's
    connection (an `Fn::ImportValue` of the root stack's export)."""

    def __init__(self, t: Template, opts: CloudFormationOptions, connection: Json,
                 blame: Location) -> None:
        self.t, self.opts, self.connection, self.blame = t, opts, connection, blame
        self.destinations: dict[str, str] = {}  # repo → ApiDestination logical id

    def destination(self, repo: str) -> str:
        """The API destination of `repo`'s dispatches (made on first use)."""
        if repo in self.destinations:
            return self.destinations[repo]
        lid = logical_id("Dispatch", repo)
        self.t.add(lid, "AWS::Events::ApiDestination", {
            "Description": f"repository_dispatch to {repo}"[:512],
            "ConnectionArn": self.connection,
            "HttpMethod": "POST",
            "InvocationEndpoint": f"{self.opts.github_api_url}/repos/{repo}/dispatches",
            "InvocationRateLimitPerSecond": self.opts.dispatch_rate_limit,
        }, blame=self.blame)
        self.destinations[repo] = lid
        return lid


class Connection:
    """The region's GitHub connection, in the root stack."""

    def __init__(self, t: Template, opts: CloudFormationOptions) -> None:
        self.t, self.opts = t, opts

    def token_reference(self) -> str:
        key = f":{self.opts.github_token_json_key}" if self.opts.github_token_json_key else ""
        return f"{{{{resolve:secretsmanager:{self.opts.github_token_secret}:SecretString{key}}}}}"

    def add(self, export: str) -> None:
        self.t.output(CONNECTION + "Arn", get_att(CONNECTION),
                      "the GitHub connection the build stacks' API destinations use",
                      export=export)
        self.t.add(CONNECTION, "AWS::Events::Connection", {
            "Description": "GitHub REST API for repository_dispatch; the token is a "
                           "Secrets Manager dynamic reference",
            "AuthorizationType": "API_KEY",
            "AuthParameters": {
                "ApiKeyAuthParameters": {
                    "ApiKeyName": "Authorization",
                    "ApiKeyValue": f"Bearer {self.token_reference()}",
                },
                "InvocationHttpParameters": {"HeaderParameters": [
                    {"Key": "Accept", "Value": "application/vnd.github+json",
                     "IsValueSecret": False},
                    {"Key": "X-GitHub-Api-Version", "Value": GITHUB_API_VERSION,
                     "IsValueSecret": False},
                ]},
            },
        })

    def secrets(self) -> list[Json]:
        """What the template references in Secrets Manager, for its Metadata."""
        if CONNECTION not in self.t.resources:
            return []
        secret: dict[str, Json] = {
            "secret": self.opts.github_token_secret, "used_by": CONNECTION,
            "as": "dynamic reference; the value never appears in the template"}
        if self.opts.github_token_json_key:
            secret["json_key"] = self.opts.github_token_json_key
        return [secret]
