"""The formulas of every name the platform defines and several backends share
(docs/names.md), computed here and nowhere else.

The functions are pure and cheap: `checker/names.py` applies them once per enver for the IR
and rules E105/E106, and backends read the results from the IR. Names only one backend uses
are that backend's (`odmdc/backends/codepipeline/names.py`); the limits AWS and GitHub set on
names are `name_limits`.
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


# ---- clone records ----------------------------------------------------------------------------


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


# ---- S3 ------------------------------------------------------------------------------------
_NOT_BUCKET = re.compile(r"[^a-z0-9]+")


def digest(text: str, n: int) -> str:
    """`n` hex digits of a hash of `text`: what keeps a shortened name unique and stable."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def build_artifact_bucket(build: str, account_id: str, region: str) -> str:
    """The artefact bucket of a build in one target account and region (s3artifact products,
    whatever else the build stores): `odmd-<buildId>-<region>-<hash>`, lower case, each run of
    other characters as one `-`, the build id cut so that the whole fits S3's 63 characters.
    Its name is published at `artifact_bucket_parameter` in that account and region. The hash
    covers build, account and region (bucket names are global, and the account is not spelled
    out); ending in it keeps the name clear of S3's reserved suffixes."""
    tail = digest(f"artifacts/{build}/{account_id}/{region}", 10)
    room = 63 - len("odmd-") - len(region) - len(tail) - 2
    stem = _NOT_BUCKET.sub("-", build.lower()).strip("-")[:room].rstrip("-") or "build"
    return f"odmd-{stem}-{region}-{tail}"


# ---- ECR -----------------------------------------------------------------------------------
_NOT_ECR = re.compile(r"[^a-z0-9/-]")


def sanitise_ecr(raw: str) -> str:
    """Lower-case, then every character outside `[a-z0-9-/]` dropped."""
    return _NOT_ECR.sub("", raw.lower())


def ecr_repository(build: str, rev_path: str, part: str) -> str:
    """lower-case `<buildId>/<revision path>/<repo part>`, then every character outside
    `[a-z0-9-/]` dropped (`b..master` → `bmaster`)."""
    return sanitise_ecr(f"{build}/{rev_path}/{part}")
