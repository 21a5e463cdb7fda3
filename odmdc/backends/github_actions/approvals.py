"""`approve(role…)` with `ci = github_actions`: the change is held in AWS, where IAM can tell
the approvers apart (`ci.py` tells the whole flow). Per consumer enver and role set: an
approval request topic, an approval queue only those roles can send to, and a pipe that turns
each approval into a `repository_dispatch`."""

from __future__ import annotations

import json

from odmdc.backends.aws.cfn import SSE_SQS, get_att, logical_id, ref, sub
from odmdc.backends.aws.iam import document, principals, statement
from odmdc.backends.ci import ReactionGroup, ReactionSite
from odmdc.backends.github_actions.dispatch import APPROVED_EVENT_TYPE, Destinations, payload

PIPES_ROLE = "PipesRole"


class Approvals:
    """The approvals of one central build stack."""

    def __init__(self, site: ReactionSite, destinations: Destinations) -> None:
        self.site, self.dispatch = site, destinations
        self.queues: list[str] = []
        self.destinations: set[str] = set()

    def add(self, g: ReactionGroup) -> None:
        r = self.site
        t, e, roles = r.template, g.enver, g.extra
        key = (e.id, *roles)
        blame = g.consumers[0].location
        request = r.topic(logical_id("ApprovalRequests", *key, label=e.id),
                          f"odmd: approve changed inputs of {e.id}", blame, subscribers=roles)
        queue = logical_id("ApprovalQueue", *key, label=e.id)
        t.add(queue, "AWS::SQS::Queue", {
            "SqsManagedSseEnabled": True,
            "MessageRetentionPeriod": 86400,
            "RedrivePolicy": {"deadLetterTargetArn": get_att(r.dead_letters),
                              "maxReceiveCount": 5},
        }, skips=(SSE_SQS,), notes={"enver": e.id, "approvers": list(roles)}, blame=blame)
        # the Deny holds whatever the senders' own IAM policies say, administrators included
        t.add(queue + "Policy", "AWS::SQS::QueuePolicy", {
            "Queues": [ref(queue)],
            "PolicyDocument": document(
                statement("ApproversSend", ["sqs:SendMessage"], get_att(queue),
                          principal=principals(r.partition, roles),
                          condition={"ArnEquals": {"aws:PrincipalArn": list(roles)}}),
                statement("NobodyElseSends", ["sqs:SendMessage"], get_att(queue),
                          effect="Deny", principal="*",
                          condition={"ArnNotEquals": {"aws:PrincipalArn": list(roles)}}),
            ),
        }, blame=blame)
        self.queues.append(queue)
        dest = self.dispatch.of(r.ir.builds[e.build].repo)
        self.destinations.add(dest)
        body = payload(e, APPROVED_EVENT_TYPE, "approve", {
            "approval": "<$.messageId>", "approver": "<$.attributes.SenderId>"})
        t.add(logical_id("ApprovalPipe", *key, label=e.id), "AWS::Pipes::Pipe", {
            "Description": f"odmd: an approval of {e.id} becomes a repository_dispatch"[:512],
            "DesiredState": "RUNNING",
            "RoleArn": get_att(PIPES_ROLE),
            "Source": get_att(queue),
            "SourceParameters": {"SqsQueueParameters": {"BatchSize": 1}},
            "Target": get_att(dest),
            "TargetParameters": {"InputTemplate": json.dumps(body, sort_keys=True)},
        }, blame=blame)
        how = (f"aws sqs send-message --region {r.region} --queue-url ${{{queue}}} "
               "--message-body approve")
        message = r.message(e, "approve", {"approvers": list(roles), "approve": how})
        message["InputTemplate"] = sub(message["InputTemplate"])  # the queue's URL
        r.rules(g, "OnApprove", r.changes, [
            {"Id": "request", "Arn": ref(request), "InputTransformer": message}], topic=request)
        t.output(queue + "Url", ref(queue),
                 f"approvers of {e.id} send a message here to release a change")

    def finish(self) -> None:
        if not self.queues:
            return
        r = self.site
        r.template.add(PIPES_ROLE, "AWS::IAM::Role", {
            "Description": "EventBridge pipes of odmd turn approvals into repository_dispatch",
            "AssumeRolePolicyDocument": document(statement(
                "Pipes", ["sts:AssumeRole"], None,
                principal={"Service": "pipes.amazonaws.com"},
                condition={"StringEquals": {"aws:SourceAccount": r.account}})),
            "Policies": [{"PolicyName": "relay-approvals", "PolicyDocument": document(
                statement("ReadApprovals", ["sqs:DeleteMessage", "sqs:GetQueueAttributes",
                                            "sqs:ReceiveMessage"],
                          [get_att(q) for q in sorted(self.queues)]),
                statement("InvokeDispatchDestinations", ["events:InvokeApiDestination"],
                          [get_att(d) for d in sorted(self.destinations)]),
            )}],
        }, blame=r.build.location)
