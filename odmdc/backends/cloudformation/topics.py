"""The SNS topics of reactions (notify, approval requests), encrypted with one customer key per
central template: EventBridge cannot publish to a topic under the AWS-managed SNS key, whose
policy cannot let it in."""

from __future__ import annotations

from odmdc.backends.cloudformation.template import (
    Json,
    Template,
    account_root,
    document,
    get_att,
    ref,
    statement,
)

KEY = "EventsKey"
KEY_ADMIN_WHY = ("In a key policy `Resource: *` means this key; the account root statement "
                 "lets IAM policies govern the key, without it the key cannot be managed.")


def principals(partition: str, role_arns: tuple[str, ...]) -> Json:
    """The accounts of some roles, as a resource policy principal; the roles themselves go in
    an `aws:PrincipalArn` condition (a role ARN as principal must exist when the policy is
    written, and stops matching if the role is re-created)."""
    roots = sorted({account_root(partition, r.split(":")[4]) for r in role_arns})
    return {"AWS": roots if len(roots) > 1 else roots[0]}


class Topics:
    def __init__(self, t: Template, partition: str, account: str) -> None:
        self.t, self.partition, self.account = t, partition, account
        self.publishers: dict[str, list[str]] = {}  # topic → rules publishing to it
        self.subscribers: dict[str, tuple[str, ...]] = {}  # topic → roles that may subscribe

    def topic(self, lid: str, name: str, subscribers: tuple[str, ...] = ()) -> str:
        self._key()
        self.t.add(lid, "AWS::SNS::Topic", {
            "DisplayName": name[:100],
            "KmsMasterKeyId": ref(KEY),
        })
        if subscribers:
            self.subscribers[lid] = subscribers
        self.t.output(lid + "Arn", ref(lid), name)
        return lid

    def published_by(self, topic: str, rule: str) -> None:
        self.publishers.setdefault(topic, []).append(rule)

    def _key(self) -> None:
        if KEY in self.t.resources:
            return
        root = account_root(self.partition, self.account)
        self.t.add(KEY, "AWS::KMS::Key", {
            "Description": "odmd: encrypts the reaction topics of this region",
            "EnableKeyRotation": True,
            "KeyPolicy": document(
                statement("AccountAdministers", ["kms:*"], "*", principal={"AWS": root}),
                statement("EventBridgePublishesToTopics", ["kms:Decrypt", "kms:GenerateDataKey"],
                          "*", principal={"Service": "events.amazonaws.com"},
                          condition={"StringEquals": {"aws:SourceAccount": self.account}}),
            ),
        }, notes={"why-resource-star": KEY_ADMIN_WHY})

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
            })

    def wildcards(self) -> list[Json]:
        if KEY not in self.t.resources:
            return []
        return [{"resource": KEY, "policy": "KeyPolicy", "why": KEY_ADMIN_WHY}]
