"""Backend options, what the backend reports instead of emitting, and AWS size limits.

Options are validated by the pydantic model (an org's `backend cloudformation { … }` block
will feed it); each changes what its description says. Reactions the backend cannot express
are E601 on the consumer; IAM's policy size and count limits and EventBridge's pattern size are
met by splitting, never by widening a policy.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from odmdc.backends.aws.quotas import EVENT_PATTERN_SIZE, pattern_length
from odmdc.backends.aws.quotas import MANAGED_POLICY_SIZE as POLICY_SIZE
from odmdc.backends.cloudformation import CloudFormationBackend, CloudFormationOptions
from odmdc.backends.github_actions import GithubActionsOptions
from tests.backends.cloudformation.support import (
    ORGS,
    as_list,
    compile_paths,
    resources,
    role_statements,
)
from tests.helpers import compile_ok, emit, emit_context


def test_defaults() -> None:
    # how reactions reach GitHub is the github_actions engine's to say
    o = GithubActionsOptions()
    assert o.github_token_secret == "odmd/github-token"
    assert o.github_token_json_key is None
    assert o.github_api_url == "https://api.github.com"
    assert o.dispatch_rate_limit == 10
    assert CloudFormationOptions().cdk_qualifier == "hnb659fds"


@pytest.mark.parametrize(("model", "bad"), [
    (GithubActionsOptions, {"github_token_secret": "has space"}),
    (GithubActionsOptions, {"github_token_secret": "arn:aws:s3:::bucket"}),
    (GithubActionsOptions, {"github_token_json_key": "a:b"}),
    (GithubActionsOptions, {"github_api_url": "http://api.github.com"}),
    (GithubActionsOptions, {"dispatch_rate_limit": 0}),
    (GithubActionsOptions, {"dispatch_rate_limit": 301}),
    (CloudFormationOptions, {"cdk_qualifier": "toolongqualifier"}),
    (CloudFormationOptions, {"no_such_option": 1}),
    (CloudFormationOptions, {"github_token_secret": "odmd/github-token"}),
])
def test_invalid_options_are_rejected(model: type[BaseModel], bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        model.model_validate(bad)


def test_options_change_the_output() -> None:
    secret = "arn:aws:secretsmanager:us-east-1:210987654321:secret:ci/github-Ab12Cd"
    c = compile_paths([str(ORGS / "retail")], {"cdk_qualifier": "retail1"}, engine={
        "github_token_secret": secret, "github_token_json_key": "token",
        "github_api_url": "https://github.example.com/api/v3/", "dispatch_rate_limit": 3})
    central = c.central("us-east-1")
    [conn] = resources(central, "AWS::Events::Connection").values()
    assert conn["Properties"]["AuthParameters"]["ApiKeyAuthParameters"]["ApiKeyValue"] == (
        f"Bearer {{{{resolve:secretsmanager:{secret}:SecretString:token}}}}")
    dests = [d for t in c.central_builds("us-east-1").values()
             for d in resources(t, "AWS::Events::ApiDestination").values()]
    assert dests
    for dest in dests:
        assert dest["Properties"]["InvocationEndpoint"].startswith(
            "https://github.example.com/api/v3/repos/")
        assert dest["Properties"]["InvocationRateLimitPerSecond"] == 3
    target = c.target(c.ir.enver("cluster.main"))
    [stmt] = [s for s in role_statements(target, "BuildRole")
              if s["Sid"] == "AssumeCdkBootstrapRoles"]
    assert all("/cdk-retail1-" in r for r in as_list(stmt["Resource"]))


ORG = """
build net : cdk {
  repo = "acme/net"
  enver main = branch "main" in workspace1 "us-east-1" {
    produces { cidr: cidr  pool: string }
  }
}
build app : cdk {
  repo = "acme/app"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes {
      CONSUMERS
    }
  }
}
"""


def diagnostics(consumers: str) -> list[tuple[str, int, str]]:
    ir = compile_ok(ORG.replace("CONSUMERS", consumers))
    backend, ctx = emit_context(ir, "cloudformation", {})
    list(backend.emit(ir, ctx))
    return [(d.code, d.span.line, d.message) for d in ctx.diagnostics]


def test_reactions_it_cannot_express_are_e601_on_the_consumer() -> None:
    found = diagnostics("""
      a = net.main.cidr on_change approve("release-managers")
      b = net.main.pool on_change notify("ops@example.com")
      c = net.main.cidr on_change notify("arn:aws:sns:eu-west-1:111111111111:elsewhere")
      d = net.main.pool on_change notify("arn:aws:sns:us-east-1:111111111111:t1",
            "arn:aws:sns:us-east-1:111111111111:t2", "arn:aws:sns:us-east-1:111111111111:t3",
            "arn:aws:sns:us-east-1:111111111111:t4", "arn:aws:sns:us-east-1:111111111111:t5")
      e = net.main.cidr on_change approve("arn:aws-cn:iam::111111111111:role/x")
      ok = net.main.pool on_change notify("arn:aws:sns:us-east-1:111111111111:ops")
    """)
    assert [(code, line) for code, line, _ in found] == [
        ("E601", 13), ("E601", 14), ("E601", 15), ("E601", 16), ("E601", 19)]
    messages = [m for _, _, m in found]
    assert "IAM role ARNs" in messages[0] and "`release-managers`" in messages[0]
    assert "SNS topic ARNs in us-east-1" in messages[1]
    assert "names 5 topics" in messages[3]


def test_a_large_role_is_split_not_widened() -> None:
    products = "\n".join(f"product-with-a-rather-long-name-{i:03d}: string" for i in range(150))
    ir = compile_ok(ORG.replace("CONSUMERS", "").replace(
        "produces { cidr: cidr  pool: string }", f"produces {{ {products} }}"))
    out = emit(ir, ["cloudformation"])
    assert out.diagnostics == []
    central = json.loads(out.files["cloudformation/central/us-east-1/builds/net.template.json"])
    role = next(lid for lid, r in resources(central, "AWS::IAM::Role").items()
                if r["Properties"]["RoleName"].startswith("net-"))
    policies = [p for p in resources(central, "AWS::IAM::ManagedPolicy").values()
                if {"Ref": role} in p["Properties"]["Roles"]]
    assert len(policies) > 1
    for p in policies:
        assert len(json.dumps(p["Properties"]["PolicyDocument"], separators=(",", ":"))) <= (
            POLICY_SIZE)
    granted = {r for s in role_statements(central, role) for r in as_list(s["Resource"])}
    # every product, of `main` and of any clone a commit command makes of it, and the clone
    # records: the same statements as one policy would hold
    parameter = "arn:aws:ssm:us-east-1:111111111111:parameter"
    assert granted == {f"{parameter}/odmd-share/net/{rev}/product-with-a-rather-long-name-{i:03d}"
                       for i in range(150) for rev in ("b..main", "b..main-_b..*")} | {
        f"{parameter}/odmd-config/net/clones/*", f"{parameter}/odmd-config/net/clones"}


def test_too_many_policies_for_one_role_is_e601() -> None:
    products = "\n".join(f"p{i:04d}-{'x' * 80}: string" for i in range(900))
    ir = compile_ok(ORG.replace("CONSUMERS", "").replace(
        "produces { cidr: cidr  pool: string }", f"produces {{ {products} }}"))
    out = emit(ir, ["cloudformation"])
    assert [d.code for d in out.diagnostics] == ["E601"]
    assert "managed policies; IAM attaches at most 10" in out.diagnostics[0].message


def test_a_long_event_pattern_is_split_into_rules() -> None:
    products = "\n".join(f"output-number-{i:03d}-of-many: string" for i in range(80))
    consumers = "\n".join(f"in{i:03d} = net.main.output-number-{i:03d}-of-many"
                          for i in range(80))
    ir = compile_ok(ORG.replace("CONSUMERS", consumers).replace(
        "produces { cidr: cidr  pool: string }", f"produces {{ {products} }}"))
    out = emit(ir, ["cloudformation"])
    central = json.loads(out.files["cloudformation/central/us-east-1/builds/app.template.json"])
    rules = resources(central, "AWS::Events::Rule")
    assert len(rules) > 1
    paths = [p for r in rules.values() for p in r["Properties"]["EventPattern"]["detail"]["name"]]
    assert sorted(paths) == sorted(set(paths))  # each path in exactly one rule
    assert len(paths) == 80
    patterns = [r["Properties"]["EventPattern"] for r in rules.values()]
    for p in patterns:
        assert pattern_length(p) <= EVENT_PATTERN_SIZE
    # and no more rules than needed: no two of them would fit in one
    for a in patterns:
        for b in patterns:
            if a is not b:
                merged = {**a, "detail": {**a["detail"],
                                          "name": a["detail"]["name"] + b["detail"]["name"]}}
                assert pattern_length(merged) > EVENT_PATTERN_SIZE


def test_registered_under_its_name() -> None:
    from odmdc.backends.registry import available, load

    assert load("cloudformation") is CloudFormationBackend
    assert available()["cloudformation"].target == (
        "odmdc.backends.cloudformation:CloudFormationBackend")
