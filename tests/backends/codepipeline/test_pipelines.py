"""Every generated `*.pipeline.json`, of every example org and the test orgs: botocore's
`CreatePipeline` input shape (with enums, maxima and patterns), the semantic validator, and
moto's CodePipeline API with the template's own pipeline role."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.backends.codepipeline.moto_api import client
from tests.backends.codepipeline.orgs import ORGS, files, load_json, outputs
from tests.backends.codepipeline.validate import semantic_errors, shape_errors

PIPELINES = files(".pipeline.json")
IDS = [f"{org}:{path}" for org, path in PIPELINES]


def test_every_org_has_pipelines() -> None:
    assert {"multi", "platform", "shop"} <= set(ORGS)
    for org in ORGS:
        assert any(p.endswith(".pipeline.json") for p in outputs(org)), org


@pytest.mark.parametrize(("org", "path"), PIPELINES, ids=IDS)
def test_create_pipeline_shape(org: str, path: str) -> None:
    assert shape_errors(load_json(org, path)) == []


@pytest.mark.parametrize(("org", "path"), PIPELINES, ids=IDS)
def test_pipeline_semantics(org: str, path: str) -> None:
    assert semantic_errors(load_json(org, path)) == []


def resolved(template: dict[str, Any]) -> Any:
    """The template's pipeline with its references resolved to the names and ARNs of the
    resources they name."""
    names = {lid: r["Properties"] for lid, r in template["Resources"].items()}
    meta = template["Metadata"]["odmdc"]

    def resolve(v: Any) -> Any:
        if isinstance(v, dict) and set(v) == {"Ref"}:
            props = names[v["Ref"]]
            if "TopicName" in props:
                return f"arn:aws:sns:{meta['region']}:{meta['central_account']}:" \
                    f"{props['TopicName']}"
            return props.get("Name") or props["BucketName"]
        if isinstance(v, dict) and set(v) == {"Fn::GetAtt"}:
            props = names[v["Fn::GetAtt"][0]]
            return f"arn:aws:iam::{meta['central_account']}:role{props['Path']}" \
                f"{props['RoleName']}"
        if isinstance(v, dict):
            return {k: resolve(x) for k, x in v.items()}
        if isinstance(v, list):
            return [resolve(x) for x in v]
        return v

    return resolve(template["Resources"]["Pipeline"]["Properties"])


def api_casing(v: Any, in_config: bool = False) -> Any:
    """A CreatePipeline declaration in CloudFormation's casing."""
    if isinstance(v, dict):
        return {(k if in_config else k[0].upper() + k[1:]): api_casing(x, k == "configuration")
                for k, x in v.items()}
    if isinstance(v, list):
        return [api_casing(x) for x in v]
    return v


@pytest.mark.parametrize(("org", "path"), PIPELINES, ids=IDS)
def test_template_declares_the_same_pipeline(org: str, path: str) -> None:
    """The template's pipeline, with its references resolved to the resources' names, is the
    API declaration in CloudFormation's casing."""
    api = load_json(org, path)
    template = load_json(org, path.replace(".pipeline.json", ".template.json"))
    assert resolved(template) == api_casing(api)


@pytest.mark.parametrize("org", ORGS)
def test_moto_creates_every_pipeline(org: str, moto: str) -> None:
    """moto's CreatePipeline with the pipeline role the template creates (same name, path and
    trust policy) existing in the central account: it checks that the role trusts
    CodePipeline and that there are at least two stages; get_pipeline returns what we sent."""
    for path in sorted(p for p in outputs(org) if p.endswith(".pipeline.json")):
        pipeline = load_json(org, path)
        template = load_json(org, path.replace(".pipeline.json", ".template.json"))
        meta = template["Metadata"]["odmdc"]  # enver and release templates both say where
        role = template["Resources"]["PipelineRole"]["Properties"]
        iam = client("iam", moto, "us-east-1", meta["central_account"])
        created = iam.create_role(
            RoleName=role["RoleName"], Path=role["Path"],
            AssumeRolePolicyDocument=json.dumps(role["AssumeRolePolicyDocument"]),
        )["Role"]
        assert created["Arn"] == pipeline["roleArn"]
        cp = client("codepipeline", moto, meta["region"], meta["central_account"])
        cp.create_pipeline(pipeline=pipeline)
        got = cp.get_pipeline(name=pipeline["name"])["pipeline"]
        assert got["name"] == pipeline["name"]
        assert got["roleArn"] == pipeline["roleArn"]
        assert [s["name"] for s in got["stages"]] == [s["name"] for s in pipeline["stages"]]
        assert got.get("triggers") == pipeline.get("triggers")
        assert got["artifactStore"] == pipeline["artifactStore"]


def test_moto_rejects_a_role_that_does_not_trust_codepipeline(moto: str) -> None:
    """The moto check above has teeth: a role trusted by another service is refused."""
    org, path = PIPELINES[0]
    pipeline = load_json(org, path)
    account = pipeline["roleArn"].split(":")[4]
    iam = client("iam", moto, "us-east-1", account)
    name = pipeline["roleArn"].rsplit("/", 1)[1]
    path_ = pipeline["roleArn"].split(":role", 1)[1].rsplit("/", 1)[0] + "/"
    iam.create_role(RoleName=name, Path=path_, AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"Service": "ec2.amazonaws.com"}}]}))
    cp = client("codepipeline", moto, "us-east-1", account)
    with pytest.raises(cp.exceptions.InvalidStructureException):
        cp.create_pipeline(pipeline=pipeline)
