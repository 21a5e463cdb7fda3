"""Reactions to product changes (SPEC §5), as EventBridge resources of the central build stacks.

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
  approvers apart. The rule publishes an approval request — the path, the operation and the
  command that approves — to an SNS topic of that consumer enver and role set (only EventBridge
  may publish to it; the approvers' roles may subscribe from their own accounts). An approver
  releases it by sending any message to the group's approval queue: its policy lets exactly
  those roles (`aws:PrincipalArn`) send and explicitly denies everyone else, administrators of
  the central account included (an approver in another account also needs `sqs:SendMessage`
  on the queue from their own account's IAM). An EventBridge pipe turns each message into a
  `repository_dispatch` with `event_type` `odmd-approved`, carrying the enver, its ref and
  workflow, the SQS message id and the sender's principal id for the audit trail. Limits: an
  approval releases whatever the consumed values are when the workflow runs, not one version;
  central-account principals whose IAM allows it can also subscribe to the requests (which
  reveal only a path); only a stack update of the queue policy — an administrator's act — can
  change who approves.
* `ignore`: no rule.

Each build stack holds the rules of its own envers. Failed deliveries (GitHub down, token
expired, pipeline missing) land in its dead-letter queue instead of vanishing — in more than
one when the stack has more rules than one queue policy can name (SQS allows 8,192 bytes).
An event pattern holds at most 2,048 characters (EventBridge's quota): a group whose paths make
a longer one gets several rules, each as full as fits.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from odmdc.backends.api import EmitContext
from odmdc.backends.aws.cfn import SSE_SQS, Json, Template, get_att, logical_id, ref
from odmdc.backends.aws.iam import document, statement
from odmdc.backends.aws.quotas import (
    EVENT_PATTERN_SIZE,
    SQS_POLICY_SIZE,
    TARGETS_PER_RULE,
    Place,
    pattern_length,
    policy_size,
    resolved_length,
)
from odmdc.backends.cloudformation.approvals import Approvals
from odmdc.backends.cloudformation.dispatch import GitHub, payload
from odmdc.backends.cloudformation.options import CloudFormationOptions
from odmdc.backends.cloudformation.topics import Topics
from odmdc.compiler import naming
from odmdc.compiler.ir import IR, Build, Consumer, Enver

GroupKind = Literal["redeploy", "notify", "approve"]

ALL_OPERATIONS = ["Create", "Delete", "LabelParameterVersion", "Update"]
RETRY = {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400}  # EventBridge's max
EVENTS_ROLE = "EventsRole"

_ROLE_ARN = re.compile(
    r"arn:(?P<partition>[a-z-]+):iam::\d{12}:role/(?:[\x21-\x7e]+/)?[\w+=,.@-]+")
_TOPIC_ARN = re.compile(
    r"arn:(?P<partition>[a-z-]+):sns:(?P<region>[a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}")


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


def _chunks(paths: list[str], operations: list[str]) -> list[list[str]]:
    """The paths, in order, cut so that each rule's whole pattern fits EventBridge's size
    (a path too long to fit even alone gets a rule of its own, which the quota check
    reports)."""
    base = pattern_length(change_pattern([], operations))
    out: list[list[str]] = [[]]
    size = base
    for p in paths:
        grow = len(json.dumps(p)) + (2 if out[-1] else 0)  # `, ` between names
        if out[-1] and size + grow > EVENT_PATTERN_SIZE:
            out.append([])
            size, grow = base, grow - 2
        out[-1].append(p)
        size += grow
    return out


def change_pattern(paths: list[str], operations: list[str]) -> Json:
    return {
        "source": ["aws.ssm"],
        "detail-type": ["Parameter Store Change"],
        "detail": {"name": paths, "operation": operations},
    }


@dataclass(frozen=True, slots=True)
class Imports:
    """How a build stack names what the region's root stack shares (`Fn::ImportValue`s)."""

    connection: Json
    key: Json


class Reactions:
    """Builds the reaction resources of one build's central stack in one region; its roles
    and dead-letter queues only when something needs them."""

    CHANGES: ClassVar[list[str]] = ["Create", "Update"]  # a deleted input redeploys nothing
    DEAD_LETTERS: ClassVar[str] = "DeadLetterQueue"

    def __init__(self, ir: IR, build: Build, region: str, t: Template,
                 opts: CloudFormationOptions, ctx: EmitContext, imports: Imports,
                 place: Place) -> None:
        self.ir, self.build, self.region, self.t, self.ctx = ir, build, region, t, ctx
        self.place = place
        self.account = ir.org.central_account_id
        self.partition = place.partition
        self.ci = ir.org.ci
        self.github = GitHub(t, opts, imports.connection, build.location)
        self.topics = Topics(t, self.partition, imports.key)
        self.approvals = Approvals()
        self.rule_ids: list[str] = []  # for the dead-letter queues' policies
        self.invoked: set[str] = set()  # API destinations rules invoke
        self.pipelines: set[str] = set()

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
            groups.setdefault((kind, extra), Group(e, kind, extra)).consumers.append(c)
        return [groups[k] for k in sorted(groups)]

    def _valid_extra(self, e: Enver, c: Consumer) -> tuple[str, ...] | None:
        """The reaction's strings, if this backend can act on them (else E601)."""
        roles = tuple(sorted(set(c.reaction.roles)))
        if c.reaction.kind == "approve":
            bad = [r for r in roles if not ((m := _ROLE_ARN.fullmatch(r))
                                            and m["partition"] == e.partition)]
            if bad:
                self.ctx.unsupported(
                    c.location, f"`approve` needs IAM role ARNs in partition `{e.partition}`, "
                    f"got `{bad[0]}`",
                    help="name the approvers' roles, e.g. `approve(\"arn:"
                         f"{e.partition}:iam::123456789012:role/release-managers\")`")
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
            if len(roles) > TARGETS_PER_RULE - 1:
                self.ctx.unsupported(
                    c.location, f"`notify` names {len(roles)} topics; a rule has at most "
                    f"{TARGETS_PER_RULE} targets, one of them the enver's own topic",
                    help=f"name at most {TARGETS_PER_RULE - 1} topics")
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
                self.rules(g, "OnChange", self.CHANGES, [self._deploy_target(e, "redeploy")])
            elif g.kind == "notify":
                if notify_topic is None:
                    notify_topic = self.topics.topic(logical_id("NotifyTopic", e.id),
                                                     f"odmd: inputs of {e.id} changed",
                                                     g.consumers[0].location)
                arns = [ref(notify_topic), *g.extra]
                self.rules(g, "OnNotify", ALL_OPERATIONS, [
                    {"Id": f"topic{i or ''}", "Arn": arn,
                     "InputTransformer": self.message(e, "notify", {})}
                    for i, arn in enumerate(arns)], topic=notify_topic)
            elif self.ci == "codepipeline":
                # the pipeline's manual approval, restricted to the roles, holds the deploy
                self.rules(g, "OnApprove", self.CHANGES, [self._deploy_target(e, "approve")])
            else:
                self.approvals.add(g, self)

    def rules(self, g: Group, prefix: str, operations: list[str], targets: list[Json], *,
              topic: str | None = None) -> None:
        """The group's rule — or rules, when its paths make too long a pattern."""
        for i, paths in enumerate(_chunks(g.paths, operations)):
            key = (g.enver.id, *g.extra) if i == 0 else (g.enver.id, *g.extra, str(i))
            lid = logical_id(prefix, *key, label=g.enver.id)
            chunk = set(paths)
            readers = [c for c in g.consumers if c.reads in chunk]
            reads = sorted({c.name for c in readers})
            inputs = ", ".join(f"`{r}`" for r in reads)
            verb = "changes" if len(reads) == 1 else "change"
            self.t.add(lid, "AWS::Events::Rule", {
                "Description": f"odmd: {g.kind} {g.enver.id} when {inputs} {verb}"[:512],
                "State": "ENABLED",
                "EventPattern": change_pattern(paths, operations),
                "Targets": [t | {"RetryPolicy": RETRY,
                                 "DeadLetterConfig": {"Arn": get_att(self.DEAD_LETTERS)}}
                            for t in targets],
            }, notes={"enver": g.enver.id, "reaction": g.kind, "consumers": reads,
                      **({"roles": list(g.extra)} if g.kind == "approve" else {}),
                      **({"topics": list(g.extra)} if g.kind == "notify" and g.extra
                         else {})}, blame=readers[0].location)
            self.rule_ids.append(lid)
            if topic is not None:
                self.topics.published_by(topic, lid)

    # --- targets -----------------------------------------------------------------------------
    def _deploy_target(self, e: Enver, reaction: str) -> Json:
        if self.ci == "codepipeline":
            arn = (f"arn:{self.partition}:codepipeline:{self.region}:{self.account}:"
                   f"{e.names.pipeline_name}")
            self.pipelines.add(arn)
            return {"Id": "pipeline", "Arn": arn, "RoleArn": get_att(EVENTS_ROLE)}
        dest = self.github.destination(self.ir.builds[e.build].repo)
        self.invoked.add(dest)
        body = payload(e, naming.REDEPLOY_EVENT_TYPE, reaction,
                       {"path": "<path>", "operation": "<operation>"})
        return {
            "Id": "dispatch", "Arn": get_att(dest), "RoleArn": get_att(EVENTS_ROLE),
            "InputTransformer": {
                "InputPathsMap": {"path": "$.detail.name", "operation": "$.detail.operation"},
                "InputTemplate": json.dumps(body, sort_keys=True),
            },
        }

    def message(self, e: Enver, reaction: str, more: dict[str, Json]) -> Json:
        """A topic message: which input of which enver changed, and how."""
        msg = {"odmd": f"{reaction}: an input of {e.id} changed", "enver": e.id,
               "account": e.account_id, "region": e.region, "path": "<path>",
               "operation": "<operation>", "time": "<time>", **more}
        return {
            "InputPathsMap": {"path": "$.detail.name", "operation": "$.detail.operation",
                              "time": "$.time"},
            "InputTemplate": json.dumps(msg, sort_keys=True),
        }

    # --- shared resources --------------------------------------------------------------------
    def finish(self) -> None:
        """Resources whose contents depend on everything added: topic policies, roles, the
        dead-letter queues."""
        self.topics.finish()
        self.approvals.finish(self)
        if self.invoked or self.pipelines:
            self._events_role()
        if self.rule_ids:
            self._dead_letters()

    def _events_role(self) -> None:
        stmts = []
        if self.invoked:
            stmts.append(statement("InvokeDispatchDestinations", ["events:InvokeApiDestination"],
                                   [get_att(d) for d in sorted(self.invoked)]))
        if self.pipelines:
            stmts.append(statement("StartConsumerPipelines",
                                   ["codepipeline:StartPipelineExecution"],
                                   sorted(self.pipelines)))
        self.t.add(EVENTS_ROLE, "AWS::IAM::Role", {
            "Description": "EventBridge rules of odmd start consumers' deployments",
            "AssumeRolePolicyDocument": document(statement(
                "EventBridge", ["sts:AssumeRole"], None,
                principal={"Service": "events.amazonaws.com"},
                condition={"StringEquals": {"aws:SourceAccount": self.account}})),
            "Policies": [{"PolicyName": "start-deployments",
                          "PolicyDocument": document(*stmts)}],
        }, blame=self.build.location)

    def _dead_letters(self) -> None:
        """As many dead-letter queues as it takes for each one's policy — which names exactly
        the rules that may send to it — to fit SQS's policy size: the first takes the first
        rules, and so on (rules in the order they were made, so deterministic)."""
        first = self.DEAD_LETTERS
        self._queue(first)
        # every rule ARN resolves to the same longest length: the policy grows by a constant
        one = policy_size(self._dlq_policy(first, self.rule_ids[:1]), self.t, self.place)
        per_rule = resolved_length(self.t, self.place, self.rule_ids[0], "Arn") + 3  # `,""`
        capacity = 1 + max(SQS_POLICY_SIZE - one, 0) // per_rule
        for i in range(0, len(self.rule_ids), capacity):
            rules = self.rule_ids[i:i + capacity]
            lid = first if i == 0 else f"{first}{i // capacity + 1}"
            if i:
                self._queue(lid)
                for rule in rules:
                    for target in self.t.resources[rule]["Properties"]["Targets"]:
                        target["DeadLetterConfig"] = {"Arn": get_att(lid)}
            self.t.add(lid + "Policy", "AWS::SQS::QueuePolicy", {
                "Queues": [ref(lid)],
                "PolicyDocument": self._dlq_policy(lid, rules),
            }, blame=self.t.blame.get(rules[0]))
            self.t.output(lid + "Url", ref(lid), "reactions that could not be delivered")

    def _queue(self, lid: str) -> None:
        self.t.add(lid, "AWS::SQS::Queue", {
            "SqsManagedSseEnabled": True,
            "MessageRetentionPeriod": 1209600,
        }, skips=(SSE_SQS,),
            notes={"why": "reactions EventBridge or a pipe could not deliver, kept 14 days"},
            blame=self.build.location)

    def _dlq_policy(self, queue: str, rules: list[str]) -> Json:
        return document(statement(
            "RulesDeadLetter", ["sqs:SendMessage"], get_att(queue),
            principal={"Service": "events.amazonaws.com"},
            condition={"ArnEquals": {"aws:SourceArn": [get_att(r) for r in sorted(rules)]}}))

    # --- metadata ----------------------------------------------------------------------------
    @property
    def uses_connection(self) -> bool:
        return bool(self.github.destinations)

    @property
    def uses_key(self) -> bool:
        return bool(self.topics.publishers)
