"""The check of a rendered release pipeline and its template against AWS's quotas
(`odmdc.backends.aws.quotas` has the numbers and their sources): what does not fit is E601,
and the release decides by it whether one action per step still fits.

CodeBuild documents no quota on a project's environment variables, and its API refuses a
variable of more than 4,096 characters in StartBuild: an org-sized list there would rest on
undocumented limits (one reason a batch's list lives in Parameter Store). Account-wide quotas
the central account needs room for (all adjustable, and shared with the envers' own
pipelines, so odmdc cannot check them): concurrently running CodeBuild builds (a stage runs one
build per action at once), CodeBuild projects, standard parameters.
"""

from __future__ import annotations

from typing import Any

from odmdc.backends.aws.quotas import (
    INLINE_POLICIES_SIZE,
    MANAGED_POLICIES_PER_ROLE,
    MANAGED_POLICY_SIZE,
    MAX_ACTIONS,
    MAX_ACTIONS_PER_STAGE,
    MAX_BODY_S3,
    MAX_CONFIGURATION_VALUE,
    MAX_RESOURCES,
    MAX_STAGES,
    PARAMETER_VALUE_SIZE,
    policy_size,
)


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
