"""The AWS quotas generated artefacts must respect, and how AWS measures a policy against
them. Each backend checks its own output with these numbers (`cloudformation/quotas.py`,
`codepipeline/quotas.py`); what does not fit is E601 where it went over.

Each number is quoted from the AWS documentation it comes from (read 2026-11):

* CloudFormation, "Understand CloudFormation quotas"
  (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html):
  500 resources, 200 outputs, 200 parameters, 200 mappings per template; a template body of at
  most 51,200 bytes in a CreateStack/UpdateStack request, 1 MB from S3; 60 dynamic references
  per template; and "you can have a nested stack hierarchy with more than 2500 total resources,
  but you can't create, update, or delete more than 2500 of those resources in a single
  deployment — split the stack hierarchy into different stacks".
* IAM, "IAM and AWS STS quotas"
  (docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): a managed policy at
  most 6,144 characters, a role's inline policies together at most 10,240, a role trust policy
  at most 2,048 by default (adjustable) — whitespace not counted; 10 managed policies attached
  to a role (adjustable to 20; odmdc assumes the default).
* Amazon EventBridge quotas (docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html):
  an event pattern at most 2,048 characters (the default; adjustable), 5 targets per rule.
* Amazon SQS policy quotas (…/SQSDeveloperGuide/quotas-policies.html): 8,192 bytes, 50
  principals, 20 statements. Amazon SNS policy quotas
  (…/sns/latest/dg/sns-access-policy-language-api-permissions-reference.html): 30 KB, 200
  principals, 100 statements.
* CodePipeline, "Quotas in AWS CodePipeline": 2 to 50 stages in a pipeline, 1 to 50 actions
  in a stage, 500 actions in a pipeline, an action configuration value of at most 1,000
  characters.
* Systems Manager, "Parameter Store quotas": a standard parameter's value is at most 4 KB;
  10,000 standard parameters per account and region.

Account-level quotas (EventBridge rules per bus, IAM roles per account, stacks per region,
concurrent CodeBuild builds — all adjustable) depend on what else the account holds, so odmdc
cannot check them; each backend's docstring lists what an org needs.

Sizes of policies are those AWS will see: a `Ref` or `Fn::GetAtt` in a policy counts as the
longest ARN or URL it can resolve to (`resolved_length`), not as the short JSON object in the
template.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from odmdc.backends.aws.cfn import Json, Template
from odmdc.backends.aws.iam import compact

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
MANAGED_POLICIES_PER_ROLE = 10
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
# --- CodePipeline ---------------------------------------------------------------------------
MAX_STAGES = 50
MAX_ACTIONS_PER_STAGE = 50
MAX_ACTIONS = 500
MAX_CONFIGURATION_VALUE = 1_000
# --- Parameter Store ----------------------------------------------------------------------
PARAMETER_VALUE_SIZE = 4_096  # a standard-tier parameter

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


def policy_size(doc: Json, t: Template | None = None, place: Place | None = None) -> int:
    """Characters of a policy document as AWS counts them: no whitespace outside strings
    (compact JSON), and, given the template and where it is deployed, every `Ref`/`Fn::GetAtt`
    of one of its resources at its longest resolved length (a policy naming every resource by
    a literal ARN needs neither)."""
    text = compact(doc)
    size = len(text)
    if t is None or place is None:
        return size
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
