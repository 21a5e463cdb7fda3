"""A CloudFormation template under construction, and the vocabulary every template shares:
stable logical ids, intrinsic functions, justified checkov skips and the placement rule.

Logical ids are derived only from what a resource *is* (e.g. build and account of a center
role), never from its position or from other resources, so adding an enver never renames
another enver's resources — a renamed logical id makes CloudFormation replace the resource,
and for named ones (roles) the replacement fails on the name it still holds.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Final

from odmdc.compiler.location import Location

Json = Any  # a JSON-shaped value: dict, list, str, int, bool

FORMAT_VERSION: Final = "2010-09-09"
#: (DeletionPolicy, UpdateReplacePolicy) of what outlives its stack
RETAIN: Final = ("Retain", "Retain")
DELETE: Final = ("Delete", "Delete")
_WORDS = re.compile(r"[A-Za-z0-9]+")


def logical_id(prefix: str, *key: str, label: str | None = None) -> str:
    """`<Prefix><CamelLabel><HASH>`: readable (the label, by default the whole key), and unique
    because the 8-hex hash covers the exact key (`a-b` and `a_b` camel-case alike)."""
    words = _WORDS.findall(label) if label is not None else [
        w for part in key for w in _WORDS.findall(part)]
    camel = "".join(w[:1].upper() + w[1:] for w in words)
    digest = hashlib.sha256("\0".join(key).encode()).hexdigest()[:8]
    return f"{prefix}{camel}"[:200] + digest.upper()


def ref(name: str) -> Json:
    return {"Ref": name}


def get_att(name: str, attribute: str = "Arn") -> Json:
    return {"Fn::GetAtt": [name, attribute]}


def sub(text: str) -> Json:
    return {"Fn::Sub": text}


def import_value(export: str) -> Json:
    return {"Fn::ImportValue": export}


@dataclass(frozen=True, slots=True)
class Skip:
    """A checkov check suppressed on one resource, with the reason: every suppression is
    justified in the resource's Metadata (docs/validators.md)."""

    check: str
    reason: str


SSE_SQS = Skip(
    "CKV_AWS_27",
    "Encrypted at rest with SSE-SQS (`SqsManagedSseEnabled`); checkov's check only knows "
    "`KmsMasterKeyId`. SSE-SQS lets EventBridge and approvers in other accounts send without "
    "grants on a customer key, which a KMS-encrypted queue would require of each of them.",
)


@dataclass
class Template:
    description: str
    metadata: dict[str, Json] = field(default_factory=dict)
    rules: dict[str, Json] = field(default_factory=dict)
    parameters: dict[str, dict[str, Json]] = field(default_factory=dict)
    mappings: dict[str, dict[str, Json]] = field(default_factory=dict)
    resources: dict[str, dict[str, Json]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Json]] = field(default_factory=dict)
    #: resource → the enver, consumer or build it is there for (quota errors point at it);
    #: never written out
    blame: dict[str, Location] = field(default_factory=dict)

    def add(self, lid: str, type_: str, properties: dict[str, Json], *,
            skips: tuple[Skip, ...] = (), notes: dict[str, Json] | None = None,
            depends_on: list[str] | None = None,
            policies: tuple[str, str] | None = None, blame: Location | None = None) -> str:
        """Add a resource; `notes` land in its Metadata under `odmdc` (why it looks as it
        does), `policies` sets (DeletionPolicy, UpdateReplacePolicy), `blame` is what a quota
        error about it points at."""
        if lid in self.resources:
            raise ValueError(f"duplicate logical id {lid}")  # an internal bug, never user input
        res: dict[str, Json] = {"Type": type_, "Properties": properties}
        meta: dict[str, Json] = {}
        if skips:
            meta["checkov"] = {"skip": [{"id": s.check, "comment": s.reason}
                                        for s in sorted(skips, key=lambda s: s.check)]}
        if notes:
            meta["odmdc"] = notes
        if meta:
            res["Metadata"] = meta
        if depends_on:
            res["DependsOn"] = sorted(depends_on)
        if policies:
            res["DeletionPolicy"], res["UpdateReplacePolicy"] = policies
        self.resources[lid] = res
        if blame is not None:
            self.blame[lid] = blame
        return lid

    def output(self, lid: str, value: Json, description: str, *,
               export: str | None = None) -> None:
        self.outputs[lid] = {"Description": description[:1024], "Value": value}
        if export is not None:
            self.outputs[lid]["Export"] = {"Name": export}

    def body(self) -> dict[str, Json]:
        doc: dict[str, Json] = {
            "AWSTemplateFormatVersion": FORMAT_VERSION,
            "Description": self.description[:1024],
        }
        if self.metadata:
            doc["Metadata"] = self.metadata
        if self.parameters:
            doc["Parameters"] = self.parameters
        if self.mappings:
            doc["Mappings"] = self.mappings
        if self.rules:
            doc["Rules"] = self.rules
        doc["Resources"] = self.resources
        if self.outputs:
            doc["Outputs"] = self.outputs
        return doc


def placement_rule(account: str, region: str) -> dict[str, Json]:
    """A template-level Rule: CloudFormation refuses to create the stack anywhere but the
    account and region it was compiled for (its ARNs are literal)."""
    return {"Placement": {"Assertions": [
        {"Assert": {"Fn::Equals": [ref("AWS::AccountId"), account]},
         "AssertDescription": f"this template is for account {account}"},
        {"Assert": {"Fn::Equals": [ref("AWS::Region"), region]},
         "AssertDescription": f"this template is for region {region}"},
    ]}}
