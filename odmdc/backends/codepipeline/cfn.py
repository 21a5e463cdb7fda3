"""Small CloudFormation and IAM building blocks: intrinsic functions, policy documents, ARNs,
a template that keeps its resources in insertion order, and the pipeline declaration in
CloudFormation's casing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Json = Any  # JSON-shaped data: dicts, lists, strings, numbers, bools

def ref(logical_id: str) -> dict[str, str]:
    return {"Ref": logical_id}


def get_att(logical_id: str, attribute: str = "Arn") -> dict[str, list[str]]:
    return {"Fn::GetAtt": [logical_id, attribute]}


def statement(sid: str, actions: list[str], resources: list[str] | Json, *,
              principal: Json = None, condition: Json = None, effect: str = "Allow"
              ) -> dict[str, Json]:
    """One IAM statement; lists of actions and resources sorted and de-duplicated."""
    out: dict[str, Json] = {"Sid": sid, "Effect": effect}
    if principal is not None:
        out["Principal"] = principal
    acts = sorted(set(actions))
    out["Action"] = acts[0] if len(acts) == 1 else acts
    if resources is not None:
        if isinstance(resources, list):  # ARNs; anything else is one ARN or an intrinsic
            rs = sorted(set(resources))
            out["Resource"] = rs[0] if len(rs) == 1 else rs
        else:
            out["Resource"] = resources
    if condition is not None:
        out["Condition"] = condition
    return out


def document(*statements: dict[str, Json]) -> dict[str, Json]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def account_root(partition: str, account: str) -> str:
    return f"arn:{partition}:iam::{account}:root"


def pipeline_arn(partition: str, region: str, account: str, pipeline: str) -> str:
    return f"arn:{partition}:codepipeline:{region}:{account}:{pipeline}"


def project_arn(partition: str, region: str, account: str, project: str) -> str:
    return f"arn:{partition}:codebuild:{region}:{account}:project/{project}"


def log_group_arn(partition: str, region: str, account: str, group: str) -> str:
    return f"arn:{partition}:logs:{region}:{account}:log-group:{group}:*"


def bucket_arn(partition: str, bucket: str) -> str:
    return f"arn:{partition}:s3:::{bucket}"


def topic_arn(partition: str, region: str, account: str, topic: str) -> str:
    return f"arn:{partition}:sns:{region}:{account}:{topic}"


def secret_arn(partition: str, region: str, account: str, name: str) -> str:
    """Secrets Manager appends `-` and six random characters to a secret's name in its ARN."""
    return f"arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-??????"


def parameter_arn(partition: str, region: str, account: str, name: str) -> str:
    """A Parameter Store parameter; its name starts with `/`, so the ARN reads `parameter/…`."""
    return f"arn:{partition}:ssm:{region}:{account}:parameter{name}"


def connection_action(connection_arn: str) -> str:
    """`codestar-connections:UseConnection` or `codeconnections:UseConnection`: the action's
    prefix is the service the connection's ARN names."""
    return f"{connection_arn.split(':')[2]}:UseConnection"


def placement_rules(account: str, region: str) -> dict[str, Json]:
    """A template rule that refuses a stack in any other account or region: every name and
    ARN inside is computed for exactly this one."""
    return {"OdmdPlacement": {"Assertions": [
        {"Assert": {"Fn::Equals": [ref("AWS::AccountId"), account]},
         "AssertDescription": f"deploy this template in account {account}"},
        {"Assert": {"Fn::Equals": [ref("AWS::Region"), region]},
         "AssertDescription": f"deploy this template in {region}"},
    ]}}


@dataclass
class Template:
    description: str
    rules: dict[str, Json] = field(default_factory=dict)
    resources: dict[str, dict[str, Json]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Json]] = field(default_factory=dict)
    metadata: dict[str, Json] = field(default_factory=dict)

    def add(self, logical_id: str, kind: str, properties: dict[str, Json], *,
            depends_on: list[str] | None = None, retain: bool = False) -> str:
        if logical_id in self.resources:
            raise ValueError(f"resource {logical_id} added twice")
        r: dict[str, Json] = {"Type": kind, "Properties": properties}
        if depends_on:
            r["DependsOn"] = sorted(depends_on)
        if retain:
            r["DeletionPolicy"] = "Retain"
            r["UpdateReplacePolicy"] = "Retain"
        self.resources[logical_id] = r
        return logical_id

    def output(self, name: str, value: Json, description: str) -> None:
        self.outputs[name] = {"Description": description[:1024], "Value": value}

    def render(self) -> dict[str, Json]:
        out: dict[str, Json] = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": self.description[:1024],
        }
        if self.metadata:
            out["Metadata"] = self.metadata
        if self.rules:
            out["Rules"] = self.rules
        out["Resources"] = self.resources
        if self.outputs:
            out["Outputs"] = self.outputs
        return out


def to_cloudformation(api: Json, refs: dict[str, Json], *, inside_map: bool = False) -> Json:
    """A `CreatePipeline` declaration in `AWS::CodePipeline::Pipeline`'s casing: every key with
    its first letter upper-cased, except the keys of an action's `configuration` map (which
    CloudFormation passes through). String values found in `refs` become those intrinsics, so
    that the template references the resources it creates."""
    if isinstance(api, dict):
        return {
            (k if inside_map else k[:1].upper() + k[1:]):
                to_cloudformation(v, refs, inside_map=(k == "configuration"))
            for k, v in api.items()
        }
    if isinstance(api, list):
        return [to_cloudformation(v, refs) for v in api]
    if isinstance(api, str) and api in refs:
        return refs[api]
    return api
