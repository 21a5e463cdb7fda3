"""Every generated `*.template.json`: cfn-lint finds nothing (errors, warnings or
informational), and the policies grant exactly what the module docstring of
`odmdc.backends.codepipeline.template` promises."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from odmdc.compiler.ir import IR
from tests.backends.codepipeline.orgs import compiled, files, load_json, outputs

TEMPLATES = files(".template.json")
IDS = [f"{org}:{path}" for org, path in TEMPLATES]
ENVERS = [(org, path) for org, path in TEMPLATES if path != "release.template.json"]
ENVER_IDS = [f"{org}:{path}" for org, path in ENVERS]


def statements(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return list(doc["Statement"])


def as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def role_statements(template: dict[str, Any], role: str) -> list[dict[str, Any]]:
    props = template["Resources"][role]["Properties"]
    return [s for p in props.get("Policies", []) for s in statements(p["PolicyDocument"])]


def enver_of(org: str, template: dict[str, Any]) -> Any:
    ir: IR = compiled(org)
    return ir.enver(template["Metadata"]["odmdc"]["enver"])


@pytest.mark.parametrize(("org", "path"), TEMPLATES, ids=IDS)
def test_cfn_lint_clean(org: str, path: str, cfn_lint: Callable[[str, str], list[str]]) -> None:
    text = outputs(org)[path].decode()
    region = load_json(org, path)["Metadata"]["odmdc"]["region"]
    assert cfn_lint(text, region) == []


def all_statements(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for lid, r in template["Resources"].items():
        props = r["Properties"]
        for p in props.get("Policies", []):
            for s in statements(p["PolicyDocument"]):
                yield lid, s
        if "PolicyDocument" in props:
            for s in statements(props["PolicyDocument"]):
                yield lid, s


@pytest.mark.parametrize(("org", "path"), TEMPLATES, ids=IDS)
def test_no_wildcard_grants(org: str, path: str) -> None:
    """No Allow has a `*` action or resource; the only `*` is the bucket's deny of plain
    HTTP. Bucket objects are `<this pipeline's bucket>/*`."""
    t = load_json(org, path)
    bucket = t["Resources"]["ArtifactBucket"]["Properties"]["BucketName"]
    for lid, s in all_statements(t):
        if s["Effect"] == "Deny":
            assert s["Sid"] == "TlsOnly"
            continue
        for a in as_list(s["Action"]):
            assert "*" not in a, (lid, s)
        for r in as_list(s.get("Resource", [])):
            if isinstance(r, str) and "*" in r:
                assert r == f"arn:aws:s3:::{bucket}/*" or r.endswith("-??????") or (
                    r.endswith(":*") and ":log-group:/aws/codebuild/" in r), (lid, r)


@pytest.mark.parametrize(("org", "path"), ENVERS, ids=ENVER_IDS)
def test_roles_reach_only_their_enver(org: str, path: str) -> None:
    t = load_json(org, path)
    e = enver_of(org, t)
    meta = t["Metadata"]["odmdc"]
    pipeline = load_json(org, path.replace(".template.json", ".pipeline.json"))
    projects = sorted(a["configuration"]["ProjectName"] for s in pipeline["stages"]
                      for a in s["actions"] if a["actionTypeId"]["provider"] == "CodeBuild")
    by_sid = {s["Sid"]: s for s in role_statements(t, "PipelineRole")}
    assert as_list(by_sid["RunOwnProjects"]["Resource"]) == [
        f"arn:aws:codebuild:{e.region}:{meta['central_account']}:project/{p}" for p in projects]
    assert by_sid["UseConnection"]["Resource"] == \
        pipeline["stages"][0]["actions"][0]["configuration"]["ConnectionArn"]
    cb = {s["Sid"]: s for s in role_statements(t, "CodeBuildRole")}
    assert cb["BecomeBuildRole"]["Resource"] == e.names.build_role_arn
    assert ("CloneWithConnection" in cb) == (e.revision.kind == "tag")
    assert ("ReadNpmToken" in cb) == (e.kind == "npm_package")
    # everything it may assume: the build role, nothing else
    assumed = [s for s in role_statements(t, "CodeBuildRole") if "sts:AssumeRole" in
               as_list(s["Action"])]
    assert [s["Resource"] for s in assumed] == [e.names.build_role_arn]
    for role, service in (("PipelineRole", "codepipeline"), ("CodeBuildRole", "codebuild")):
        trust = t["Resources"][role]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        assert [s["Principal"] for s in trust] == [{"Service": f"{service}.amazonaws.com"}]
    assert t["Rules"]["Placement"]["Assertions"][0]["Assert"]["Fn::Equals"][1] == \
        meta["central_account"]


@pytest.mark.parametrize(("org", "path"), ENVERS, ids=ENVER_IDS)
def test_approvals_restricted_to_named_roles(org: str, path: str) -> None:
    """One approval action per set of `approve(…)` roles; its approver role is assumable only
    by those roles and may approve only that action."""
    t = load_json(org, path)
    e = enver_of(org, t)
    meta = t["Metadata"]["odmdc"]
    pipeline = load_json(org, path.replace(".template.json", ".pipeline.json"))
    wanted: dict[tuple[str, ...], list[str]] = {}
    for c in sorted(e.consumers, key=lambda c: c.name):
        if c.reaction.kind == "approve":
            wanted.setdefault(tuple(sorted(set(c.reaction.roles))), []).append(c.name)
    approve = [s for s in pipeline["stages"] if s["name"] == "Approve"]
    assert bool(approve) == bool(wanted)
    if not wanted:
        assert meta["approvals"] == []
        return
    actions = approve[0]["actions"]
    assert len(actions) == len(wanted)
    got = {tuple(a["roles"]): sorted(a["consumers"]) for a in meta["approvals"]}
    assert got == wanted
    # approvals come before anything that deploys or publishes
    names = [s["name"] for s in pipeline["stages"]]
    assert names.index("Approve") == len(names) - 2
    pipe_arn = f"arn:aws:codepipeline:{e.region}:{meta['central_account']}:{pipeline['name']}"
    for a, action in zip(meta["approvals"], actions, strict=True):
        assert action["name"] == a["action"]
        role = next(r for r in t["Resources"].values()
                    if r["Type"] == "AWS::IAM::Role" and r["Properties"]["RoleName"].endswith(
                        "-" + a["action"].lower()))
        trust = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        assert len(trust) == 1
        assert trust[0]["Condition"] == {"ArnEquals": {"aws:PrincipalArn": a["roles"]}}
        accounts = sorted({r.split(":")[4] for r in a["roles"]})
        assert as_list(trust[0]["Principal"]["AWS"]) == [f"arn:aws:iam::{x}:root"
                                                         for x in accounts]
        grants = statements(role["Properties"]["Policies"][0]["PolicyDocument"])
        put = [s for s in grants if "codepipeline:PutApprovalResult" in as_list(s["Action"])]
        assert [s["Resource"] for s in put] == [f"{pipe_arn}/Approve/{a['action']}"]
        topic = action["configuration"]["NotificationArn"]
        assert topic.startswith(f"arn:aws:sns:{e.region}:{meta['central_account']}:")
