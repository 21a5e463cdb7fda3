"""AWS quotas (`quotas.py`): a company-sized org compiles to templates that respect every one,
and each check fires — as E601 on the enver or consumer that went over — when something cannot
fit.

The large org is the benchmarks' synthetic org of 1,000 envers (three regions, ~4,000 consumer
edges), compiled once per session; its templates are measured here independently of the
backend's own check (counts, bytes, compact policy sizes), except that a `Ref`/`Fn::GetAtt` in
a policy counts at its longest possible resolved length (`quotas.policy_size`, the definition).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import orjson

from benchmarks.synth import generate
from odmdc import api
from odmdc.api.emit import Emitted
from odmdc.backends.api import json_bytes
from odmdc.backends.aws import quotas as q
from odmdc.backends.aws.cfn import Template
from odmdc.backends.cloudformation import quotas as cfn_quotas
from odmdc.compiler.ir import IR, Location
from tests.backends.cloudformation.support import Json, resources
from tests.helpers import compile_ok, emit, emit_context, report_context, unit_of

PLACE = q.Place("aws", "us-east-1", "111111111111")


@functools.cache
def large() -> tuple[IR, Emitted]:
    files = generate(1000)
    result = api.check(unit_of(files), run_backends=False)
    assert result.ir is not None, [f"{d.code} {d.message}" for d in result.diagnostics[:5]]
    return result.ir, emit(result.ir, ["cloudformation"])


def as_template(doc: Json) -> Template:
    """Enough of a Template for `policy_size` to resolve intrinsics against."""
    t = Template(description="")
    t.resources = doc["Resources"]
    return t


def test_a_thousand_envers_compile_without_a_diagnostic() -> None:
    ir, out = large()
    assert len(ir.envers()) >= 1000
    assert out.errors == [] and out.diagnostics == []
    paths = [p.removeprefix("cloudformation/") for p in out.files]
    # the single central template of us-east-1 needed 757 resources; now a root per region
    # and a stack per build and region
    assert {p for p in paths if p.startswith("central/") and p.count("/") == 1} == {
        f"central/{r}.template.json" for r in ("eu-west-1", "us-east-1", "us-west-2")}
    builds = {(e.region, e.build) for e in ir.envers()}
    assert {p for p in paths if "/builds/" in p} == {
        f"central/{r}/builds/{b}.template.json" for r, b in builds}


def test_every_template_of_a_thousand_envers_respects_every_quota() -> None:
    _, out = large()
    largest: dict[str, int] = {}
    for path, data in out.files.items():
        doc = json.loads(data)
        root = path.count("/") == 2 and path.startswith("cloudformation/central/")
        counts = {"resources": len(doc["Resources"]), "outputs": len(doc.get("Outputs", {})),
                  "parameters": len(doc.get("Parameters", {})),
                  "mappings": len(doc.get("Mappings", {})), "bytes": len(data),
                  "dynamic references": data.count(b"{{resolve:")}
        assert counts["resources"] <= 500, path
        assert counts["outputs"] <= 200, path
        assert counts["parameters"] <= 200 and counts["mappings"] <= 200, path
        assert counts["bytes"] <= (51_200 if root else 1_000_000), path
        assert counts["dynamic references"] <= 60, path
        assert len(doc["Description"].encode()) <= 1024, path
        for k, v in counts.items():
            largest[k] = max(largest.get(k, 0), v)
        meta = doc["Metadata"]["odmdc"]
        place = q.Place("aws", meta["region"], meta["account"])
        t = as_template(doc)
        for lid, r in doc["Resources"].items():
            props = r["Properties"]
            size = functools.partial(q.policy_size, t=t, place=place)
            if r["Type"] == "AWS::IAM::Role":
                assert size(props["AssumeRolePolicyDocument"]) <= 2048, (path, lid)
                assert sum(size(p["PolicyDocument"]) for p in props.get("Policies", [])) <= (
                    10_240), (path, lid)
            elif r["Type"] == "AWS::IAM::ManagedPolicy":
                assert size(props["PolicyDocument"]) <= 6144, (path, lid)
            elif r["Type"] == "AWS::Events::Rule":
                assert len(json.dumps(props["EventPattern"])) <= 2048, (path, lid)
                assert len(props["Targets"]) <= 5, (path, lid)
            elif r["Type"] == "AWS::SQS::QueuePolicy":
                assert size(props["PolicyDocument"]) <= 8192, (path, lid)
                assert q.principal_count(props["PolicyDocument"]) <= 50, (path, lid)
            elif r["Type"] == "AWS::SNS::TopicPolicy":
                assert size(props["PolicyDocument"]) <= 30 * 1024, (path, lid)
    print(f"1,000 envers: {len(out.files)} templates; largest: {largest}")


# --- each check fires ---------------------------------------------------------------------
ORG = """
build net : cdk {
  repo = "acme/net"
  enver main = branch "main" in workspace1 "us-east-1" {
    produces { PRODUCTS }
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


def compiled(consumers: list[str], products: str = "cidr: cidr") -> tuple[
        IR, dict[str, Json], list[tuple[str, int, str]]]:
    text = ORG.replace("CONSUMERS", "\n      ".join(consumers)).replace("PRODUCTS", products)
    ir = compile_ok(text)
    backend, ctx = emit_context(ir, "cloudformation", {})
    files = {f.path: json.loads(f.content) for f in backend.emit(ir, ctx)}
    return ir, files, [(d.code, d.span.line, d.message) for d in ctx.diagnostics]


def consumer_line(ir: IR, name: str) -> int:
    [c] = [c for c in ir.enver("app.main").consumers if c.name == name]
    return c.location.line


def test_too_many_resources_is_e601_on_the_consumer_that_went_over() -> None:
    # every approver set is its own group: topic, its policy, queue, its policy, pipe, rule
    consumers = [f'a{i:03d} = net.main.cidr on_change approve('
                 f'"arn:aws:iam::111111111111:role/approvers-{i:03d}")' for i in range(110)]
    ir, files, found = compiled(consumers)
    t = files["central/us-east-1/builds/app.template.json"]
    assert len(t["Resources"]) > 500
    errors = [f for f in found if f[0] == "E601"]
    assert len(errors) == 2
    _, line, message = errors[0]
    assert re.search(r"central/us-east-1/builds/app.template.json` needs \d+ resources; "
                     "CloudFormation allows 500", message), message
    # resources are made consumer by consumer in name order: the 501st belongs to one of them
    first_over = list(t["Resources"])[500]
    names = {consumer_line(ir, f"a{i:03d}"): f"a{i:03d}" for i in range(110)}
    assert line in names, (line, first_over)
    # and the pipes role may read 110 approval queues: more than a role's inline policies hold
    # (each queue ARN counts at its longest, 80-character name), blamed on the build
    _, line, message = errors[1]
    assert "`PipesRole`'s inline policies are" in message and "IAM allows 10,240" in message
    assert line == ir.builds["app"].location.line
    # 110 approval topics and queues also outnumber the outputs CloudFormation allows: those
    # are conveniences, so they are left out with a warning, not an error
    warnings = [f for f in found if f[0] == "W601"]
    assert len(warnings) == 1 and "200 are" not in warnings[0][2]
    assert "CloudFormation allows 200" in warnings[0][2]
    assert len(t["Outputs"]) == 200


def test_dead_letter_queues_split_to_fit_sqs_policies() -> None:
    consumers = [f'n{i:03d} = net.main.cidr on_change notify('
                 f'"arn:aws:sns:us-east-1:111111111111:topic-{i:03d}")' for i in range(120)]
    _, files, found = compiled(consumers)
    assert found == []
    t = files["central/us-east-1/builds/app.template.json"]
    queues = [lid for lid, r in resources(t, "AWS::SQS::Queue").items()]
    assert queues == ["DeadLetterQueue", "DeadLetterQueue2"]
    rules = resources(t, "AWS::Events::Rule")
    senders: list[str] = []
    for queue in queues:
        doc = t["Resources"][queue + "Policy"]["Properties"]["PolicyDocument"]
        assert q.policy_size(doc, as_template(t), PLACE) <= q.SQS_POLICY_SIZE
        arns = doc["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"]
        senders += [a["Fn::GetAtt"][0] for a in arns]
        for a in arns:  # each rule dead-letters to the queue whose policy names it
            for target in rules[a["Fn::GetAtt"][0]]["Properties"]["Targets"]:
                assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [queue, "Arn"]}}
    assert sorted(senders) == sorted(rules)


def test_too_many_approver_accounts_is_e601_on_the_consumer() -> None:
    roles = ", ".join(f'"arn:aws:iam::{100000000000 + i}:role/approver"' for i in range(51))
    consumers = [f"ok = net.main.cidr on_change approve({roles})"]
    ir, _, found = compiled(consumers)
    assert [(c, line) for c, line, _ in found] == [("E601", consumer_line(ir, "ok"))]
    assert "names 52 principals; SQS allows 50" in found[0][2]  # + the Deny's "*"


def test_a_too_long_trust_policy_is_e601_on_the_enver_that_went_over() -> None:
    envers = "\n".join(f'  enver r{i:03d} = tag "release-{i:03d}-of-a-long-series" in workspace1 '
                       '"us-east-1"' for i in range(60))
    ir = compile_ok(f'build lib : cdk {{\n  repo = "acme/lib"\n{envers}\n}}\n')
    backend, ctx = emit_context(ir, "cloudformation", {})
    list(backend.emit(ir, ctx))
    [d] = ctx.diagnostics
    assert d.code == "E601"
    assert "trust policy is" in d.message and "IAM allows 2,048" in d.message
    # blamed on the first enver (by id) whose tag no longer fits: a later one, not r000
    lines = {ir.enver(f"lib.r{i:03d}").location.line: i for i in range(60)}
    assert lines.get(d.span.line, 0) > 20


def test_the_codebuild_roles_count_toward_the_trust_policy() -> None:
    """With the codepipeline backend, each enver's CodeBuild role is named in the build role's
    trust: 30 branch envers of one build still fit with GitHub's OIDC alone (`refs/heads/*`
    covers them), not with their CodeBuild roles too — E601 on the first that went over."""
    envers = "\n".join(f'  enver f{i:02d} = branch "feature-{i:02d}" in workspace1 "us-east-1"'
                        for i in range(30))
    contracts = ('build contracts : contracts_lib {\n  repo = "acme/contracts"\n'
                 '  enver main = branch "main" in central "us-east-1"\n}\n')
    build = f'build lib : cdk {{\n  repo = "acme/lib"\n{envers}\n}}\n'
    found = {}
    for ci in ("github_actions", "codepipeline"):
        org = ('org acme {\n  accounts { central = "111111111111"  workspace1 = "222222222222" }'
               f"\n  ci = {ci}\n  backends = [cloudformation]\n}}\n")
        ir = compile_ok({"org.odmd": org, "lib.odmd": contracts + build}, prelude=False)
        backend, ctx = emit_context(ir, "cloudformation", {})
        files = {f.path: json.loads(f.content) for f in backend.emit(ir, ctx)}
        found[ci] = (ir, ctx.diagnostics, files["workspace1/us-east-1/lib.template.json"])
    assert found["github_actions"][1] == []
    ir, [d], t = found["codepipeline"]
    assert d.code == "E601" and "trust policy is" in d.message, d.message
    trust = t["Resources"]["BuildRole"]["Properties"]["AssumeRolePolicyDocument"]
    assert len(json.dumps(trust, separators=(",", ":"))) > 2048
    # blamed on the first enver (by id) whose CodeBuild role no longer fits: the trust
    # naming the roles of the envers before it fits, with its role too it does not
    [blamed] = [i for i in range(30) if ir.enver(f"lib.f{i:02d}").location.line == d.span.line]
    roles = trust["Statement"][1]["Condition"]["ArnEquals"]["aws:PrincipalArn"]

    def size(n: int) -> int:
        part = json.loads(json.dumps(trust))
        part["Statement"][1]["Condition"]["ArnEquals"]["aws:PrincipalArn"] = roles[:n]
        return len(json.dumps(part, separators=(",", ":")))

    assert size(blamed) <= 2048 < size(blamed + 1)


# --- the checks on crafted templates (what valid contracts cannot produce) ------------------
def crafted(resources_: dict[str, Json], **sections: Any) -> tuple[
        list[tuple[int, str]], Template]:
    t = Template(description="crafted")
    for i, (lid, (type_, props)) in enumerate(resources_.items()):
        t.add(lid, type_, props, blame=Location(file="x.odmd", line=10 + i, column=1,
                                                 end_line=10 + i, end_column=2))
    for k, v in sections.items():
        setattr(t, k, v)
    ctx = report_context("cloudformation")
    cfn_quotas.check(t, json_bytes(t.body()), "`t`", PLACE, ctx,
            Location(file="x.odmd", line=1, column=1, end_line=1, end_column=2),
            direct=bool(sections.pop("direct", False)))
    return [(d.span.line, d.message.removeprefix("cloudformation: ")) for d in ctx.diagnostics], t


def rule(paths: list[str], targets: int = 1) -> tuple[str, Json]:
    return ("AWS::Events::Rule", {"EventPattern": {"detail": {"name": paths}},
                                  "Targets": [{"Id": f"t{i}", "Arn": "x"} for i in range(targets)]})


def test_pattern_and_targets() -> None:
    found, _ = crafted({"Ok": rule(["/a"], 5), "Long": rule(["/" + "p" * 2100]),
                        "Many": rule(["/b"], 6)})
    assert [(line, m.split(" is ")[0].split(";")[0]) for line, m in found] == [
        (11, "`t` `Long`'s event pattern"), (12, "`t` `Many` has 6 targets")]
    assert "EventBridge allows 2,048" in found[0][1]


def test_iam_sizes() -> None:
    big = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": [f"arn:aws:s3:::b/{i:05d}"
                                                                  for i in range(400)]}]}
    found, _ = crafted({
        "Policy": ("AWS::IAM::ManagedPolicy", {"PolicyDocument": big}),
        "Trust": ("AWS::IAM::Role", {"AssumeRolePolicyDocument": big}),
        "Inline": ("AWS::IAM::Role", {"AssumeRolePolicyDocument": {"Statement": []},
                                      "Policies": [{"PolicyName": "p", "PolicyDocument": big}]
                                      * 2}),
    })
    assert [(line, m.split(";")[1].strip()) for line, m in found] == [
        (10, "IAM allows 6,144 in a managed policy"),
        (11, "IAM allows 2,048 by default"),
        (12, "IAM allows 10,240 per role")]


def test_resource_policies_count_intrinsics_at_their_longest() -> None:
    rules = {f"R{i}": rule(["/a"]) for i in range(80)}
    doc = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                          "Condition": {"ArnEquals": {"aws:SourceArn": [
                              {"Fn::GetAtt": [r, "Arn"]} for r in rules]}}}]}
    # in the template each reference is ~30 characters; resolved, a rule ARN is 105
    assert len(orjson.dumps(doc)) < 8192
    found, t = crafted({**rules, "QP": ("AWS::SQS::QueuePolicy", {"PolicyDocument": doc})})
    assert [line for line, _ in found] == [90]
    assert q.resolved_length(t, PLACE, "R0", "Arn") == len(
        "arn:aws:events:us-east-1:111111111111:rule/") + 64
    assert "SQS allows 8,192" in found[0][1]


def test_template_sections_size_and_references() -> None:
    many = {f"P{i}": {"Type": "String"} for i in range(201)}
    found, _ = crafted({"T": ("AWS::SNS::Topic", {"DisplayName": "x" * 60_000})},
                       parameters=many, mappings={f"M{i}": {} for i in range(201)})
    assert [m.split(";")[0] for _, m in found] == [
        "`t` has 201 parameters", "`t` has 201 mappings"]
    t = Template(description="direct")
    t.add("T", "AWS::SNS::Topic", {"DisplayName": "x" * 60_000})
    for i in range(61):
        t.add(f"S{i}", "AWS::SSM::Parameter", {"Value": "{{resolve:ssm:/p}}"})
    ctx = report_context("cloudformation")
    loc = Location(file="x.odmd", line=1, column=1, end_line=1, end_column=2)
    body = json_bytes(t.body())
    cfn_quotas.check(t, body, "`t`", PLACE, ctx, loc, direct=True)
    cfn_quotas.check(t, body + b" " * 1_000_000, "`t`", PLACE, ctx, loc)
    assert [d.message.split(";")[0] for d in ctx.diagnostics] == [
        "cloudformation: `t` has 61 dynamic references",
        f"cloudformation: `t` is {len(body):,} bytes",
        "cloudformation: `t` has 61 dynamic references",
        f"cloudformation: `t` is {len(body) + 1_000_000:,} bytes"]
    assert "at most 51,200 from a request" in ctx.diagnostics[1].message
    assert "at most 1,000,000 from S3" in ctx.diagnostics[3].message
