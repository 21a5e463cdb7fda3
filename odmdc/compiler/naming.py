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


_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]")


def clone_enver_name(branch: str) -> str:
    """The enver name of the clone a commit command makes on `branch` (addressable as
    `<build>.<name>`): the branch with every character an enver name cannot hold replaced by
    `-`, and `_` in front when it would not start with a letter or `_`. `feature-x` →
    `feature-x`, `fix.login` → `fix-login`, `1.2-hotfix` → `_1-2-hotfix`."""
    name = _NOT_NAME.sub("-", branch)
    return name if name[:1].isalpha() or name[:1] == "_" else "_" + name


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


def clone_records_path(build: str) -> str:
    """`/odmd-config/<buildId>/clones`: the Parameter Store folder (central account, the
    origin's region) holding one record per clone made by a commit command."""
    return f"{CONFIG_ROOT}/{build}/clones"


def clone_record(build: str, branch: str) -> str:
    """`/odmd-config/<buildId>/clones/<branch>`: the record of the commit-command clone on
    `branch`; its value is the origin's revision path. The workflow writes it on `odmd:
    create@…` and deletes it on `odmd: delete`."""
    return f"{clone_records_path(build)}/{branch}"


# ---- run-time clones: the names they can get, as IAM wildcard patterns ---------------------
# A clone made by a commit command (`odmd: create@<origin>` on branch B) exists nowhere in the
# contracts, so the roles that deploy it cannot list its names. Each function below gives the
# pattern matching every name such a clone of an origin can get, whatever its branch: the
# formula above with IAM's `*` (any run of characters) where the branch goes. The sanitisers
# work character by character, so a name's fixed parts are sanitised on their own.
WILDCARD: Final = "*"


def clone_records_pattern(build: str) -> str:
    """`/odmd-config/<buildId>/clones/*`: every clone record of a build."""
    return clone_record(build, WILDCARD)


def clone_product_pattern(build: str, origin_path: str, product: tuple[str, ...]) -> str:
    """`/odmd-share/<buildId>/<origin path>-_b..*/<product>[/<child>…]`: the path of one
    product in every clone of the origin made on a branch."""
    rev = clone_revision_path(origin_path, "branch", WILDCARD)
    return product_path(build, rev, product)


def clone_stack_pattern(template: str, build: str) -> str | None:
    """Every stack name `template` (a `stacks` entry) gives a branch clone of an enver of
    `build`: the template's fixed text sanitised as `sanitise_stack_name` does it — a leading
    `-` becomes `A`, a trailing one `Z`, where that fixed text is at the edge of the name —
    and `*` for each `{rev}`, which becomes the sanitised branch. None when the template has no
    `{rev}`: such an enver cannot be cloned."""
    parts = template.replace("{build}", build).split("{rev}")
    if len(parts) == 1:
        return None
    fixed = [_NOT_ALNUM.sub("-", p) for p in parts]
    if fixed[0].startswith("-"):
        fixed[0] = "A" + fixed[0][1:]
    if fixed[-1].endswith("-"):
        fixed[-1] = fixed[-1][:-1] + "Z"
    return WILDCARD.join(fixed)


def clone_repository_pattern(build: str, origin_path: str, part: str) -> str:
    """`<buildId>/<origin path>-_b..*/<repo part>`, ECR-sanitised piece by piece (`b..master`
    → `orders/bmaster-b*/web`): the repository of one image in every branch clone of the
    origin."""
    head = sanitise_ecr(f"{build}/{clone_revision_path(origin_path, 'branch', '')}")
    return f"{head}{WILDCARD}{sanitise_ecr('/' + part)}"


_NOT_PIPELINE = re.compile(r"[^A-Za-z0-9.@_-]")
_NOT_EXPORT = re.compile(r"[^A-Za-z0-9:-]")


def central_export(org: str, what: str) -> str:
    """`odmd:<org>:<what>`: a CloudFormation export of the central account's regional stack
    (export names are unique per account and region, and hold letters, digits, `-`, `:`)."""
    return _NOT_EXPORT.sub("-", f"odmd:{org}:{what}")


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


def release_pipeline_name(org: str) -> str:
    """`ODMD_<org>-release`: the org's release pipeline (codepipeline backend), in the central
    account, its stages the phases of `odmdc plan`."""
    return bounded(_NOT_PIPELINE.sub("-", f"ODMD_{org}-release"), 100)


def release_batch_parameter(org: str, phase: int, batch: int) -> str:
    """`/odmd-release/<org>/phase-<P>/batch-<B>`: the Parameter Store parameter (central
    account, release region) listing the steps one action of a batched release pipeline runs
    (the `B`-th batch of plan phase `P`). Apart from `/odmd-share/`, where products live."""
    return f"/odmd-release/{_NOT_PARAM.sub('-', org)}/phase-{phase}/batch-{batch}"


def release_role_path() -> str:
    """`/odmd-pipeline/`: the release pipeline's roles belong to no build."""
    return PIPELINE_ROLE_ROOT


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


def build_artifact_bucket(build: str, account_id: str, region: str) -> str:
    """The artefact bucket of a build in one target account and region (s3artifact products,
    whatever else the build stores): `odmd-<buildId>-<region>-<hash>`, lower case, each run of
    other characters as one `-`, the build id cut so that the whole fits S3's 63 characters.
    Its name is published at `artifact_bucket_parameter` in that account and region. The hash
    covers build, account and region (bucket names are global, and the account is not spelled
    out); ending in it keeps the name clear of S3's reserved suffixes."""
    digest = _digest(f"artifacts/{build}/{account_id}/{region}", 10)
    room = 63 - len("odmd-") - len(region) - len(digest) - 2
    stem = _NOT_BUCKET.sub("-", build.lower()).strip("-")[:room].rstrip("-") or "build"
    return f"odmd-{stem}-{region}-{digest}"


# ---- ECR -----------------------------------------------------------------------------------
_NOT_ECR = re.compile(r"[^a-z0-9/-]")


def sanitise_ecr(raw: str) -> str:
    """Lower-case, then every character outside `[a-z0-9-/]` dropped."""
    return _NOT_ECR.sub("", raw.lower())


def ecr_repository(build: str, rev_path: str, part: str) -> str:
    """lower-case `<buildId>/<revision path>/<repo part>`, then every character outside
    `[a-z0-9-/]` dropped (`b..master` → `bmaster`)."""
    return sanitise_ecr(f"{build}/{rev_path}/{part}")


# ---- limits (E106) -------------------------------------------------------------------------
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
