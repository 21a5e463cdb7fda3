"""AWS quotas a generated template must respect, and the check that reports what does not fit.

Each number is quoted from the AWS documentation it comes from (read 2026-11):

* CloudFormation, "Understand CloudFormation quotas"
  (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html):
  500 resources, 200 outputs, 200 parameters, 200 mappings per template; a template body of at
  most 51,200 bytes in a CreateStack/UpdateStack request, 1 MB from S3; 60 dynamic references
  per template; and "you can have a nested stack hierarchy with more than 2500 total resources,
  but you can't create, update, or delete more than 2500 of those resources in a single
  deployment — split the stack hierarchy into different stacks" (why the central resources are
  split into independent stacks rather than nested ones, see `__init__.py`).
* IAM, "IAM and AWS STS quotas"
  (docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):
  a managed policy at most 6,144 characters, a role's inline policies together at most 10,240,
  a role trust policy at most 2,048 by default (adjustable) — whitespace not counted.
* Amazon EventBridge quotas (docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html):
  an event pattern at most 2,048 characters (the default; adjustable), 5 targets per rule.
* Amazon SQS policy quotas (…/SQSDeveloperGuide/quotas-policies.html): 8,192 bytes, 50
  principals, 20 statements. Amazon SNS policy quotas
  (…/sns/latest/dg/sns-access-policy-language-api-permissions-reference.html): 30 KB, 200
  principals, 100 statements.

Account-level quotas (EventBridge rules per bus: 300, IAM roles per account: 1,000, stacks per
region: 2,000 — all adjustable) depend on what else the account holds, so odmdc cannot check
them; the backend's docstring lists what an org needs.

Sizes of policies are those AWS will see: a `Ref` or `Fn::GetAtt` in a policy counts as the
longest ARN or URL it can resolve to (`resolved_length`), not as the short JSON object in the
template.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import orjson

from odmdc.backends.api import EmitContext
from odmdc.backends.cloudformation.template import Json, Template
from odmdc.compiler.ir import Location

# --- CloudFormation -----------------------------------------------------------------------
MAX_RESOURCES = 500
MAX_OUTPUTS = 200
MAX_PARAMETERS = 200
MAX_MAPPINGS = 200
MAX_DYNAMIC_REFERENCES = 60
MAX_BODY = 51_200  # in a request: `aws cloudformation deploy` without --s3-bucket
MAX_BODY_S3 = 1_000_000  # "1 MB" from S3; the decimal reading is the stricter one
# --- IAM ---------------------------------------------------------------------------------
MANAGED_POLICY_SIZE = 6_144
INLINE_POLICIES_SIZE = 10_240  # all inline policies of one role together
TRUST_POLICY_SIZE = 2_048
# --- EventBridge ---------------------------------------------------------------------------
EVENT_PATTERN_SIZE = 2_048
TARGETS_PER_RULE = 5
# --- resource policies ----------------------------------------------------------------------
SQS_POLICY_SIZE = 8_192
SQS_PRINCIPALS = 50
SQS_STATEMENTS = 20
SNS_POLICY_SIZE = 30 * 1024
SNS_PRINCIPALS = 200
SNS_STATEMENTS = 100

#: the longest name CloudFormation generates for an unnamed resource of each type, and the
#: shape of what `Fn::GetAtt …Arn` / `Ref` returns for it (`{p}` partition, `{r}` region,
#: `{a}` account, `{n}` the generated name)
_GENERATED = {
    # rule names: at most 64 characters
    ("AWS::Events::Rule", "Arn"): "arn:{p}:events:{r}:{a}:rule/{n64}",
    # API destination ARNs end in the name (≤ 64) and a UUID
    ("AWS::Events::ApiDestination", "Arn"):
        "arn:{p}:events:{r}:{a}:api-destination/{n64}/{uuid}",
    ("AWS::Events::Connection", "Arn"): "arn:{p}:events:{r}:{a}:connection/{n64}/{uuid}",
    # queue names: at most 80 characters
    ("AWS::SQS::Queue", "Arn"): "arn:{p}:sqs:{r}:{a}:{n80}",
    ("AWS::SQS::Queue", "Ref"): "https://sqs.{r}.amazonaws.com/{a}/{n80}",
    # topic names: at most 256 characters; Ref is the ARN
    ("AWS::SNS::Topic", "Ref"): "arn:{p}:sns:{r}:{a}:{n256}",
    ("AWS::IAM::Role", "Arn"): "arn:{p}:iam::{a}:role/{n64}",
    ("AWS::KMS::Key", "Arn"): "arn:{p}:kms:{r}:{a}:key/{uuid}",
}
_FILL = {"n64": "x" * 64, "n80": "x" * 80, "n256": "x" * 256, "uuid": "x" * 36}


@dataclass(frozen=True, slots=True)
class Place:
    """Where a template is deployed: what its intrinsic functions resolve against."""

    partition: str
    region: str
    account: str


def resolved_length(t: Template, place: Place, lid: str, attribute: str) -> int:
    """The longest value `Ref`/`Fn::GetAtt` of resource `lid` can resolve to."""
    shape = _GENERATED[(t.resources[lid]["Type"], attribute)]
    return len(shape.format(p=place.partition, r=place.region, a=place.account, **_FILL))


def policy_size(doc: Json, t: Template, place: Place) -> int:
    """Characters of a policy document as AWS counts them: no whitespace outside strings
    (compact JSON), every `Ref`/`Fn::GetAtt` of a resource at its longest resolved length."""
    text = orjson.dumps(doc)
    size = len(text)
    # an intrinsic's JSON cannot occur inside a string, where its quotes would be escaped
    for m in _INTRINSIC.finditer(text):
        lid = (m[1] or m[2]).decode()
        if lid in t.resources:
            size += resolved_length(t, place, lid, "Ref" if m[1] else m[3].decode()) + 2 - len(
                m[0])
    return size


_INTRINSIC = re.compile(rb'\{"Ref":"([^"]+)"\}|\{"Fn::GetAtt":\["([^"]+)","([^"]+)"\]\}')


def pattern_length(pattern: Json) -> int:
    """An event pattern's characters, with a space after every `,` and `:` — more than the
    compact form CloudFormation may pass on, so a pattern that fits here fits there."""
    return len(json.dumps(pattern))


def principal_count(doc: Json) -> int:
    n = 0
    for s in doc["Statement"]:
        p = s.get("Principal")
        if p is None:
            continue
        if p == "*":
            n += 1
            continue
        for v in p.values():
            n += len(v) if isinstance(v, list) else 1
    return n


def check(t: Template, body: bytes, where: str, place: Place, ctx: EmitContext,
          fallback: Location, *, direct: bool = False) -> None:
    """Report (E601) every quota `t` breaks, on the enver or consumer whose resource went
    over (`t.blame`), else on `fallback`. `body` is the template as it is written; `direct`:
    it must also fit in a CreateStack request body."""

    def report(at: Location | None, message: str, help: str) -> None:
        ctx.unsupported(at or fallback, f"{where} {message}", help=help)

    lids = list(t.resources)
    if len(lids) > MAX_RESOURCES:
        first = lids[MAX_RESOURCES]
        report(t.blame.get(first),
               f"needs {len(lids)} resources; CloudFormation allows {MAX_RESOURCES} in one "
               f"template (`{first}` is the first beyond)",
               "split the consumers over more envers or builds")
    for section, items, limit in (("parameters", t.parameters, MAX_PARAMETERS),
                                  ("mappings", t.mappings, MAX_MAPPINGS)):
        if len(items) > limit:
            report(None, f"has {len(items)} {section}; CloudFormation allows {limit}",
                   "this is a bug in the cloudformation backend: please report it")
    refs = body.count(b"{{resolve:")
    if refs > MAX_DYNAMIC_REFERENCES:
        report(None, f"has {refs} dynamic references; CloudFormation allows "
               f"{MAX_DYNAMIC_REFERENCES}", "this is a bug in the cloudformation backend")
    limit = MAX_BODY if direct else MAX_BODY_S3
    if len(body) > limit:
        report(_crossing(t, len(body) - limit),
               f"is {len(body):,} bytes; CloudFormation reads at most {limit:,}"
               + (" from a request" if direct else " from S3"),
               "split the consumers over more envers or builds")
    for lid in lids:
        _check_resource(t, lid, place, _reporter(report, t.blame.get(lid)))


def _reporter(report: Callable[[Location | None, str, str], None], at: Location | None
              ) -> Callable[[str, str], None]:
    return lambda message, help: report(at, message, help)


def _crossing(t: Template, excess: int) -> Location | None:
    """The resource whose bytes, counted from the end, cover the excess: the last one that
    still fits is kept, so blame the first that does not."""
    total = 0
    for lid in reversed(t.resources):
        total += len(orjson.dumps(t.resources[lid], option=orjson.OPT_INDENT_2))
        if total >= excess:
            return t.blame.get(lid)
    return None


def _check_resource(t: Template, lid: str, place: Place,
                    report: Callable[[str, str], None]) -> None:
    r = t.resources[lid]
    props = r["Properties"]
    kind = r["Type"]
    if kind == "AWS::IAM::Role":
        trust = policy_size(props["AssumeRolePolicyDocument"], t, place)
        if trust > TRUST_POLICY_SIZE:
            report(f"`{lid}`'s trust policy is {trust:,} characters; IAM allows "
                   f"{TRUST_POLICY_SIZE:,} by default",
                   "spread the envers over more accounts or regions, or raise the account's "
                   "`Role trust policy length` quota and split nothing")
        inline = sum(policy_size(p["PolicyDocument"], t, place) for p in props.get("Policies", []))
        if inline > INLINE_POLICIES_SIZE:
            report(f"`{lid}`'s inline policies are {inline:,} characters; IAM allows "
                   f"{INLINE_POLICIES_SIZE:,} per role", "split the envers over more builds")
    elif kind == "AWS::IAM::ManagedPolicy":
        size = policy_size(props["PolicyDocument"], t, place)
        if size > MANAGED_POLICY_SIZE:
            report(f"`{lid}` is {size:,} characters; IAM allows {MANAGED_POLICY_SIZE:,} in a "
                   "managed policy", "shorten the paths it names")
    elif kind == "AWS::Events::Rule":
        pattern = pattern_length(props["EventPattern"])
        if pattern > EVENT_PATTERN_SIZE:
            report(f"`{lid}`'s event pattern is {pattern:,} characters; EventBridge allows "
                   f"{EVENT_PATTERN_SIZE:,}", "shorten the product paths it reads")
        if len(props["Targets"]) > TARGETS_PER_RULE:
            report(f"`{lid}` has {len(props['Targets'])} targets; EventBridge allows "
                   f"{TARGETS_PER_RULE} per rule", f"name at most {TARGETS_PER_RULE} targets")
    elif kind in ("AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy"):
        sqs = kind == "AWS::SQS::QueuePolicy"
        service = "SQS" if sqs else "SNS"
        doc = props["PolicyDocument"]
        size_limit, principals_limit, statements_limit = (
            (SQS_POLICY_SIZE, SQS_PRINCIPALS, SQS_STATEMENTS) if sqs
            else (SNS_POLICY_SIZE, SNS_PRINCIPALS, SNS_STATEMENTS))
        size = policy_size(doc, t, place)
        if size > size_limit:
            report(f"`{lid}` is {size:,} bytes; {service} allows {size_limit:,} in a policy",
                   "name fewer roles or topics")
        principals = principal_count(doc)
        if principals > principals_limit:
            report(f"`{lid}` names {principals} principals; {service} allows "
                   f"{principals_limit} in a policy", "name roles of fewer accounts")
        if len(doc["Statement"]) > statements_limit:
            report(f"`{lid}` has {len(doc['Statement'])} statements; {service} allows "
                   f"{statements_limit}", "this is a bug in the cloudformation backend")
