"""Reactions to product changes (SPEC §5), as EventBridge resources of the central template.

Products live in the central account's Parameter Store, so every change raises an
`aws.ssm` / `Parameter Store Change` event on the central account's default bus in the
product's region — which is the consumer's region too (E304). One rule per consumer enver and
reaction (and per approver or topic set) matches the paths it reads (`detail.name`) and
routes them:

* `redeploy`, `ci = github_actions`: a `repository_dispatch` (`POST
  {api}/repos/OWNER/REPO/dispatches`) through an API destination per repository and one
  connection per region, whose `Authorization: Bearer …` value is a Secrets Manager dynamic
  reference (option `github_token_secret`). Body::

      {"event_type": "odmd-redeploy", "client_payload": {"enver": "orders.master",
       "ref": "refs/heads/master", "workflow": "ODMD_orders-CdkGHus-west-1-workspace1.yaml",
       "reaction": "redeploy", "path": "<changed path>", "operation": "Update"}}

  A `repository_dispatch` run always starts on the default branch: the workflow named in
  `workflow` re-dispatches itself on `ref` (`workflow_dispatch`) before it deploys, so it
  assumes the build role with the enver's own `sub` (see `target.py`).
* `redeploy`, `ci = codepipeline`: `codepipeline:StartPipelineExecution` of the consumer's
  pipeline (`names.pipeline_name`, in the central account and the enver's region).
* `notify`: a KMS-encrypted SNS topic per consumer enver that only this template's rules may
  publish to; `notify("arn:…:sns:…")` adds those topics as targets too (their owners must let
  `events.amazonaws.com` publish with `aws:SourceArn` = the rule).
* `approve(role…)`, `ci = codepipeline`: the pipeline is started, and its manual approval
  action — which the codepipeline backend restricts to the same roles — holds the deploy.
* `approve(role…)`, `ci = github_actions`: the change is held in AWS, where IAM can tell the
  approvers apart. The rule publishes an approval request to an SNS topic of that consumer
  enver and role set (only EventBridge may publish to it; only the approvers may subscribe).
  An approver releases it by sending any message to the group's approval queue — its policy
  lets exactly those roles (`aws:PrincipalArn`) send and explicitly denies everyone else,
  administrators of the central account included. An EventBridge pipe turns each message into
  a `repository_dispatch` with `event_type` `odmd-approved`, carrying the enver, its ref and
  workflow, the SQS message id and the sender's principal id for the audit trail. Limits: an
  approval releases whatever the consumed values are when the workflow runs (not a specific
  version); the request topic's message holds the command that approves; changing the queue
  policy — an administrator's stack update — is the only way around it.
* `ignore`: no rule.

Failed deliveries (GitHub down, token expired, pipeline missing) land in one dead-letter queue
per region instead of vanishing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Literal

from odmdc.backends.api import EmitContext
from odmdc.backends.cloudformation.options import CloudFormationOptions
from odmdc.backends.cloudformation.template import (
    Json,
    Skip,
    Template,
    account_root,
    document,
    get_att,
    logical_id,
    ref,
    statement,
    sub,
)
from odmdc.compiler import naming
from odmdc.compiler.ir import IR, Consumer, Enver

GroupKind = Literal["redeploy", "notify", "approve"]

#: EventBridge limits: an event pattern is at most 4,096 characters (kept well below), a rule has
#: at most 5 targets.
PATTERN_BUDGET = 3000
MAX_TARGETS = 5
CHANGE_OPERATIONS = ["Create", "Update"]  # a deleted or relabelled input redeploys nothing
ALL_OPERATIONS = ["Create", "Delete", "LabelParameterVersion", "Update"]
RETRY = {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400}  # EventBridge's max

_ROLE_ARN = re.compile(r"arn:(?P<partition>[a-z-]+):iam::\d{12}:role/(?:[\x21-\x7e]+/)?[\w+=,.@-]+")
_TOPIC_ARN = re.compile(
    r"arn:(?P<partition>[a-z-]+):sns:(?P<region>[a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}")

SSE_SQS = Skip(
    "CKV_AWS_27",
    "Encrypted at rest with SSE-SQS (`SqsManagedSseEnabled`); checkov's check only knows "
    "`KmsMasterKeyId`. SSE-SQS lets EventBridge and approvers in other accounts send without "
    "grants on a customer key, which a KMS-encrypted queue would require of each of them.",
)
KEY_ADMIN_WHY = ("In a key policy `Resource: *` means this key; the account root statement "
                 "lets IAM policies govern the key, without it the key cannot be managed.")


@dataclass
class Group:
    """One rule's worth: a consumer enver, a reaction, the paths it reads with it."""

    enver: Enver
    kind: GroupKind
    extra: tuple[str, ...]  # approver role ARNs, or notify topic ARNs
    consumers: list[Consumer] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return sorted({c.reads for c in self.consumers})


def _chunks(paths: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for p in paths:
        if out[-1] and len(json.dumps([*out[-1], p])) > PATTERN_BUDGET:
            out.append([])
        out[-1].append(p)
    return out


def change_pattern(paths: list[str], operations: list[str]) -> Json:
    return {
        "source": ["aws.ssm"],
        "detail-type": ["Parameter Store Change"],
        "detail": {"name": paths, "operation": operations},
    }


def git_ref(e: Enver) -> str:
    return f"refs/{'heads' if e.revision.kind == 'branch' else 'tags'}/{e.revision.value}"


class Reactions:
    """Builds the reaction resources of one central template; shared ones (connection, KMS
    key, roles, dead-letter queue) only when something needs them."""

    def __init__(self, ir: IR, region: str, t: Template, opts: CloudFormationOptions,
                 ctx: EmitContext) -> None:
        self.ir, self.region, self.t, self.opts, self.ctx = ir, region, t, opts, ctx
        self.account = ir.org.central_account_id
        self.partition = next((e.partition for e in ir.envers() if e.region == region), "aws")
        self.ci = ir.org.ci
        self.rules: list[str] = []  # logical ids, for the dead-letter queue's policy
        self.destinations: dict[str, str] = {}  # repo → ApiDestination logical id
        self.rule_destinations: set[str] = set()
        self.pipe_destinations: set[str] = set()
        self.pipelines: set[str] = set()
        self.queues: list[str] = []  # approval queues, read by the pipes role
        self.pipes: list[str] = []
        self.topic_publishers: dict[str, list[str]] = {}  # topic → rules publishing to it
        self.topic_approvers: dict[str, tuple[str, ...]] = {}  # request topic → approvers

    # --- grouping --------------------------------------------------------------------------
    def _groups(self, e: Enver) -> list[Group]:
        groups: dict[tuple[GroupKind, tuple[str, ...]], Group] = {}
        for c in sorted(e.consumers, key=lambda c: c.name):
            kind = c.reaction.kind
            if kind == "ignore":
                continue
            extra = self._valid_extra(e, c)
            if extra is None:
                continue
            key = (kind, extra)
            groups.setdefault(key, Group(e, kind, extra)).consumers.append(c)
        return [groups[k] for k in sorted(groups)]

    def _valid_extra(self, e: Enver, c: Consumer) -> tuple[str, ...] | None:
        roles = tuple(sorted(set(c.reaction.roles)))
        if c.reaction.kind == "approve":
            bad = [r for r in roles if not ((m := _ROLE_ARN.fullmatch(r))
                                            and m["partition"] == e.partition)]
            if bad:
                self.ctx.unsupported(
                    c.location, f"`approve` needs IAM role ARNs in partition `{e.partition}`, "
                    f"got `{bad[0]}`",
                    help="name the approvers' roles, e.g. "
                         f"`approve(\"arn:{e.partition}:iam::123456789012:role/release-managers\")`")
                return None
            return roles
        if c.reaction.kind == "notify":
            bad = [r for r in roles if not ((m := _TOPIC_ARN.fullmatch(r))
                                            and m["partition"] == e.partition
                                            and m["region"] == e.region)]
            if bad:
                self.ctx.unsupported(
                    c.location, f"`notify` targets must be SNS topic ARNs in {e.region}, got "
                    f"`{bad[0]}`",
                    help="EventBridge delivers only to topics in the rule's region; name a "
                         f"topic `arn:{e.partition}:sns:{e.region}:<account>:<name>`, or write "
                         "`notify` alone for the enver's own topic")
                return None
            if len(roles) > MAX_TARGETS - 1:
                self.ctx.unsupported(
                    c.location, f"`notify` names {len(roles)} topics; a rule has at most "
                    f"{MAX_TARGETS} targets, one of them the enver's own topic",
                    help=f"name at most {MAX_TARGETS - 1} topics")
                return None
            return roles
        return ()

    # --- per enver ---------------------------------------------------------------------------
    def add_enver(self, e: Enver) -> None:
        if self.ci not in ("github_actions", "codepipeline"):
            if any(c.reaction.kind != "ignore" for c in e.consumers):
                self.ctx.unsupported(
                    e.location, f"no way to start a deployment with `ci = {self.ci}`",
                    help="use `ci = github_actions` or `ci = codepipeline`")
            return
        notify_topic: str | None = None
        for g in self._groups(e):
            if g.kind == "redeploy":
                self._rules(g, "OnChange", CHANGE_OPERATIONS, [self._deploy_target(e, "redeploy")])
            elif g.kind == "notify":
                if notify_topic is None:
                    notify_topic = self._topic(logical_id("NotifyTopic", e.id),
                                               f"odmd: inputs of {e.id} changed")
                targets = [{"Id": "topic", "Arn": ref(notify_topic),
                            "InputTransformer": self._message(e, "notify", {})}]
                targets += [{"Id": f"topic{i}", "Arn": arn,
                             "InputTransformer": self._message(e, "notify", {})}
                            for i, arn in enumerate(g.extra, 1)]
                self._rules(g, "OnNotify", ALL_OPERATIONS, targets, topic=notify_topic)
            elif self.ci == "codepipeline":
                # the pipeline's manual approval, restricted to the roles, holds the deploy
                self._rules(g, "OnApprove", CHANGE_OPERATIONS,
                            [self._deploy_target(e, "approve")])
            else:
                self._approval(g)

    def _rules(self, g: Group, prefix: str, operations: list[str], targets: list[Json], *,
               topic: str | None = None) -> list[str]:
        made = []
        chunks = _chunks(g.paths)
        for i, paths in enumerate(chunks):
            key = (g.enver.id, *g.extra) if i == 0 else (g.enver.id, *g.extra, str(i))
            lid = logical_id(prefix, *key, label=g.enver.id)
            reads = sorted({c.name for c in g.consumers if c.reads in paths})
            inputs = ", ".join(f"`{r}`" for r in reads)
            verb = "changes" if len(reads) == 1 else "change"
            self.t.add(lid, "AWS::Events::Rule", {
                "Description": f"odmd: {g.kind} {g.enver.id} when {inputs} {verb}"[:512],
                "State": "ENABLED",
                "EventPattern": change_pattern(paths, operations),
                "Targets": [t | {"RetryPolicy": RETRY,
                                 "DeadLetterConfig": {"Arn": get_att("DeadLetterQueue")}}
                            for t in targets],
            }, notes={"enver": g.enver.id, "reaction": g.kind, "consumers": reads,
                      **({"roles": list(g.extra)} if g.kind == "approve" else {}),
                      **({"topics": list(g.extra)} if g.kind == "notify" and g.extra
                         else {})})
            self.rules.append(lid)
            made.append(lid)
            if topic is not None:
                self.topic_publishers.setdefault(topic, []).append(lid)
        return made

    # --- targets -----------------------------------------------------------------------------
    def _deploy_target(self, e: Enver, reaction: str) -> Json:
        if self.ci == "codepipeline":
            arn = (f"arn:{self.partition}:codepipeline:{self.region}:{self.account}:"
                   f"{e.names.pipeline_name}")
            self.pipelines.add(arn)
            return {"Id": "pipeline", "Arn": arn, "RoleArn": get_att("EventsRole")}
        dest = self._destination(e)
        self.rule_destinations.add(dest)
        payload = self._payload(e, naming.REDEPLOY_EVENT_TYPE, reaction,
                                {"path": "<path>", "operation": "<operation>"})
        return {
            "Id": "dispatch", "Arn": get_att(dest), "RoleArn": get_att("EventsRole"),
            "InputTransformer": {
                "InputPathsMap": {"path": "$.detail.name", "operation": "$.detail.operation"},
                "InputTemplate": json.dumps(payload, sort_keys=True),
            },
        }

    def _payload(self, e: Enver, event_type: str, reaction: str,
                 more: dict[str, str]) -> Json:
        return {"event_type": event_type, "client_payload": {
            "enver": e.id, "ref": git_ref(e), "workflow": e.names.workflow_file,
            "reaction": reaction, **more}}

    def _message(self, e: Enver, reaction: str, more: dict[str, Json]) -> Json:
        msg = {"odmd": f"{reaction}: an input of {e.id} changed", "enver": e.id,
               "account": e.account_id, "region": e.region, "path": "<path>",
               "operation": "<operation>", "time": "<time>", **more}
        return {
            "InputPathsMap": {"path": "$.detail.name", "operation": "$.detail.operation",
                              "time": "$.time"},
            "InputTemplate": json.dumps(msg, sort_keys=True),
        }

    def _destination(self, e: Enver) -> str:
        repo = self.ir.builds[e.build].repo
        if repo in self.destinations:
            return self.destinations[repo]
        self._connection()
        lid = logical_id("Dispatch", repo)
        self.t.add(lid, "AWS::Events::ApiDestination", {
            "Description": f"repository_dispatch to {repo}"[:512],
            "ConnectionArn": get_att("GitHubConnection"),
            "HttpMethod": "POST",
            "InvocationEndpoint": f"{self.opts.github_api_url}/repos/{repo}/dispatches",
            "InvocationRateLimitPerSecond": self.opts.dispatch_rate_limit,
        })
        self.destinations[repo] = lid
        return lid

    def _token_reference(self) -> str:
        key = f":{self.opts.github_token_json_key}" if self.opts.github_token_json_key else ""
        return f"{{{{resolve:secretsmanager:{self.opts.github_token_secret}:SecretString{key}}}}}"

    def _connection(self) -> None:
        if "GitHubConnection" in self.t.resources:
            return
        self.t.add("GitHubConnection", "AWS::Events::Connection", {
            "Description": "GitHub REST API for repository_dispatch; the token is a "
                           "Secrets Manager dynamic reference",
            "AuthorizationType": "API_KEY",
            "AuthParameters": {
                "ApiKeyAuthParameters": {
                    "ApiKeyName": "Authorization",
                    "ApiKeyValue": f"Bearer {self._token_reference()}",
                },
                "InvocationHttpParameters": {"HeaderParameters": [
                    {"Key": "Accept", "Value": "application/vnd.github+json",
                     "IsValueSecret": False},
                    {"Key": "X-GitHub-Api-Version", "Value": "2022-11-28",
                     "IsValueSecret": False},
                ]},
            },
        })

    # --- SNS ---------------------------------------------------------------------------------
    def _topic(self, lid: str, name: str) -> str:
        self._key()
        self.t.add(lid, "AWS::SNS::Topic", {
            "DisplayName": name[:100],
            "KmsMasterKeyId": ref("EventsKey"),
        })
        self.t.output(lid + "Arn", ref(lid), name)
        return lid

    def _key(self) -> None:
        if "EventsKey" in self.t.resources:
            return
        root = account_root(self.partition, self.account)
        self.t.add("EventsKey", "AWS::KMS::Key", {
            "Description": "odmd: encrypts the reaction topics of this region",
            "EnableKeyRotation": True,
            "KeyPolicy": document(
                statement("AccountAdministers", ["kms:*"], "*", principal={"AWS": root}),
                statement("EventBridgePublishesToTopics", ["kms:Decrypt", "kms:GenerateDataKey"],
                          "*", principal={"Service": "events.amazonaws.com"},
                          condition={"StringEquals": {"aws:SourceAccount": self.account}}),
            ),
        }, notes={"why-resource-star": KEY_ADMIN_WHY})

    # --- approvals -----------------------------------------------------------------------------
    def _approval(self, g: Group) -> None:
        e, roles = g.enver, g.extra
        key = (e.id, *roles)
        queue = logical_id("ApprovalQueue", *key, label=e.id)
        request = self._topic(logical_id("ApprovalRequests", *key, label=e.id),
                              f"odmd: approve changed inputs of {e.id}")
        self.topic_approvers[request] = roles
        self.t.add(queue, "AWS::SQS::Queue", {
            "SqsManagedSseEnabled": True,
            "MessageRetentionPeriod": 86400,
            "RedrivePolicy": {"deadLetterTargetArn": get_att("DeadLetterQueue"),
                              "maxReceiveCount": 5},
        }, skips=(SSE_SQS,), notes={"enver": e.id, "approvers": list(roles)})
        principals = sorted({account_root(self.partition, r.split(":")[4]) for r in roles})
        self.t.add(queue + "Policy", "AWS::SQS::QueuePolicy", {
            "Queues": [ref(queue)],
            "PolicyDocument": document(
                statement("ApproversSend", ["sqs:SendMessage"], get_att(queue),
                          principal={"AWS": principals if len(principals) > 1 else principals[0]},
                          condition={"ArnEquals": {"aws:PrincipalArn": list(roles)}}),
                statement("NobodyElseSends", ["sqs:SendMessage"], get_att(queue),
                          effect="Deny", principal="*",
                          condition={"ArnNotEquals": {"aws:PrincipalArn": list(roles)}}),
            ),
        })
        self.queues.append(queue)
        dest = self._destination(e)
        self.pipe_destinations.add(dest)
        payload = self._payload(e, naming.APPROVED_EVENT_TYPE, "approve", {
            "approval": "<$.messageId>", "approver": "<$.attributes.SenderId>"})
        pipe = logical_id("ApprovalPipe", *key, label=e.id)
        self.t.add(pipe, "AWS::Pipes::Pipe", {
            "Description": f"odmd: an approval of {e.id} becomes a repository_dispatch"[:512],
            "DesiredState": "RUNNING",
            "RoleArn": get_att("PipesRole"),
            "Source": get_att(queue),
            "SourceParameters": {"SqsQueueParameters": {"BatchSize": 1}},
            "Target": get_att(dest),
            "TargetParameters": {"InputTemplate": json.dumps(payload, sort_keys=True)},
        })
        self.pipes.append(pipe)
        how = (f"aws sqs send-message --region {self.region} --queue-url ${{{queue}}} "
               "--message-body approve")
        message = self._message(e, "approve", {"approvers": list(roles), "approve": how})
        message["InputTemplate"] = sub(message["InputTemplate"])  # the queue's URL
        self._rules(g, "OnApprove", CHANGE_OPERATIONS, [{
            "Id": "request", "Arn": ref(request), "InputTransformer": message,
        }], topic=request)
        self.t.output(queue + "Url", ref(queue),
                      f"approvers of {e.id} send a message here to release a change")

    # --- shared resources --------------------------------------------------------------------
    def finish(self) -> None:
        """Resources whose contents depend on everything added: topic policies, roles, the
        dead-letter queue."""
        for topic in sorted(self.topic_publishers):
            self._topic_policy(topic, self.topic_publishers[topic])
        if self.rule_destinations or self.pipelines:
            self._events_role()
        if self.pipes:
            self._pipes_role()
        if self.rules:
            self._dead_letters()

    def _topic_policy(self, topic: str, rules: list[str]) -> None:
        publish = [statement("OnlyEventBridgePublishes", ["sns:Publish"], ref(topic),
                             principal={"Service": "events.amazonaws.com"},
                             condition={"ArnEquals": {"aws:SourceArn": [get_att(r)
                                                                        for r in sorted(rules)]}}),
                   statement("NobodyElsePublishes", ["sns:Publish"], ref(topic), effect="Deny",
                             principal="*",
                             condition={"Bool": {"aws:PrincipalIsAWSService": "false"}})]
        approvers = self.topic_approvers.get(topic)
        if approvers:
            principals = sorted({account_root(self.partition, r.split(":")[4])
                                 for r in approvers})
            publish += [
                statement("ApproversSubscribe", ["sns:Subscribe"], ref(topic),
                          principal={"AWS": principals if len(principals) > 1
                                     else principals[0]},
                          condition={"ArnEquals": {"aws:PrincipalArn": list(approvers)}}),
            ]
        self.t.add(topic + "Policy", "AWS::SNS::TopicPolicy", {
            "Topics": [ref(topic)],
            "PolicyDocument": document(*publish),
        })

    def _events_role(self) -> None:
        stmts = []
        if self.rule_destinations:
            stmts.append(statement("InvokeDispatchDestinations", ["events:InvokeApiDestination"],
                                   [get_att(d) for d in sorted(self.rule_destinations)]))
        if self.pipelines:
            stmts.append(statement("StartConsumerPipelines",
                                   ["codepipeline:StartPipelineExecution"],
                                   sorted(self.pipelines)))
        self.t.add("EventsRole", "AWS::IAM::Role", {
            "Description": "EventBridge rules of odmd start consumers' deployments",
            "AssumeRolePolicyDocument": document(statement(
                "EventBridge", ["sts:AssumeRole"], None,
                principal={"Service": "events.amazonaws.com"},
                condition={"StringEquals": {"aws:SourceAccount": self.account}})),
            "Policies": [{"PolicyName": "start-deployments",
                          "PolicyDocument": document(*stmts)}],
        })

    def _pipes_role(self) -> None:
        queues = [get_att(q) for q in sorted(self.queues)]
        self.t.add("PipesRole", "AWS::IAM::Role", {
            "Description": "EventBridge pipes of odmd turn approvals into repository_dispatch",
            "AssumeRolePolicyDocument": document(statement(
                "Pipes", ["sts:AssumeRole"], None,
                principal={"Service": "pipes.amazonaws.com"},
                condition={"StringEquals": {"aws:SourceAccount": self.account}})),
            "Policies": [{"PolicyName": "relay-approvals", "PolicyDocument": document(
                statement("ReadApprovals", ["sqs:DeleteMessage", "sqs:GetQueueAttributes",
                                            "sqs:ReceiveMessage"], queues),
                statement("InvokeDispatchDestinations", ["events:InvokeApiDestination"],
                          [get_att(d) for d in sorted(self.pipe_destinations)]),
            )}],
        })

    def _dead_letters(self) -> None:
        self.t.add("DeadLetterQueue", "AWS::SQS::Queue", {
            "SqsManagedSseEnabled": True,
            "MessageRetentionPeriod": 1209600,
        }, skips=(SSE_SQS,),
            notes={"why": "reactions EventBridge or a pipe could not deliver, kept 14 days"})
        self.t.add("DeadLetterQueuePolicy", "AWS::SQS::QueuePolicy", {
            "Queues": [ref("DeadLetterQueue")],
            "PolicyDocument": document(statement(
                "RulesDeadLetter", ["sqs:SendMessage"], get_att("DeadLetterQueue"),
                principal={"Service": "events.amazonaws.com"},
                condition={"ArnEquals": {"aws:SourceArn": [get_att(r)
                                                           for r in sorted(self.rules)]}})),
        })
        self.t.output("DeadLetterQueueUrl", ref("DeadLetterQueue"),
                      "reactions that could not be delivered")

    # --- metadata ----------------------------------------------------------------------------
    def wildcards(self) -> list[Json]:
        if "EventsKey" not in self.t.resources:
            return []
        return [{"resource": "EventsKey", "policy": "KeyPolicy", "why": KEY_ADMIN_WHY}]

    def secrets(self) -> list[Json]:
        if "GitHubConnection" not in self.t.resources:
            return []
        secret: dict[str, Json] = {
            "secret": self.opts.github_token_secret, "used_by": "GitHubConnection",
            "as": "dynamic reference; the value never appears in the template"}
        if self.opts.github_token_json_key:
            secret["json_key"] = self.opts.github_token_json_key
        return [secret]
