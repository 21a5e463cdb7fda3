"""Options of the `github_actions` backend and CI engine (an org's `backend github_actions { … }`
block): how its workflows build, and how the central stacks' reactions reach GitHub
(`repository_dispatch`).

Every option has a default, so `odmdc compile` works without configuration.
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from odmdc.backends.api import HTTPS_URL, BackendOptions

_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_NODE = re.compile(r"\d+(?:\.\d+){0,2}|lts/\*")
_SEMVER = re.compile(r"\d+\.\d+\.\d+")
_SCRIPT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,99}")
_SECRET_NAME = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}")
_SECRET_ARN = re.compile(
    r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}")
_JSON_KEY = re.compile(r"[^:]{1,256}")


class GitHubDispatchOptions(BackendOptions):
    """The github_actions CI engine's options: how the central stacks' reactions reach
    GitHub (its part of the `backend github_actions { … }` block)."""

    github_token_secret: str = Field(
        default="odmd/github-token",
        description="Secrets Manager secret (name, or ARN for another account) in the central "
        "account, in every region that has a central root stack, holding the GitHub token the "
        "central stacks' EventBridge connection sends as `Authorization: Bearer …` to create "
        "`repository_dispatch` events (a fine-grained token with `contents: write` on the "
        "org's build repositories). Only referenced, never read by odmdc; CloudFormation "
        "resolves it when the central stack is deployed, so a rotated token needs a stack "
        "update.",
    )
    github_token_json_key: str | None = Field(
        default=None,
        description="When the secret is a JSON object: the key holding the token. Unset: the "
        "whole secret string is the token.",
    )
    github_api_url: str = Field(
        default="https://api.github.com",
        description="GitHub's REST API root; `https://HOST/api/v3` for GitHub Enterprise "
        "Server.",
    )
    dispatch_rate_limit: int = Field(
        default=10, ge=1, le=300,
        description="Most `repository_dispatch` calls per second each API destination makes "
        "(GitHub's secondary rate limits punish bursts).",
    )

    @field_validator("github_token_secret")
    @classmethod
    def _secret_id(cls, v: str) -> str:
        if not (_SECRET_NAME.fullmatch(v) or _SECRET_ARN.fullmatch(v)):
            raise ValueError("a Secrets Manager secret name (letters, digits and `/_+=.@-`, "
                             "at most 512 characters) or secret ARN")
        return v

    @field_validator("github_token_json_key")
    @classmethod
    def _json_key(cls, v: str | None) -> str | None:
        if v is not None and not _JSON_KEY.fullmatch(v):
            raise ValueError("a JSON key of 1 to 256 characters without `:`")
        return v

    @field_validator("github_api_url")
    @classmethod
    def _api_url(cls, v: str) -> str:
        if not HTTPS_URL.fullmatch(v):
            raise ValueError("an https:// URL such as `https://api.github.com`")
        return v.rstrip("/")


class GithubActionsOptions(GitHubDispatchOptions):
    """The github_actions backend's options: the engine's, and how its workflows build."""

    runner: str = Field(
        default="ubuntu-24.04",
        description="`runs-on` label of every job: a GitHub-hosted Ubuntu image or a "
        "self-hosted runner's label. The steps need bash, python3, git, the AWS CLI v2 and, for "
        "`container_image` builds, docker, as GitHub's Ubuntu images have.",
    )
    node_version: str = Field(
        default="22",
        description="Node.js that `cdk` and `npm_package` builds run with (actions/setup-node "
        "`node-version`): a major, `major.minor[.patch]` or `lts/*`.",
    )
    cdk_cli_version: str = Field(
        default="2.1148.1",
        description="Exact `aws-cdk` CLI version `cdk` builds deploy with (`npx aws-cdk@…`); "
        "the CLI reads cloud assemblies of every aws-cdk-lib 2.x app.",
    )
    timeout_minutes: int = Field(
        default=60, ge=1, le=360,
        description="`timeout-minutes` of the deploy and delete jobs (GitHub's own maximum is "
        "360).",
    )
    build_script: str = Field(
        default="odmd-build.sh",
        description="The script, in each work directory, that a `cmd` build runs (with bash) "
        "and that builds a `container_image` build's images when it is present.",
    )
    delete_script: str = Field(
        default="odmd-delete.sh",
        description="The script a `cmd` clone's `odmd: delete` runs, when the repository has "
        "one, to remove what its build script made.",
    )
    npm_registry: str = Field(
        default="https://npm.pkg.github.com",
        description="Registry `npm_package` builds publish to. GitHub Packages authenticates "
        "with the job's GITHUB_TOKEN (`packages: write`); any other registry with the "
        "repository secret named like the workflow (`ODMD_SECRETS_…`, docs/names.md).",
    )

    @field_validator("runner")
    @classmethod
    def _runner(cls, v: str) -> str:
        if not _LABEL.fullmatch(v):
            raise ValueError("a runner label: letters, digits and `._-`, e.g. `ubuntu-24.04`")
        return v

    @field_validator("node_version")
    @classmethod
    def _node(cls, v: str) -> str:
        if not _NODE.fullmatch(v):
            raise ValueError("a Node.js version such as `22`, `22.11` or `lts/*`")
        return v

    @field_validator("cdk_cli_version")
    @classmethod
    def _cdk(cls, v: str) -> str:
        if not _SEMVER.fullmatch(v):
            raise ValueError("an exact version such as `2.1148.1`")
        return v

    @field_validator("build_script", "delete_script")
    @classmethod
    def _script(cls, v: str) -> str:
        if not _SCRIPT.fullmatch(v):
            raise ValueError("a file name in the work directory: letters, digits and `._-`")
        return v

    @field_validator("npm_registry")
    @classmethod
    def _registry(cls, v: str) -> str:
        if not HTTPS_URL.fullmatch(v):
            raise ValueError("an https:// registry URL such as `https://registry.npmjs.org`")
        return v.rstrip("/")

    @property
    def github_packages(self) -> bool:
        return self.npm_registry == "https://npm.pkg.github.com"
