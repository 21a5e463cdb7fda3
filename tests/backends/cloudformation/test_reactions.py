"""Reactions (docs/semantics.md#reactions) as the central build stacks wire them, checked against
`ir.edges()`.

For every edge whose reaction is not `ignore` exactly one rule of the consumer's region
matches the product's path for the consumer enver with that reaction, and its targets are the
reaction's: a repository_dispatch to the consumer's repository (github_actions) or its
pipeline (codepipeline) for `redeploy`; SNS topics for `notify`; for `approve` the pipeline
(codepipeline) or an approval request topic, an approval queue only the approvers may send to
and a pipe to the repository (github_actions). `ignore` edges have no rule. The roles that
deliver may invoke exactly the destinations and pipelines in use.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from odmdc.backends.codepipeline.names import pipeline_of
from odmdc.backends.github_actions.dispatch import APPROVED_EVENT_TYPE, REDEPLOY_EVENT_TYPE
from odmdc.compiler.ir import Enver
from tests.backends.cloudformation.support import (
    Compiled,
    Json,
    as_list,
    compiled,
    org_dirs,
    org_id,
    resources,
)


def git_ref(e: Enver) -> str:
    return ("refs/heads/" if e.revision.kind == "branch" else "refs/tags/") + e.revision.value


def lid_of(v: Json) -> str:
    """The logical id a Ref / GetAtt points at."""
    if "Ref" in v:
        return str(v["Ref"])
    return str(v["Fn::GetAtt"][0])


def payload(template: Json) -> Json:
    text = template["Fn::Sub"] if isinstance(template, dict) else template
    return json.loads(text)


@pytest.mark.parametrize("org", org_dirs(), ids=org_id)
def test_each_edge_reaches_its_reaction(org: Path) -> None:
    c = compiled(org)
    ir = c.ir
    # two consumers of one enver reading one path with one reaction share its rule
    expected = Counter({
        (edge.consumer, edge.product_path, edge.reaction.kind,
         tuple(sorted(set(edge.reaction.roles))))
        for edge in ir.edges() if edge.reaction.kind != "ignore"})
    found: Counter[tuple[str, str, str, tuple[str, ...]]] = Counter()
    for region, build, t in build_stacks(c):
        for lid, rule in resources(t, "AWS::Events::Rule").items():
            meta = rule["Metadata"]["odmdc"]
            e = ir.enver(meta["enver"])
            assert e.region == region
            assert e.build == build  # each build stack holds its own envers' reactions
            pattern = rule["Properties"]["EventPattern"]
            assert pattern["source"] == ["aws.ssm"]
            assert pattern["detail-type"] == ["Parameter Store Change"]
            extra = tuple(meta.get("roles", meta.get("topics", [])))
            for path in pattern["detail"]["name"]:
                found[(e.id, path, meta["reaction"], extra)] += 1
            check_targets(c.ir.org.ci, t, lid, rule, e, meta["reaction"], extra,
                          ir.builds[e.build].repo)
    assert found == expected


def build_stacks(c: Compiled) -> list[tuple[str, str, Json]]:
    """(region, build, template) of every central build stack."""
    return [(region, build, t) for region in sorted({e.region for e in c.ir.envers()})
            for build, t in sorted(c.central_builds(region).items())]


def check_targets(ci: str, t: Json, lid: str, rule: Json, e: Enver, reaction: str,
                  extra: tuple[str, ...], repo: str) -> None:
    targets = rule["Properties"]["Targets"]
    res = t["Resources"]
    for target in targets:
        # a dead-letter queue of the same stack, whose policy lets this rule send
        dlq = lid_of(target["DeadLetterConfig"]["Arn"])
        assert res[dlq]["Type"] == "AWS::SQS::Queue"
        [stmt] = res[dlq + "Policy"]["Properties"]["PolicyDocument"]["Statement"]
        assert {"Fn::GetAtt": [lid, "Arn"]} in stmt["Condition"]["ArnEquals"]["aws:SourceArn"]
    central = t["Metadata"]["odmdc"]["account"]
    if reaction == "notify":
        own = [x for x in targets if "Ref" in x["Arn"]]
        assert len(own) == 1 and res[lid_of(own[0]["Arn"])]["Type"] == "AWS::SNS::Topic"
        assert sorted(x["Arn"] for x in targets if x not in own) == list(extra)
        return
    [target] = targets
    if ci == "codepipeline":
        assert target["Arn"] == (f"arn:{e.partition}:codepipeline:{e.region}:{central}:"
                                 f"{pipeline_of(e)}")
        assert target["RoleArn"] == {"Fn::GetAtt": ["EventsRole", "Arn"]}
        return
    if reaction == "redeploy":
        dest = res[lid_of(target["Arn"])]
        assert dest["Type"] == "AWS::Events::ApiDestination"
        assert dest["Properties"]["InvocationEndpoint"] == (
            f"https://api.github.com/repos/{repo}/dispatches")
        body = payload(target["InputTransformer"]["InputTemplate"])
        assert body == {"event_type": REDEPLOY_EVENT_TYPE, "client_payload": {
            "enver": e.id, "ref": git_ref(e), "workflow": e.names.workflow_file,
            "reaction": "redeploy", "path": "<path>", "operation": "<operation>"}}
        assert target["InputTransformer"]["InputPathsMap"]["path"] == "$.detail.name"
        return
    # approve on GitHub Actions: request topic → approvers; their message → pipe → dispatch
    topic = lid_of(target["Arn"])
    assert res[topic]["Type"] == "AWS::SNS::Topic"
    message = payload(target["InputTransformer"]["InputTemplate"])
    assert message["approvers"] == list(extra)
    [pipe] = [p for p in resources(t, "AWS::Pipes::Pipe").values()
              if f'"enver": "{e.id}"' in p["Properties"]["TargetParameters"]["InputTemplate"]
              and lid_of(p["Properties"]["Source"]) + "Policy" in res
              and extra == tuple(approvers(res[lid_of(p["Properties"]["Source"]) + "Policy"]))]
    queue = lid_of(pipe["Properties"]["Source"])
    assert f"${{{queue}}}" in message["approve"]  # the request says where to approve
    dest = res[lid_of(pipe["Properties"]["Target"])]
    assert dest["Properties"]["InvocationEndpoint"].endswith(f"/repos/{repo}/dispatches")
    body = payload(pipe["Properties"]["TargetParameters"]["InputTemplate"])
    assert body["event_type"] == APPROVED_EVENT_TYPE
    assert body["client_payload"]["enver"] == e.id
    assert body["client_payload"]["ref"] == git_ref(e)


def approvers(queue_policy: Json) -> list[str]:
    stmts = {s["Sid"]: s for s in queue_policy["Properties"]["PolicyDocument"]["Statement"]}
    allow, deny = stmts["ApproversSend"], stmts["NobodyElseSends"]
    roles = allow["Condition"]["ArnEquals"]["aws:PrincipalArn"]
    # the Deny covers everyone else, whatever their own IAM policies say
    assert deny["Effect"] == "Deny" and deny["Principal"] == "*"
    assert deny["Condition"] == {"ArnNotEquals": {"aws:PrincipalArn": roles}}
    assert allow["Action"] == deny["Action"] == "sqs:SendMessage"
    assert as_list(allow["Principal"]["AWS"]) == sorted(
        {f"arn:aws:iam::{r.split(':')[4]}:root" for r in roles})
    return list(roles)


@pytest.mark.parametrize("org", org_dirs(), ids=org_id)
def test_delivery_roles_reach_exactly_what_is_used(org: Path) -> None:
    c = compiled(org)
    for region, _, t in build_stacks(c):
        res = t["Resources"]
        rules = resources(t, "AWS::Events::Rule")
        pipes = resources(t, "AWS::Pipes::Pipe")
        rule_arns = [x["Arn"] for r in rules.values() for x in r["Properties"]["Targets"]]
        by_rules = {lid_of(a) for a in rule_arns if isinstance(a, dict)
                    and res[lid_of(a)]["Type"] == "AWS::Events::ApiDestination"}
        pipelines = {a for a in rule_arns if isinstance(a, str) and ":codepipeline:" in a}
        if by_rules or pipelines:
            [policy] = res["EventsRole"]["Properties"]["Policies"]
            granted = {s["Sid"]: s for s in policy["PolicyDocument"]["Statement"]}
            if by_rules:
                assert {lid_of(r) for r in as_list(
                    granted["InvokeDispatchDestinations"]["Resource"])} == by_rules
            if pipelines:
                assert set(as_list(granted["StartConsumerPipelines"]["Resource"])) == pipelines
        else:
            assert "EventsRole" not in res
        if pipes:
            [policy] = res["PipesRole"]["Properties"]["Policies"]
            granted = {s["Sid"]: s for s in policy["PolicyDocument"]["Statement"]}
            assert {lid_of(r) for r in as_list(granted["InvokeDispatchDestinations"]["Resource"])
                    } == {lid_of(p["Properties"]["Target"]) for p in pipes.values()}
            assert {lid_of(r) for r in as_list(granted["ReadApprovals"]["Resource"])} == {
                lid_of(p["Properties"]["Source"]) for p in pipes.values()}
        senders: Counter[str] = Counter()  # each rule may send to exactly one dead-letter queue
        for policy in resources(t, "AWS::SQS::QueuePolicy").values():
            for stmt in policy["Properties"]["PolicyDocument"]["Statement"]:
                if stmt["Sid"] == "RulesDeadLetter":
                    senders.update(lid_of(a)
                                   for a in stmt["Condition"]["ArnEquals"]["aws:SourceArn"])
        assert senders == Counter(set(rules))
        # what the region's root shares, imported by name
        for dest in resources(t, "AWS::Events::ApiDestination").values():
            export = dest["Properties"]["ConnectionArn"]["Fn::ImportValue"]
            root = c.central(region)
            assert root["Outputs"]["GitHubConnectionArn"]["Export"]["Name"] == export
            assert root["Outputs"]["GitHubConnectionArn"]["Value"] == {
                "Fn::GetAtt": ["GitHubConnection", "Arn"]}
        for topic in resources(t, "AWS::SNS::Topic").values():
            export = topic["Properties"]["KmsMasterKeyId"]["Fn::ImportValue"]
            assert c.central(region)["Outputs"]["EventsKeyArn"]["Export"]["Name"] == export
        for lid, policy in resources(t, "AWS::SNS::TopicPolicy").items():
            topic = lid.removesuffix("Policy")
            stmts = {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}
            publishers = {lid_of(a) for a in
                          stmts["OnlyEventBridgePublishes"]["Condition"]["ArnEquals"][
                              "aws:SourceArn"]}
            assert publishers == {r for r, rule in rules.items()
                                  if any(x["Arn"] == {"Ref": topic}
                                         for x in rule["Properties"]["Targets"])}
            assert stmts["NobodyElsePublishes"]["Effect"] == "Deny"


@pytest.mark.parametrize("org", org_dirs(), ids=org_id)
def test_secrets_only_as_references(org: Path) -> None:
    c = compiled(org)
    for path, data in c.files.items():
        text = data.decode()
        for conn in resources(c.templates[path], "AWS::Events::Connection").values():
            value = conn["Properties"]["AuthParameters"]["ApiKeyAuthParameters"]["ApiKeyValue"]
            assert value == "Bearer {{resolve:secretsmanager:odmd/github-token:SecretString}}"
        assert text.count("{{resolve:") == len(resources(c.templates[path],
                                                          "AWS::Events::Connection"))
