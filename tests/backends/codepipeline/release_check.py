"""Reading a generated release back, independently of the backend, for the tests: which steps
each action runs (from its environment, or from the batch parameter it names), what each
runner's role may touch, and every AWS quota the files break.

The quotas are written out here again, from the AWS documentation, rather than imported from
the backend: a test that shared the backend's numbers would agree with any mistake in them.
CodePipeline's stage and action counts are `validate.semantic_errors`; the 1,000 characters
of an action configuration value are botocore's `ActionConfigurationValue` (`shape_errors`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from tests.backends.codepipeline.validate import semantic_errors, shape_errors

TEMPLATE_BODY = 1_000_000  # CloudFormation, from S3
RESOURCES = 500
INLINE_POLICIES = 10_240  # IAM, all inline policies of a role together
MANAGED_POLICY = 6_144
MANAGED_PER_ROLE = 10
PARAMETER_VALUE = 4_096  # Parameter Store, standard tier

_STAGE = re.compile(r"Phase(\d+)(?:-(\d+))?")


@dataclass
class Action:
    stage: str
    name: str
    project: str
    steps: list[str]  # `<deploy|update> <pipeline> <region>`
    parameter: str | None


@dataclass
class Runner:
    project: str
    pipelines: set[str] = field(default_factory=set)  # ARNs it may start and watch
    parameters: set[str] = field(default_factory=set)  # ARNs it may read


def templates(files: dict[str, bytes]) -> dict[str, Any]:
    return {p: json.loads(b) for p, b in files.items()
            if p.startswith("release.") and p.endswith(".template.json")}


def actions(files: dict[str, bytes]) -> list[Action]:
    """Every action after the source, in pipeline order, with the steps it runs."""
    pipeline = json.loads(files["release.pipeline.json"])
    values = {r["Properties"]["Name"]: r["Properties"]["Value"]
              for t in templates(files).values() for r in t["Resources"].values()
              if r["Type"] == "AWS::SSM::Parameter"}
    out = []
    for stage in pipeline["stages"][1:]:
        for a in stage["actions"]:
            env = {v["name"]: v["value"]
                   for v in json.loads(a["configuration"]["EnvironmentVariables"])}
            if "ODMD_BATCH" in env:
                assert set(env) == {"ODMD_BATCH"}
                steps = values[env["ODMD_BATCH"]].split("\n")
            else:
                assert set(env) == {"ODMD_PIPELINE", "ODMD_PIPELINE_REGION", "ODMD_STEP"}
                steps = [f"{env['ODMD_STEP'].split()[0]} {env['ODMD_PIPELINE']} "
                         f"{env['ODMD_PIPELINE_REGION']}"]
            out.append(Action(stage["name"], a["name"], a["configuration"]["ProjectName"],
                              steps, env.get("ODMD_BATCH")))
    return out


def phase_of(stage: str) -> int:
    m = _STAGE.fullmatch(stage)
    assert m, stage
    return int(m[1])


def runners(files: dict[str, bytes]) -> dict[str, Runner]:
    """Per CodeBuild project of the release templates, what its service role's policies
    (inline and attached managed ones) allow it to start and read."""
    out: dict[str, Runner] = {}
    for t in templates(files).values():
        res = t["Resources"]
        for r in res.values():
            if r["Type"] != "AWS::CodeBuild::Project":
                continue
            role = r["Properties"]["ServiceRole"]["Fn::GetAtt"][0]
            docs = [p["PolicyDocument"] for p in res[role]["Properties"].get("Policies", [])]
            docs += [m["Properties"]["PolicyDocument"] for m in res.values()
                     if m["Type"] == "AWS::IAM::ManagedPolicy"
                     and {"Ref": role} in m["Properties"]["Roles"]]
            runner = out.setdefault(r["Properties"]["Name"], Runner(r["Properties"]["Name"]))
            for doc in docs:
                for s in doc["Statement"]:
                    acts = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
                    arns = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
                    if "codepipeline:StartPipelineExecution" in acts:
                        runner.pipelines.update(arns)
                    if "ssm:GetParameter" in acts:
                        runner.parameters.update(arns)
    return out


def _compact(doc: Any) -> int:
    return len(json.dumps(doc, separators=(",", ":")))


def quota_breaches(files: dict[str, bytes]) -> list[str]:
    pipeline = json.loads(files["release.pipeline.json"])
    out = shape_errors(pipeline) + semantic_errors(pipeline)
    for path, t in templates(files).items():
        if len(files[path]) > TEMPLATE_BODY:
            out.append(f"{path}: {len(files[path])} bytes")
        res = t["Resources"]
        if len(res) > RESOURCES:
            out.append(f"{path}: {len(res)} resources")
        for lid, r in res.items():
            props = r["Properties"]
            if r["Type"] == "AWS::IAM::Role":
                size = sum(_compact(p["PolicyDocument"]) for p in props.get("Policies", []))
                if size > INLINE_POLICIES:
                    out.append(f"{path}: {lid} has {size} characters of inline policy")
                attached = [m for m in res.values() if m["Type"] == "AWS::IAM::ManagedPolicy"
                            and {"Ref": lid} in m["Properties"]["Roles"]]
                if len(attached) > MANAGED_PER_ROLE:
                    out.append(f"{path}: {lid} has {len(attached)} managed policies")
            elif r["Type"] == "AWS::IAM::ManagedPolicy":
                size = _compact(props["PolicyDocument"])
                if size > MANAGED_POLICY:
                    out.append(f"{path}: {lid} is {size} characters")
            elif r["Type"] == "AWS::SSM::Parameter":
                size = len(props["Value"].encode())
                if size > PARAMETER_VALUE:
                    out.append(f"{path}: {lid} holds {size} bytes")
    return out
