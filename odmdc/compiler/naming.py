"""Every generated name of SPEC §4, computed here and nowhere else.

The functions are pure and cheap: the IR stores their results once per enver, rules E105/E106
check them, and backends read them from the IR. `limit_problems` says which AWS or GitHub limit
a name breaks (E106).
"""

from __future__ import annotations

import hashlib
import re
from typing import Final, Literal

RevisionKind = Literal["branch", "tag"]

SHARE_ROOT: Final = "/odmd-share"
CONFIG_ROOT: Final = "/odmd-config"
DEFAULT_STACKS: Final = ("{build}--{rev}",)
KIND_TAGS: Final = {
    "cdk": "CdkGH",
    "container_image": "ContainerImageEcr",
    "cmd": "CmdsGH",
    "npm_package": "NpmPackGH",
}


# ---- revisions -----------------------------------------------------------------------------
def revision_path(kind: RevisionKind, value: str) -> str:
    """`b..<branch>` or `t..<tag>`."""
    return f"{'b' if kind == 'branch' else 't'}..{value}"


def clone_revision_path(origin_path: str, kind: RevisionKind, value: str) -> str:
    """`<origin path>-_<b|t>..<value>`, e.g. `b..master-_b..feature-x`."""
    return f"{origin_path}-_{revision_path(kind, value)}"


def stack_rev(kind: RevisionKind, value: str, path: str) -> str:
    """`{rev}` in a stack template: the branch value for a branch (clones too), the whole
    revision path for a tag or a tag clone."""
    return value if kind == "branch" else path


# ---- config store --------------------------------------------------------------------------
def product_path(build: str, rev_path: str, product: tuple[str, ...]) -> str:
    """`/odmd-share/<buildId>/<revision path>/<product>[/<child>…]`."""
    return "/".join((SHARE_ROOT, build, rev_path, *product))


def artifact_bucket_parameter(build: str, account_id: str | None = None) -> str:
    """`/odmd-config/<buildId>/buildArtifactBucketName[/<target account id>]`."""
    base = f"{CONFIG_ROOT}/{build}/buildArtifactBucketName"
    return f"{base}/{account_id}" if account_id else base


# ---- CloudFormation ------------------------------------------------------------------------
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")


def sanitise_stack_name(raw: str) -> str:
    """Non-alphanumerics → `-` (no collapsing); one leading `-` → `A`, one trailing → `Z`."""
    s = _NOT_ALNUM.sub("-", raw)
    if s.startswith("-"):
        s = "A" + s[1:]
    if s.endswith("-"):
        s = s[:-1] + "Z"
    return s


def stack_name(template: str, build: str, rev: str) -> str:
    return sanitise_stack_name(template.replace("{build}", build).replace("{rev}", rev))


# ---- IAM -----------------------------------------------------------------------------------
def role_path(build: str) -> str:
    return f"/{build}/"


def build_role_name(build: str, region: str, account_id: str) -> str:
    return f"{build}-{region}{account_id}-buildRole"


def center_role_name(build: str, region: str, account_id: str) -> str:
    return f"{build}-{region}{account_id}-centerRole"


def role_arn(partition: str, account_id: str, build: str, name: str) -> str:
    return role_arn_at(partition, account_id, role_path(build), name)


def role_arn_at(partition: str, account_id: str, path: str, name: str) -> str:
    return f"arn:{partition}:iam::{account_id}:role{path}{name}"


# ---- GitHub --------------------------------------------------------------------------------
def workflow_name(build: str, kind: str, region: str, account_alias: str) -> str:
    return f"ODMD_{build}-{KIND_TAGS[kind]}{region}-{account_alias}"


def workflow_file(build: str, kind: str, region: str, account_alias: str) -> str:
    """`ODMD_<buildId>-<KindTag><region>-<accountAlias>.yaml`."""
    return workflow_name(build, kind, region, account_alias) + ".yaml"


def workflow_secret(build: str, kind: str, region: str, account_alias: str) -> str:
    """`ODMD_SECRETS_<workflow name with [^A-Za-z0-9] → _>`."""
    return "ODMD_SECRETS_" + _NOT_ALNUM.sub("_", workflow_name(build, kind, region, account_alias))


def product_output_key(product: tuple[str, ...]) -> str:
    """The CloudFormation output a `cdk` enver's stacks give a product's value in: the product
    and child names split at every non-alphanumeric and joined in lowerCamelCase
    (`bus-src`/`ev-src` → `busSrcEvSrc`, `central-Vpc-Cidr` → `centralVpcCidr`), since output
    logical ids are alphanumeric only."""
    words = [w for part in product for w in _NOT_ALNUM.split(part) if w]
    if not words:
        return ""
    return words[0][:1].lower() + words[0][1:] + "".join(w[:1].upper() + w[1:] for w in words[1:])


# ---- CI engines ----------------------------------------------------------------------------
#: `repository_dispatch` event types the central template sends to a build's repository and its
#: workflows listen for: a consumed product changed (`redeploy`), or an approver released a
#: change held by `approve(...)`.
REDEPLOY_EVENT_TYPE: Final = "odmd-redeploy"
APPROVED_EVENT_TYPE: Final = "odmd-approved"

_NOT_PIPELINE = re.compile(r"[^A-Za-z0-9.@_-]")


def pipeline_name(build: str, rev_path: str, account_alias: str) -> str:
    """`ODMD_<buildId>-<revision path>-<accountAlias>`: one CodePipeline per enver (clones
    included), in the central account in the enver's region. Shaped like the workflow name
    (`ODMD_` prefix, account alias last); the revision path rather than the kind and region
    because a pipeline deploys one enver and pipelines are regional anyway. Characters CodePipeline
    does not allow become `-` (none can occur today: ids, revision paths and aliases are already
    within `[A-Za-z0-9._-]`)."""
    return _NOT_PIPELINE.sub("-", f"ODMD_{build}-{rev_path}-{account_alias}")


# ---- CodePipeline resources (the codepipeline backend) -------------------------------------
# Everything an enver's pipeline needs besides the pipeline itself lives in the central account
# and is named from the pipeline name, which is unique in the org. IAM role names (64), bucket
# names (63) and CodeBuild project names (150) are shorter than pipeline names (100) may be: a
# name that does not fit keeps its readable start and ends in a hash of the whole, so it stays
# unique and stable.
PIPELINE_ROLE_ROOT: Final = "/odmd-pipeline/"
_NOT_PROJECT = re.compile(r"[^A-Za-z0-9_-]")  # CodeBuild projects and SNS topics
_NOT_BUCKET = re.compile(r"[^a-z0-9]+")


def _digest(text: str, n: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def bounded(name: str, limit: int) -> str:
    """`name`, or, when longer than `limit`, its first characters, `-` and 8 hex digits of a
    hash of the whole name."""
    if len(name) <= limit:
        return name
    return f"{name[:limit - 9].rstrip('-')}-{_digest(name, 8)}"


def pipeline_role_path(build: str) -> str:
    """`/odmd-pipeline/<buildId>/`: the IAM path of a build's pipeline roles in the central
    account, apart from its center roles (path `/<buildId>/`) so that a trust naming this path
    cannot match a center role."""
    return f"{PIPELINE_ROLE_ROOT}{build}/"


def pipeline_role_name(pipeline: str, purpose: str) -> str:
    """A role of one enver's pipeline, `<pipeline name>-<purpose>`, within IAM's 64 characters
    (the pipeline name is shortened, never the purpose). Purposes: `pipeline` (the service
    role), `codebuild` (its CodeBuild projects), `approveN` (the N-th approval's approvers)."""
    return f"{bounded(pipeline, 64 - len(purpose) - 1)}-{purpose}"


def codebuild_project(pipeline: str, stage: str) -> str:
    """The CodeBuild project of one stage of a pipeline: `<pipeline name>-<stage>` with every
    character CodeBuild does not allow (`.`, `@`) as `-`, within 150 characters."""
    return f"{bounded(_NOT_PROJECT.sub('-', pipeline), 150 - len(stage) - 1)}-{stage}"


def approval_topic(pipeline: str, purpose: str) -> str:
    """The SNS topic an approval action of a pipeline notifies: `<pipeline name>-<purpose>`
    with `.` and `@` as `-` (SNS allows letters, digits, `-` and `_`), within 256 characters."""
    return f"{bounded(_NOT_PROJECT.sub('-', pipeline), 256 - len(purpose) - 1)}-{purpose}"


def pipeline_artifact_bucket(account_id: str, region: str, pipeline: str) -> str:
    """The S3 bucket holding one pipeline's artifacts (one per pipeline, so that no pipeline's
    roles can read or replace another's artifacts): `odmd-<pipeline name>-<hash>`, lower case,
    each run of other characters as one `-`, the name cut so that the whole fits S3's 63
    characters. The hash covers account, region and pipeline name, since bucket names are
    global; ending in it keeps the name clear of S3's reserved suffixes (`-s3alias`, …)."""
    stem = _NOT_BUCKET.sub("-", pipeline.lower().removeprefix("odmd_")).strip("-")
    digest = _digest(f"{account_id}/{region}/{pipeline}", 10)
    return f"odmd-{stem[:63 - 16].rstrip('-')}-{digest}"


# ---- ECR -----------------------------------------------------------------------------------
_NOT_ECR = re.compile(r"[^a-z0-9/-]")


def ecr_repository(build: str, rev_path: str, part: str) -> str:
    """lower-case `<buildId>/<revision path>/<repo part>`, then every character outside
    `[a-z0-9-/]` dropped (`b..master` → `bmaster`)."""
    return _NOT_ECR.sub("", f"{build}/{rev_path}/{part}".lower())


# ---- limits (E106) -------------------------------------------------------------------------
NameKind = Literal[
    "stack name", "role name", "role path", "parameter name", "ECR repository",
    "workflow file", "secret name", "pipeline name",
]

_STACK = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ROLE = re.compile(r"[\w+=,.@-]+")
_ROLE_PATH = re.compile(r"/(?:[\x21-\x7e]+/)?")
_PARAM = re.compile(r"[A-Za-z0-9_./-]+")
_ECR = re.compile(r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*")
_WORKFLOW_FILE = re.compile(r"[A-Za-z0-9._-]+\.ya?ml")
_SECRET = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PIPELINE = re.compile(r"[A-Za-z0-9.@_-]+")


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


def limit_problems(kind: NameKind, name: str) -> str | None:
    """Why `name` breaks the AWS/GitHub limit for its kind, or None."""
    if kind == "stack name":
        if len(name) > 128:
            return f"{len(name)} characters, more than 128"
        if not _STACK.fullmatch(name):
            return "must start with a letter and hold only letters, digits and `-`"
    elif kind == "role name":
        if len(name) > 64:
            return f"{len(name)} characters, more than 64"
        if not _ROLE.fullmatch(name):
            return "holds characters IAM does not allow in a role name"
    elif kind == "role path":
        if len(name) > 512 or not _ROLE_PATH.fullmatch(name):
            return "must be `/`-delimited printable ASCII of at most 512 characters"
    elif kind == "parameter name":
        if len(name) > 1011:
            return f"{len(name)} characters, more than 1011"
        levels = name.strip("/").count("/") + 1
        if levels > 15:
            return f"{levels} levels, more than 15"
        if not _PARAM.fullmatch(name):
            return "holds characters Parameter Store does not allow"
        first = name.lstrip("/").lower()
        if first.startswith(("aws", "ssm")):
            return "must not start with `aws` or `ssm`"
    elif kind == "ECR repository":
        if not 2 <= len(name) <= 256:
            return f"{len(name)} characters, not between 2 and 256"
        if not _ECR.fullmatch(name):
            return "after sanitising it is not a valid repository name (empty part or stray `-`)"
    elif kind == "workflow file" and (len(name) > 255 or not _WORKFLOW_FILE.fullmatch(name)):
        return "GitHub workflow files are at most 255 characters of letters, digits and `._-`"
    elif kind == "secret name" and (
        not _SECRET.fullmatch(name) or name.upper().startswith("GITHUB_")
    ):
        return "GitHub secret names are letters, digits and `_`, not starting with a digit"
    elif kind == "pipeline name":
        if len(name) > 100:
            return f"{len(name)} characters, more than 100"
        if not _PIPELINE.fullmatch(name):
            return "holds characters CodePipeline does not allow in a pipeline name"
    return None
