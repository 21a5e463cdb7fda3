"""The limits AWS and GitHub set on each kind of generated name, and which one a name breaks:
rule E106 checks the shared names with them, a backend its own (docs/names.md)."""

from __future__ import annotations

import re
from typing import Final, Literal

NameKind = Literal[
    "stack name", "role name", "role path", "parameter name", "ECR repository",
    "workflow file", "secret name", "pipeline name",
]

# the characters each kind of name may not hold
_NOT_STACK = re.compile(r"[^A-Za-z0-9-]")
_NOT_ROLE = re.compile(r"[^\w+=,.@-]", re.ASCII)
_NOT_PRINTABLE = re.compile(r"[^\x21-\x7e]")
_NOT_PARAM = re.compile(r"[^A-Za-z0-9_./-]")
# botocore's `ecr.CreateRepository` pattern for `repositoryName`
_ECR = re.compile(
    r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*"
)
_NOT_FILE = re.compile(r"[^A-Za-z0-9._-]")
_NOT_PIPELINE = re.compile(r"[^A-Za-z0-9.@_-]")
_NOT_SECRET = re.compile(r"[^A-Za-z0-9_]")

#: The longest name of each kind AWS or GitHub accepts (secret names have no documented one).
MAX_LENGTH: Final[dict[NameKind, int]] = {
    "stack name": 128,
    "role name": 64,
    "role path": 512,
    "parameter name": 1011,
    "ECR repository": 256,
    "workflow file": 255,
    "pipeline name": 100,
}
MAX_PARAMETER_LEVELS: Final = 15
_OWNER: Final[dict[NameKind, str]] = {
    "stack name": "CloudFormation",
    "role name": "IAM",
    "role path": "IAM",
    "parameter name": "Parameter Store",
    "ECR repository": "ECR",
    "workflow file": "a file name",
    "secret name": "GitHub",
    "pipeline name": "CodePipeline",
}

LIMITS: Final[dict[NameKind, str]] = {
    "stack name": "at most 128 characters, a letter first, then letters, digits and `-`",
    "role name": "at most 64 characters of letters, digits and `+=,.@_-`",
    "role path": "at most 512 characters, starting and ending with `/`",
    "parameter name": "at most 1011 characters and 15 levels, letters, digits and `_.-/`, "
    "not starting with `aws` or `ssm`",
    "ECR repository": "2 to 256 lower-case characters: letters, digits, separators `._-` "
    "between them, `/` between path parts",
    "workflow file": "at most 255 characters of letters, digits and `._-`, ending `.yaml`",
    "secret name": "letters, digits and `_`, not starting with a digit or `GITHUB_`",
    "pipeline name": "at most 100 characters of letters, digits and `.@_-`",
}


def _stray(name: str, disallowed: re.Pattern[str]) -> str | None:
    """The first character of `name` that `disallowed` matches."""
    m = disallowed.search(name)
    return m.group() if m else None


def limit_problems(kind: NameKind, name: str) -> str | None:
    """Why `name` breaks the AWS/GitHub limit for its kind, or None.

    The reason follows the name in a sentence: "stack name `x` <reason>"."""
    owner = _OWNER[kind]
    limit = MAX_LENGTH.get(kind)
    if limit is not None and len(name) > limit:
        return f"is {len(name)} characters long, more than the {limit} {owner} allows"
    if kind == "stack name":
        if not name:
            return "is empty"
        if not name[0].isascii() or not name[0].isalpha():
            return f"starts with `{name[0]}`; CloudFormation stack names start with a letter"
        bad = _stray(name, _NOT_STACK)
        if bad is not None:
            return f"holds `{bad}`; CloudFormation allows only letters, digits and `-`"
    elif kind == "role name":
        bad = _stray(name, _NOT_ROLE)
        if not name or bad is not None:
            return f"holds `{bad}`, which IAM does not allow in a role name" if bad else \
                "is empty"
    elif kind == "role path":
        if name != "/" and not (len(name) > 2 and name[0] == name[-1] == "/"
                                and _stray(name, _NOT_PRINTABLE) is None):
            return "must be `/`, or printable ASCII starting and ending with `/`"
    elif kind == "parameter name":
        levels = name.strip("/").count("/") + 1
        if levels > MAX_PARAMETER_LEVELS:
            return f"has {levels} levels, more than the {MAX_PARAMETER_LEVELS} {owner} allows"
        bad = _stray(name, _NOT_PARAM)
        if not name or bad is not None:
            return f"holds `{bad}`, which {owner} does not allow" if bad else "is empty"
        if name.lstrip("/").lower().startswith(("aws", "ssm")):
            return f"starts with `{name.lstrip('/')[:3]}`, a prefix {owner} reserves"
    elif kind == "ECR repository":
        if len(name) < 2:
            return f"is {len(name)} characters long; ECR needs at least 2"
        if not _ECR.fullmatch(name):
            return ("is not a valid ECR repository name: each `/`-separated part must start "
                    "and end with a letter or digit")
    elif kind == "workflow file":
        bad = _stray(name, _NOT_FILE)
        if bad is not None:
            return f"holds `{bad}`; workflow file names are letters, digits and `._-`"
        if not name.endswith((".yaml", ".yml")):
            return "must end with `.yaml`"
    elif kind == "secret name":
        bad = _stray(name, _NOT_SECRET)
        if bad is not None:
            return f"holds `{bad}`; GitHub secret names are letters, digits and `_`"
        if not name or name[0].isdigit():
            return "must start with a letter or `_`"
        if name.upper().startswith("GITHUB_"):
            return "starts with `GITHUB_`, a prefix GitHub reserves"
    elif kind == "pipeline name":
        bad = _stray(name, _NOT_PIPELINE)
        if not name or bad is not None:
            return f"holds `{bad}`, which {owner} does not allow" if bad else "is empty"
    return None
