"""IAM policy documents: statements built so that the output never depends on the order things
were found in, and documents measured as IAM measures them."""

from __future__ import annotations

from typing import Final

import orjson

from odmdc.backends.aws.cfn import Json

IAM_VERSION: Final = "2012-10-17"


def statement(sid: str, actions: list[str], resources: list[Json] | Json | None, *,
              effect: str = "Allow", principal: Json | None = None,
              condition: Json | None = None) -> dict[str, Json]:
    """One policy statement; lists of actions and resources are sorted and deduplicated.
    `resources` None: a trust policy's statement, which names no resource; a list may hold
    intrinsics (`{"Fn::GetAtt": …}`) as well as ARNs."""
    s: dict[str, Json] = {"Sid": sid, "Effect": effect}
    if principal is not None:
        s["Principal"] = principal
    acts = sorted(set(actions))
    s["Action"] = acts if len(acts) > 1 else acts[0]
    if isinstance(resources, list):
        res = _sorted_unique(resources)
        s["Resource"] = res if len(res) > 1 else res[0]
    elif resources is not None:
        s["Resource"] = resources
    if condition:
        s["Condition"] = condition
    return s


def _sorted_unique(items: list[Json]) -> list[Json]:
    unique = {orjson.dumps(i, option=orjson.OPT_SORT_KEYS): i for i in items}
    return [unique[k] for k in sorted(unique)]


def document(*statements: dict[str, Json]) -> dict[str, Json]:
    return {"Version": IAM_VERSION, "Statement": list(statements)}


def account_root(partition: str, account: str) -> str:
    return f"arn:{partition}:iam::{account}:root"


def principals(partition: str, role_arns: tuple[str, ...]) -> Json:
    """The accounts of some roles, as a resource policy principal; the roles themselves go in
    an `aws:PrincipalArn` condition (a role ARN as principal must exist when the policy is
    written, and stops matching if the role is re-created)."""
    roots = sorted({account_root(partition, r.split(":")[4]) for r in role_arns})
    return {"AWS": roots if len(roots) > 1 else roots[0]}


def compact(doc: Json) -> bytes:
    """A literal policy document as IAM measures it: without whitespace outside strings."""
    return orjson.dumps(doc)
