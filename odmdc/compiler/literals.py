"""Is a `default` literal a valid value of a product type? (docs/language.md#product-types, rules
E203 and E501.)

Each check returns None when the value is fine, or a short reason phrased to follow
"not a valid <type>: ". Kept strict where the platform would fail later anyway: a CIDR with
host bits set is rejected by VPC and IPAM APIs, so it is rejected here.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from odmdc.compiler import ast
from odmdc.compiler.regions import is_known_region

ARN = re.compile(
    r"arn:(?P<partition>aws|aws-cn|aws-us-gov|aws-iso(?:-[a-z])?|aws-eusc)"
    r":(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):(?P<account>\d{12}|aws|):(?P<resource>.+)"
)
SECRET_RESOURCE = re.compile(r"secret:[A-Za-z0-9/_+=.@-]+")
ACCOUNT = re.compile(r"\d{12}")
IMAGE_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
# <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<name>, or a bare repository name
IMAGE_REPO = re.compile(
    r"(?:\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/)?"
    r"[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*"
)


def _string(v: str) -> str | None:
    return None


def _url(v: str) -> str | None:
    parts = urlsplit(v)
    if not parts.scheme or not parts.netloc:
        return "a URL needs a scheme and a host, e.g. `https://example.com/path`"
    return None


def _arn(v: str) -> str | None:
    if not ARN.fullmatch(v):
        return "an ARN looks like `arn:aws:<service>:<region>:<account>:<resource>`"
    return None


def _secret(v: str) -> str | None:
    m = ARN.fullmatch(v)
    if not m or m["service"] != "secretsmanager" or not SECRET_RESOURCE.fullmatch(m["resource"]):
        return (
            "a secret is a Secrets Manager ARN, "
            "`arn:aws:secretsmanager:<region>:<account>:secret:<name>`"
        )
    return None


def _cidr(v: str) -> str | None:
    if "/" not in v:
        return "a CIDR needs a prefix length, e.g. `10.0.0.0/16`"
    try:
        ipaddress.ip_network(v, strict=True)
    except ValueError as e:
        return str(e)
    return None


def _account(v: str) -> str | None:
    return None if ACCOUNT.fullmatch(v) else "an AWS account id is 12 digits"


def _region(v: str) -> str | None:
    return None if is_known_region(v) else "not a known AWS region"


def _image_repo(v: str) -> str | None:
    if not IMAGE_REPO.fullmatch(v):
        return "an image repository is an ECR URI or a lower-case repository name"
    return None


def _image_digest(v: str) -> str | None:
    return None if IMAGE_DIGEST.fullmatch(v) else "an image digest is `sha256:` and 64 hex digits"


def _json(v: str) -> str | None:
    try:
        json.loads(v)
    except ValueError as e:
        return f"not JSON ({e})"
    return None


_STRING_CHECKS: dict[str, Callable[[str], str | None]] = {
    "string": _string,
    "url": _url,
    "schema": _url,
    "arn": _arn,
    "secret": _secret,
    "cidr": _cidr,
    "account": _account,
    "region": _region,
    "image_repo": _image_repo,
    "image_digest": _image_digest,
    "json": _json,
}


def check_literal(type_name: str, lit: ast.LiteralValue) -> str | None:
    """None if `lit` is a valid value of `type_name`, else why not."""
    if type_name == "number":
        return None if isinstance(lit, ast.Number) else "expected a number literal"
    if type_name == "bool":
        return None if isinstance(lit, ast.Bool) else "expected `true` or `false`"
    if type_name == "json" and isinstance(lit, ast.Number | ast.Bool):
        return None  # a JSON scalar written without quotes
    if not isinstance(lit, ast.Str):
        return "expected a string literal"
    check = _STRING_CHECKS.get(type_name)
    return check(lit.value) if check else None


def literal_text(lit: ast.LiteralValue) -> str:
    """The value as the config store holds it (SSM parameters are strings)."""
    if isinstance(lit, ast.Bool):
        return "true" if lit.value else "false"
    if isinstance(lit, ast.Number):
        return lit.text
    return lit.value
