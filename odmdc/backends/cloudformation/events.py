"""Reactions to product changes (docs/semantics.md), as EventBridge resources of the central
build stacks.

Products live in the central account's Parameter Store, so every change raises an
`aws.ssm` / `Parameter Store Change` event on the central account's default bus in the
product's region — which is the consumer's region too (E304). One rule per consumer enver and
reaction (and per approver or topic set) matches the paths it reads (`detail.name`) and
routes them:

* `redeploy`: a target the org's CI engine makes (`odmdc.backends.ci`: a `repository_dispatch`
  for GitHub Actions, `StartPipelineExecution` for CodePipeline), acting as the stack's
  EventBridge role, whose permissions the engine asks for;
* `approve(role…)`: whatever the engine holds a change in until one of the roles approves
  (an approval queue for GitHub Actions, the pipeline's manual approval for CodePipeline);
* `notify`: a KMS-encrypted SNS topic per consumer enver that only this template's rules may
  publish to; `notify("arn:…:sns:…")` adds those topics as targets too (their owners must let
  `events.amazonaws.com` publish with `aws:SourceArn` = the rule);
* `ignore`: no rule.

Each build stack holds the rules of its own envers. Failed deliveries (the engine down, a token
expired, a pipeline missing) land in its dead-letter queue instead of vanishing — in more than
one when the stack has more rules than one queue policy can name (SQS allows 8,192 bytes).
An event pattern holds at most 2,048 characters (EventBridge's quota): a group whose paths make
a longer one gets several rules, each as full as fits.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import ClassVar

from odmdc.backends.api import EmitContext
from odmdc.backends.aws.cfn import SSE_SQS, Json, Template, get_att, import_value, logical_id, ref
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
from odmdc.backends.ci import ReactionGroup, ReactionKind
from odmdc.backends.cloudformation.topics import Topics
from odmdc.compiler.ir import IR, Build, Consumer, Enver, Location

ALL_OPERATIONS = ["Create", "Delete", "LabelParameterVersion", "Update"]
RETRY = {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400}  # EventBridge's max
EVENTS_ROLE = "EventsRole"

_ROLE_ARN = re.compile(
    r"arn:(?P<partition>[a-z-]+):iam::\d{12}:role/(?:[\x21-\x7e]+/)?[\w+=,.@-]+")
_TOPIC_ARN = re.compile(
    r"arn:(?P<partition>[a-z-]+):sns:(?P<region>[a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}")


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


_NOT_EXPORT = re.compile(r"[^A-Za-z0-9:-]")


def central_export(org: str, what: str) -> str:
    """`odmd:<org>:<what>`: a CloudFormation export of the central account's regional stack
    (export names are unique per account and region, and hold letters, digits, `-`, `:`)."""
    return _NOT_EXPORT.sub("-", f"odmd:{org}:{what}")


@dataclass(frozen=True, slots=True)
class Exports:
    """How a build stack names what the region's root stack shares: `Fn::ImportValue` of the
    export `name(what)`."""

    org: str

    def name(self, what: str) -> str:
        return central_export(self.org, what)

    def value(self, what: str) -> Json:
        return import_value(self.name(what))


#: what the root stack shares that is this backend's own: the reaction topics' key
KEY_EXPORT = "events-key-arn"


class Reactions:
    """Builds the reaction resources of one build's central stack in one region (the
    `ReactionSite` the org's CI engine builds its part on); its roles and dead-letter queues
    only when something needs them."""

    CHANGES: ClassVar[list[str]] = ["Create", "Update"]  # a deleted input redeploys nothing
    DEAD_LETTERS: ClassVar[str] = "DeadLetterQueue"

    def __init__(self, ir: IR, build: Build, region: str, t: Template, ctx: EmitContext,
                 exports: Exports, place: Place) -> None:
        self.ir, self.build, self.region, self.template, self.ctx = ir, build, region, t, ctx
        self.t = t
        self.place = place
        self.account = ir.org.central_account_id
        self.partition = place.partition
        self.changes = list(self.CHANGES)
        self.dead_letters = self.DEAD_LETTERS
        self.events_role = get_att(EVENTS_ROLE)
        self.exports = exports
        #: what this stack imports from the root, in the order first used
        self.imported: dict[str, None] = {}
        self.topics = Topics(t, self.partition, lambda: self.shared(KEY_EXPORT))
        self.rule_ids: list[str] = []  # for the dead-letter queues' policies
        self.events_statements: dict[str, dict[str, Json]] = {}  # the EventBridge role's
        self.engine = ctx.ci.reactions(self)

    # --- grouping --------------------------------------------------------------------------
    def _groups(self, e: Enver) -> list[ReactionGroup]:
        groups: dict[tuple[ReactionKind, tuple[str, ...]], ReactionGroup] = {}
        for c in sorted(e.consumers, key=lambda c: c.name):
            kind = c.reaction.kind
            if kind == "ignore":
                continue
            extra = self._valid_extra(e, c)
            if extra is None:
                continue
            groups.setdefault((kind, extra), ReactionGroup(e, kind, extra)).consumers.append(c)
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
        notify_topic: str | None = None
        for g in self._groups(e):
            if g.kind == "redeploy":
                self.rules(g, "OnChange", self.CHANGES, [self.engine.redeploy(e)])
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
            else:
                self.engine.approve(g)

    def rules(self, g: ReactionGroup, prefix: str, operations: list[str], targets: list[Json], *,
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

    # --- what the CI engine's part uses --------------------------------------------------------
    def topic(self, lid: str, name: str, blame: Location,
              subscribers: tuple[str, ...] = ()) -> str:
        return self.topics.topic(lid, name, blame, subscribers)

    def allow_events(self, sid: str, actions: list[str], resources: list[Json]) -> None:
        self.events_statements[sid] = statement(sid, actions, resources)

    def shared(self, what: str) -> Json:
        self.imported.setdefault(what)
        return self.exports.value(what)

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
        self.engine.finish()
        if self.events_statements:
            self._events_role()
        if self.rule_ids:
            self._dead_letters()

    def _events_role(self) -> None:
        stmts = [self.events_statements[sid] for sid in sorted(self.events_statements)]
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
    def imports(self) -> list[str]:
        """The root stack's exports this stack imports: the CI engine's, then the key."""
        engine = [w for w in self.imported if w != KEY_EXPORT]
        return [*engine, *([KEY_EXPORT] if KEY_EXPORT in self.imported else [])]
