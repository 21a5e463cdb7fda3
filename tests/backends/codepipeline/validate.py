"""Validators for pipeline declarations, used by the tests.

* `shape_errors`: `CreatePipeline`'s input shape, by botocore's own validator plus the walker
  for enums, maxima and patterns (`tests.validators.botocore_shapes`,
  docs/validators.md#botocore-shape-validation).
* `semantic_errors`: what neither botocore nor cfn-lint checks (TOOLING Pitfall 3): action
  category/owner/provider/version combinations, each provider's configuration keys, artifact
  wiring (every input produced earlier, each output named once, artifact counts per
  provider), source actions in the first stage only, triggers naming a connection source,
  and CodePipeline's quotas.
"""

from __future__ import annotations

import re
from typing import Any

from tests.validators.botocore_shapes import validate

CONNECTION_ARN = re.compile(
    r"arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection/"
    r"[A-Za-z0-9-]+")
TOPIC_ARN = re.compile(r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}")
PROJECT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{1,149}")
REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")

#: (category, owner, provider) → version, configuration keys (required, optional), counts of
#: input and output artifacts (min, max) — from the CodePipeline action structure reference
ACTIONS: dict[tuple[str, str, str], dict[str, Any]] = {
    ("Source", "AWS", "CodeStarSourceConnection"): {
        "version": "1",
        "required": {"ConnectionArn", "FullRepositoryId", "BranchName"},
        "optional": {"OutputArtifactFormat", "DetectChanges"},
        "inputs": (0, 0), "outputs": (1, 1),
    },
    ("Build", "AWS", "CodeBuild"): {
        "version": "1",
        "required": {"ProjectName"},
        "optional": {"PrimarySource", "BatchEnabled", "CombineArtifacts",
                     "EnvironmentVariables"},
        "inputs": (1, 5), "outputs": (0, 5),
    },
    ("Approval", "AWS", "Manual"): {
        "version": "1",
        "required": set(),
        "optional": {"NotificationArn", "CustomData", "ExternalEntityLink"},
        "inputs": (0, 0), "outputs": (0, 0),
    },
}
MAX_STAGES = 50
MAX_ACTIONS_PER_STAGE = 50
MAX_ACTIONS = 500


def shape_errors(pipeline: dict[str, Any]) -> list[str]:
    return validate("codepipeline", "CreatePipeline", {"pipeline": pipeline})


def semantic_errors(pipeline: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    stages = pipeline.get("stages", [])
    if not 2 <= len(stages) <= MAX_STAGES:
        errors.append(f"{len(stages)} stages; a pipeline has 2 to {MAX_STAGES}")
    names = [s["name"] for s in stages]
    if len(set(names)) != len(names):
        errors.append(f"duplicate stage names in {names}")
    produced: dict[str, str] = {}  # artifact → provider that made it
    sources: set[str] = set()
    total = 0
    for si, stage in enumerate(stages):
        actions = stage.get("actions", [])
        total += len(actions)
        if not 1 <= len(actions) <= MAX_ACTIONS_PER_STAGE:
            errors.append(f"stage {stage['name']}: {len(actions)} actions")
        action_names = [a["name"] for a in actions]
        if len(set(action_names)) != len(action_names):
            errors.append(f"stage {stage['name']}: duplicate action names")
        made_here: dict[str, str] = {}
        for order in sorted({a.get("runOrder", 1) for a in actions}):
            for a in (a for a in actions if a.get("runOrder", 1) == order):
                errors.extend(_action_errors(stage["name"], si, a, produced, made_here))
                if a["actionTypeId"]["category"] == "Source":
                    sources.add(a["name"])
            produced.update(made_here)
    if total > MAX_ACTIONS:
        errors.append(f"{total} actions; at most {MAX_ACTIONS}")
    for t in pipeline.get("triggers", []):
        if pipeline.get("pipelineType") != "V2":
            errors.append("triggers need pipelineType V2")
        src = t["gitConfiguration"]["sourceActionName"]
        first = [a for a in stages[0]["actions"] if a["name"] == src] if stages else []
        if not first or first[0]["actionTypeId"]["provider"] != "CodeStarSourceConnection":
            errors.append(f"trigger names {src!r}, not a connection source action")
        for push in t["gitConfiguration"].get("push", []):
            if not push:
                errors.append("an empty push filter")
    return errors


def _action_errors(stage: str, index: int, a: dict[str, Any], produced: dict[str, str],
                   made_here: dict[str, str]) -> list[str]:
    where = f"{stage}.{a['name']}"
    t = a["actionTypeId"]
    key = (t["category"], t["owner"], t["provider"])
    spec = ACTIONS.get(key)
    if spec is None:
        return [f"{where}: unknown action type {key}"]
    errors = []
    if t["version"] != spec["version"]:
        errors.append(f"{where}: version {t['version']} of {key}")
    if (t["category"] == "Source") != (index == 0):
        errors.append(f"{where}: source actions belong in the first stage, and only there")
    config = a.get("configuration", {})
    missing = spec["required"] - set(config)
    unknown = set(config) - spec["required"] - spec["optional"]
    if missing:
        errors.append(f"{where}: missing configuration {sorted(missing)}")
    if unknown:
        errors.append(f"{where}: unknown configuration {sorted(unknown)}")
    errors.extend(f"{where}: {e}" for e in _config_errors(t["provider"], config))
    inputs = [x["name"] for x in a.get("inputArtifacts", [])]
    outputs = [x["name"] for x in a.get("outputArtifacts", [])]
    lo, hi = spec["inputs"]
    if not lo <= len(inputs) <= hi:
        errors.append(f"{where}: {len(inputs)} input artifacts, not {lo}..{hi}")
    lo, hi = spec["outputs"]
    if not lo <= len(outputs) <= hi:
        errors.append(f"{where}: {len(outputs)} output artifacts, not {lo}..{hi}")
    for name in inputs:
        if name not in produced:
            errors.append(f"{where}: input artifact {name!r} is produced by no earlier action")
        elif produced[name] == "CODEBUILD_CLONE_REF" and t["provider"] != "CodeBuild":
            errors.append(f"{where}: a full-clone source artifact is only for CodeBuild")
    for name in outputs:
        if name in produced or name in made_here:
            errors.append(f"{where}: artifact {name!r} is produced twice")
        made_here[name] = config.get("OutputArtifactFormat", t["provider"])
    return errors


def _config_errors(provider: str, config: dict[str, str]) -> list[str]:
    errors = []
    if provider == "CodeStarSourceConnection":
        if "ConnectionArn" in config and not CONNECTION_ARN.fullmatch(config["ConnectionArn"]):
            errors.append(f"ConnectionArn {config['ConnectionArn']!r}")
        if "FullRepositoryId" in config and not REPO.fullmatch(config["FullRepositoryId"]):
            errors.append(f"FullRepositoryId {config['FullRepositoryId']!r}")
        if config.get("OutputArtifactFormat", "CODE_ZIP") not in ("CODE_ZIP",
                                                                   "CODEBUILD_CLONE_REF"):
            errors.append(f"OutputArtifactFormat {config['OutputArtifactFormat']!r}")
        if config.get("DetectChanges", "true") not in ("true", "false"):
            errors.append("DetectChanges is 'true' or 'false'")
    elif provider == "CodeBuild":
        if "ProjectName" in config and not PROJECT.fullmatch(config["ProjectName"]):
            errors.append(f"ProjectName {config['ProjectName']!r}")
    elif provider == "Manual":
        if "NotificationArn" in config and not TOPIC_ARN.fullmatch(config["NotificationArn"]):
            errors.append(f"NotificationArn {config['NotificationArn']!r}")
        if len(config.get("CustomData", "")) > 500:
            errors.append("CustomData longer than 500 characters")
    return errors
