"""The quotas the release pipeline and its template must respect, and the check of a rendered
pipeline and template against them (what does not fit is E601; the release decides by it
whether one action per step still fits).

The numbers, from the AWS documentation (read 2026-11):

* CodePipeline, "Quotas in AWS CodePipeline": 2 to 50 stages in a pipeline, 1 to 50 actions
  in a stage, 500 actions in a pipeline, an action configuration value of at most 1,000
  characters (so a CodeBuild action's `EnvironmentVariables` holds a few names, never a list
  of pipelines).
* Systems Manager, "Parameter Store quotas": a standard parameter's value is at most 4 KB;
  10,000 standard parameters per account and region.
* IAM, "IAM and AWS STS quotas": a managed policy at most 6,144 characters, a role's inline
  policies together at most 10,240, 10 managed policies attached to a role (adjustable to 20;
  odmdc assumes the default) — whitespace not counted.
* CloudFormation, "Understand CloudFormation quotas": 500 resources in a template, a template
  body of at most 1 MB when read from S3 (51,200 bytes inline: deploy with `--s3-bucket`).
* CodeBuild documents no quota on a project's environment variables, and its API refuses a
  variable of more than 4,096 characters in StartBuild: an org-sized list there would rest on
  undocumented limits (one reason a batch's list lives in Parameter Store).

Account-wide quotas the central account needs room for (all adjustable, and shared with the
envers' own pipelines, so odmdc cannot check them): concurrently running CodeBuild builds (a
stage runs one build per action at once), CodeBuild projects, standard parameters.
"""

from __future__ import annotations

import json
from typing import Any

MAX_STAGES = 50
MAX_ACTIONS_PER_STAGE = 50
MAX_ACTIONS = 500
MAX_CONFIGURATION_VALUE = 1_000
PARAMETER_VALUE_SIZE = 4_096  # a standard-tier parameter
MANAGED_POLICY_SIZE = 6_144
INLINE_POLICIES_SIZE = 10_240
MANAGED_POLICIES_PER_ROLE = 10
MAX_RESOURCES = 500
MAX_BODY_S3 = 1_000_000  # "1 MB"; the decimal reading is the stricter one


def policy_size(doc: Any) -> int:
    """Characters of a policy as IAM counts them: no whitespace outside strings. The release
    template's policies name every resource by a literal ARN, so this is exact."""
    return len(json.dumps(doc, separators=(",", ":"), ensure_ascii=False))


def pipeline_problems(declaration: dict[str, Any]) -> list[str]:
    """Every quota the pipeline `declaration` (CreatePipeline input) breaks, each a phrase
    that follows "the release pipeline of org `x`"."""
    out: list[str] = []
    stages = declaration["stages"]
    actions = sum(len(s["actions"]) for s in stages)
    if len(stages) > MAX_STAGES or actions > MAX_ACTIONS:
        out.append(f"needs {len(stages)} stages and {actions} actions; CodePipeline allows "
                   f"{MAX_STAGES} stages and {MAX_ACTIONS} actions")
    for s in stages:
        if len(s["actions"]) > MAX_ACTIONS_PER_STAGE:
            out.append(f"has {len(s['actions'])} actions in stage {s['name']}; CodePipeline "
                       f"allows {MAX_ACTIONS_PER_STAGE}")
        for a in s["actions"]:
            for key, value in a.get("configuration", {}).items():
                if len(value) > MAX_CONFIGURATION_VALUE:
                    out.append(f"has a {key} of {len(value):,} characters in action "
                               f"{s['name']}/{a['name']}; CodePipeline allows "
                               f"{MAX_CONFIGURATION_VALUE:,}")
    return out


def template_problems(path: str, template: dict[str, Any], body: int) -> list[str]:
    """Every quota the CloudFormation `template` written to `path` (`body` bytes) breaks."""
    out: list[str] = []
    resources = template["Resources"]
    if len(resources) > MAX_RESOURCES:
        out.append(f"needs {len(resources)} resources in {path}; CloudFormation allows "
                   f"{MAX_RESOURCES} in a template")
    if body > MAX_BODY_S3:
        out.append(f"needs {body:,} bytes of template in {path}; CloudFormation reads at most "
                   f"{MAX_BODY_S3:,} from S3")
    attached: dict[str, int] = {}
    for lid, r in resources.items():
        props = r["Properties"]
        if r["Type"] == "AWS::IAM::Role":
            inline = sum(policy_size(p["PolicyDocument"]) for p in props.get("Policies", []))
            if inline > INLINE_POLICIES_SIZE:
                out.append(f"gives role {props['RoleName']} {inline:,} characters of inline "
                           f"policy; IAM allows {INLINE_POLICIES_SIZE:,}")
        elif r["Type"] == "AWS::IAM::ManagedPolicy":
            size = policy_size(props["PolicyDocument"])
            if size > MANAGED_POLICY_SIZE:
                out.append(f"needs {size:,} characters in managed policy {lid} of {path}; IAM "
                           f"allows {MANAGED_POLICY_SIZE:,}")
            for role in props["Roles"]:
                attached[role["Ref"]] = attached.get(role["Ref"], 0) + 1
        elif r["Type"] == "AWS::SSM::Parameter":
            size = len(props["Value"].encode("utf-8"))
            if size > PARAMETER_VALUE_SIZE:
                out.append(f"lists {size:,} bytes in parameter {props['Name']}; a standard "
                           f"parameter holds {PARAMETER_VALUE_SIZE:,}")
    for role, n in sorted(attached.items()):
        if n > MANAGED_POLICIES_PER_ROLE:
            out.append(f"attaches {n} managed policies to {role} in {path}; IAM allows "
                       f"{MANAGED_POLICIES_PER_ROLE} by default")
    return out
