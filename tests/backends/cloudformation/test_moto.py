"""A round trip through moto (docs/validators.md#moto-server): the central root and build stacks of
us-east-1 and target templates of the retail org are created as CloudFormation stacks in their own
accounts (the build stacks importing the root's exports, as deployed), and what AWS (moto) then
holds is compared with what was generated: roles with their paths and trust policies, managed
policies, ECR repositories, the artefact bucket and the parameters naming it, rules with their
patterns and targets. A product is then published at a path other envers consume, by its producer's
center role, and read back by a consumer's.

Which rules its change event triggers is left to moto's own rule engine: each rule's targets
are swapped for SQS probes carrying the same input transformers (moto delivers to neither SNS
nor API destinations), the Parameter Store change event is put on the bus, and the probes
show which rules fired — exactly the consumers that do not `ignore` the path — and what the
`repository_dispatch` bodies would have been.

moto's CloudFormation lacks five of the resource types the central stacks use (listed in
MOTO_LACKS): the stand-in removes those and puts ARNs of the right shape where they were
referenced. Everything else is created as generated.
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.backends.cloudformation.support import ORGS, Compiled, Json, compiled, resources

MOTO_LACKS = {
    "AWS::Events::Connection": "arn:aws:events:{region}:{account}:connection/{lid}/0",
    "AWS::Events::ApiDestination": "arn:aws:events:{region}:{account}:api-destination/{lid}/0",
    "AWS::Pipes::Pipe": "arn:aws:pipes:{region}:{account}:pipe/{lid}",
    "AWS::SNS::TopicPolicy": "",
    "AWS::SQS::QueuePolicy": "",
}
REGION = "us-east-1"


def stand_in(t: Json, account: str, region: str) -> Json:
    """`t` without the resource types moto lacks, references to them replaced by ARNs."""
    arns = {lid: MOTO_LACKS[r["Type"]].format(region=region, account=account, lid=lid)
            for lid, r in t["Resources"].items() if r["Type"] in MOTO_LACKS}

    def walk(v: Json) -> Json:
        if isinstance(v, dict):
            if set(v) == {"Ref"} and v["Ref"] in arns:
                return arns[v["Ref"]]
            if set(v) == {"Fn::GetAtt"} and v["Fn::GetAtt"][0] in arns:
                return arns[v["Fn::GetAtt"][0]]
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    out = walk({k: v for k, v in t.items() if k != "Resources"})
    out["Resources"] = {lid: walk(r) for lid, r in t["Resources"].items() if lid not in arns}
    return out


class Aws:
    """boto3 clients for one account of the moto server."""

    def __init__(self, url: str, creds: dict[str, str]) -> None:
        self.url, self.creds = url, creds

    def client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.url, region_name=REGION,
                            config=Config(retries={"max_attempts": 1}),
                            aws_access_key_id=self.creds["AccessKeyId"],
                            aws_secret_access_key=self.creds["SecretAccessKey"],
                            aws_session_token=self.creds["SessionToken"])

    def assume(self, role_arn: str) -> Aws:
        c = self.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="odmdc-test")
        return Aws(self.url, c["Credentials"])


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                 "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    urllib.request.urlopen(urllib.request.Request(moto_endpoint + "/moto-api/reset",
                                                  method="POST"), timeout=10).read()
    yield Aws(moto_endpoint, {"AccessKeyId": "testing", "SecretAccessKey": "testing",
                              "SessionToken": "testing"})


def account(aws: Aws, account_id: str) -> Aws:
    return aws.assume(f"arn:aws:iam::{account_id}:role/odmdc-test-admin")


def create(a: Aws, name: str, t: Json, account_id: str) -> dict[str, str]:
    """Create the stack; logical id → physical id."""
    cfn = a.client("cloudformation")
    cfn.create_stack(StackName=name, TemplateBody=json.dumps(stand_in(t, account_id, REGION)),
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    assert cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    return {r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]}


def check_roles(a: Aws, t: Json) -> None:
    iam = a.client("iam")
    for lid, r in resources(t, "AWS::IAM::Role").items():
        props = r["Properties"]
        if "RoleName" not in props:
            continue
        role = iam.get_role(RoleName=props["RoleName"])["Role"]
        assert role["Path"] == props["Path"], lid
        assert role["AssumeRolePolicyDocument"] == props["AssumeRolePolicyDocument"], lid
        attached = iam.list_attached_role_policies(RoleName=props["RoleName"])
        docs = []
        for p in attached["AttachedPolicies"]:
            meta = iam.get_policy(PolicyArn=p["PolicyArn"])["Policy"]
            docs.append(iam.get_policy_version(PolicyArn=p["PolicyArn"],
                                               VersionId=meta["DefaultVersionId"])
                        ["PolicyVersion"]["Document"])
        generated = [m["Properties"]["PolicyDocument"]
                     for m in resources(t, "AWS::IAM::ManagedPolicy").values()
                     if {"Ref": lid} in m["Properties"]["Roles"]]
        key = json.dumps  # documents are unordered between policies
        assert sorted(map(key, docs)) == sorted(map(key, generated)), lid


def probe(a: Aws, rules: dict[str, str]) -> dict[str, str]:
    """Replace every rule's targets by SQS probes with the same input transformers; rule
    logical id → probe queue URL."""
    events, sqs = a.client("events"), a.client("sqs")
    queues = {}
    for i, (lid, name) in enumerate(sorted(rules.items())):
        url = sqs.create_queue(QueueName=f"probe-{i}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        targets = events.list_targets_by_rule(Rule=name)["Targets"]
        events.remove_targets(Rule=name, Ids=[t["Id"] for t in targets])
        events.put_targets(Rule=name, Targets=[
            {"Id": t["Id"], "Arn": arn,
             **({"InputTransformer": t["InputTransformer"]} if "InputTransformer" in t else {})}
            for t in targets])
        queues[lid] = url
    return queues


def received(a: Aws, url: str) -> list[Json]:
    sqs, out = a.client("sqs"), []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        out += [json.loads(m["Body"]) for m in batch]
        for m in batch:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return out


def test_round_trip(aws: Aws) -> None:
    c: Compiled = compiled(ORGS / "retail")
    ir = c.ir
    central_id = ir.org.central_account_id
    central = account(aws, central_id)
    central.client("secretsmanager").create_secret(
        Name="odmd/github-token", SecretString="not-a-real-token")

    # the targets first (the build roles the center roles trust), then the central stacks
    for build in ("orders", "shop-img"):
        e = ir.enver(f"{build}.main")
        target = account(aws, e.account_id)
        t = c.target(e)
        in_target = create(target, f"odmd-{build}", t, e.account_id)
        check_roles(target, t)
        repos = target.client("ecr").describe_repositories()["repositories"]
        assert sorted(r["repositoryName"] for r in repos) == sorted(
            r["Properties"]["RepositoryName"]
            for r in resources(t, "AWS::ECR::Repository").values())
        assert in_target["BuildRole"] == e.names.build_role_name
        # the artefact bucket, named at both artefact parameters of the account (moto's
        # CloudFormation ignores a bucket's VersioningConfiguration: test_least_privilege
        # reads it from the template)
        bucket = e.names.artifact_bucket
        s3 = target.client("s3")
        s3.head_bucket(Bucket=bucket)
        ssm = target.client("ssm")
        for name in (e.names.artifact_bucket_parameter,
                     e.names.artifact_bucket_parameter_for_account):
            assert ssm.get_parameter(Name=name)["Parameter"]["Value"] == bucket
        # the build role puts an artefact there (and could not elsewhere: moto does not
        # evaluate IAM policies, so only the object lands here)
        builder = target.assume(e.names.build_role_arn)
        builder.client("s3").put_object(Bucket=bucket, Key="odmd-share/x/a.json", Body=b"{}")
        assert s3.get_object(Bucket=bucket, Key="odmd-share/x/a.json")["Body"].read() == b"{}"

    # the region's root (its exports), then every build stack, which imports them
    create(central, "odmd-central", c.central(REGION), central_id)
    made: dict[str, str] = {}
    rules: dict[str, Json] = {}
    events = central.client("events")
    for build, t in sorted(c.central_builds(REGION).items()):
        made_here = create(central, f"odmd-central-{build}", t, central_id)
        made |= made_here
        check_roles(central, t)
        for lid, rule in resources(t, "AWS::Events::Rule").items():
            rules[lid] = rule
            got = events.describe_rule(Name=made_here[lid])
            assert got["State"] == "ENABLED"
            assert json.loads(got["EventPattern"]) == rule["Properties"]["EventPattern"]
            targets = events.list_targets_by_rule(Rule=made_here[lid])["Targets"]
            generated = {x["Id"]: x for x in rule["Properties"]["Targets"]}
            assert sorted(x["Id"] for x in targets) == sorted(generated)
            for x in targets:  # the dead-letter queue of its own stack
                dlq = generated[x["Id"]]["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
                assert x["DeadLetterConfig"]["Arn"].endswith(
                    ":" + made_here[dlq].rsplit("/", 1)[-1])
        topics = {made_here[lid] for lid in resources(t, "AWS::SNS::Topic")}
        assert topics <= {x["TopicArn"] for x in central.client("sns").list_topics()["Topics"]}
    assert rules

    # publish net.main's vpc-cidr as its producer's center role would, and read it back as a
    # consumer's center role
    path = "/odmd-share/net/b..main/vpc-cidr"
    producer = central.assume(ir.enver("net.main").names.center_role_arn)
    version = producer.client("ssm").put_parameter(
        Name=path, Value="10.20.0.0/16", Type="String")["Version"]
    consumer = central.assume(ir.enver("orders.main").names.center_role_arn)
    assert consumer.client("ssm").get_parameter(Name=path)["Parameter"]["Value"] == (
        "10.20.0.0/16")

    # which rules does the change event trigger? exactly the consumers not ignoring it
    probes = probe(central, {lid: made[lid] for lid in rules})
    assert version == 1
    events.put_events(Entries=[{
        "Source": "aws.ssm", "DetailType": "Parameter Store Change",
        "Resources": [f"arn:aws:ssm:{REGION}:{central_id}:parameter{path}"],
        "Detail": json.dumps({"name": path, "type": "String", "operation": "Create"}),
    }])
    fired = {lid: received(central, url) for lid, url in probes.items()}
    triggered = {f"{rules[lid]['Metadata']['odmdc']['enver']}:"
                 f"{rules[lid]['Metadata']['odmdc']['reaction']}"
                 for lid, messages in fired.items() if messages}
    expected = {f"{edge.consumer}:{edge.reaction.kind}" for edge in ir.edges()
                if edge.product_path == path and edge.reaction.kind != "ignore"}
    assert triggered == expected
    assert expected >= {"orders.main:redeploy", "orders.qa:redeploy", "orders.loyalty:redeploy"}
    for lid, messages in fired.items():
        if rules[lid]["Metadata"]["odmdc"]["reaction"] == "redeploy" and messages:
            e = ir.enver(rules[lid]["Metadata"]["odmdc"]["enver"])
            assert messages == [{"event_type": "odmd-redeploy", "client_payload": {
                "enver": e.id, "ref": f"refs/heads/{e.revision.value}",
                "workflow": e.names.workflow_file, "reaction": "redeploy", "path": path,
                "operation": "Create"}}]
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"  # never a real account
