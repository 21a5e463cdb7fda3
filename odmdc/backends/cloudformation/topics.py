"""The SNS topics of reactions (notify, approval requests), encrypted with one customer key per
region (in the central root stack, imported by the build stacks): EventBridge cannot publish to
a topic under the AWS-managed SNS key, whose policy cannot let it in."""

from __future__ import annotations

from collections.abc import Callable

from odmdc.backends.aws.cfn import Json, Template, get_att, ref
from odmdc.backends.aws.iam import account_root, document, principals, statement
from odmdc.compiler.ir import Location

KEY = "EventsKey"
KEY_ADMIN_WHY = ("In a key policy `Resource: *` means this key; the account root statement "
                 "lets IAM policies govern the key, without it the key cannot be managed.")


def events_key(t: Template, partition: str, account: str, export: str) -> None:
    """The region's key of reaction topics, in the root stack, exported for the build stacks."""
    root = account_root(partition, account)
    t.output(KEY + "Arn", get_att(KEY), "the key of the reaction topics", export=export)
    t.add(KEY, "AWS::KMS::Key", {
            "Description": "odmd: encrypts the reaction topics of this region",
            "EnableKeyRotation": True,
            "KeyPolicy": document(
                statement("AccountAdministers", ["kms:*"], "*", principal={"AWS": root}),
                statement("EventBridgePublishesToTopics", ["kms:Decrypt", "kms:GenerateDataKey"],
                          "*", principal={"Service": "events.amazonaws.com"},
                          condition={"StringEquals": {"aws:SourceAccount": account}}),
            ),
        }, notes={"why-resource-star": KEY_ADMIN_WHY})


def key_wildcards() -> list[Json]:
    return [{"resource": KEY, "policy": "KeyPolicy", "why": KEY_ADMIN_WHY}]


class Topics:
    """The topics of one build stack; `key` gives how it names the region's key (an import,
    asked for only when a topic is made)."""

    def __init__(self, t: Template, partition: str, key: Callable[[], Json]) -> None:
        self.t, self.partition, self.key = t, partition, key
        self.publishers: dict[str, list[str]] = {}  # topic → rules publishing to it
        self.subscribers: dict[str, tuple[str, ...]] = {}  # topic → roles that may subscribe

    def topic(self, lid: str, name: str, blame: Location,
              subscribers: tuple[str, ...] = ()) -> str:
        self.t.add(lid, "AWS::SNS::Topic", {
            "DisplayName": name[:100],
            "KmsMasterKeyId": self.key(),
        }, blame=blame)
        if subscribers:
            self.subscribers[lid] = subscribers
        self.t.output(lid + "Arn", ref(lid), name)
        return lid

    def published_by(self, topic: str, rule: str) -> None:
        self.publishers.setdefault(topic, []).append(rule)

    def finish(self) -> None:
        """Topic policies: only this template's rules publish; approvers may subscribe."""
        for topic in sorted(self.publishers):
            rules = sorted(self.publishers[topic])
            stmts = [
                statement("OnlyEventBridgePublishes", ["sns:Publish"], ref(topic),
                          principal={"Service": "events.amazonaws.com"},
                          condition={"ArnEquals": {"aws:SourceArn": [get_att(r)
                                                                     for r in rules]}}),
                statement("NobodyElsePublishes", ["sns:Publish"], ref(topic), effect="Deny",
                          principal="*",
                          condition={"Bool": {"aws:PrincipalIsAWSService": "false"}}),
            ]
            roles = self.subscribers.get(topic)
            if roles:
                stmts.append(statement(
                    "ApproversSubscribe", ["sns:Subscribe"], ref(topic),
                    principal=principals(self.partition, roles),
                    condition={"ArnEquals": {"aws:PrincipalArn": list(roles)}}))
            self.t.add(topic + "Policy", "AWS::SNS::TopicPolicy", {
                "Topics": [ref(topic)],
                "PolicyDocument": document(*stmts),
            }, blame=self.t.blame.get(topic))
