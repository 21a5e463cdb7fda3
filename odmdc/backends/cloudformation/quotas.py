"""The check that every cloudformation template fits AWS's quotas (`odmdc.backends.aws.quotas`
has the numbers and their sources): what does not fit is E601 on the enver or consumer whose
resource went over.

Why independent central build stacks rather than nested stacks under the root: a nested
hierarchy cannot create, update or delete more than 2,500 resources in one deployment, and a
5,000-enver org has more than that in each region (see `__init__.py`).
"""

from __future__ import annotations

from collections.abc import Callable

import orjson

from odmdc.backends.api import EmitContext
from odmdc.backends.aws.cfn import Template
from odmdc.backends.aws.quotas import (
    EVENT_PATTERN_SIZE,
    INLINE_POLICIES_SIZE,
    MANAGED_POLICY_SIZE,
    MAX_BODY,
    MAX_BODY_S3,
    MAX_DYNAMIC_REFERENCES,
    MAX_MAPPINGS,
    MAX_PARAMETERS,
    MAX_RESOURCES,
    SNS_POLICY_SIZE,
    SNS_PRINCIPALS,
    SNS_STATEMENTS,
    SQS_POLICY_SIZE,
    SQS_PRINCIPALS,
    SQS_STATEMENTS,
    TARGETS_PER_RULE,
    TRUST_POLICY_SIZE,
    Place,
    pattern_length,
    policy_size,
    principal_count,
)
from odmdc.compiler.ir import Location


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
