"""Options of the `cloudformation` backend (an org's `backend cloudformation { … }` block)."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from odmdc.backends.api import BackendOptions

_SECRET_NAME = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}")
_SECRET_ARN = re.compile(
    r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}")
_JSON_KEY = re.compile(r"[^:]{1,256}")


class CloudFormationOptions(BackendOptions):
    github_token_secret: str = Field(
        default="odmd/github-token",
        description="Secrets Manager secret (name, or ARN for another account) in the central "
        "account, in every region that has a central root stack, holding the GitHub token the "
        "EventBridge connection sends as `Authorization: Bearer …` to create "
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
    cdk_qualifier: str = Field(
        default="hnb659fds",
        description="The CDK bootstrap qualifier of the target accounts: build roles may "
        "assume `cdk-<qualifier>-{deploy,file-publishing,image-publishing,lookup}-role-"
        "<account>-<region>`.",
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
        if not re.fullmatch(r"https://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~/-]*)?", v):
            raise ValueError("an https:// URL such as `https://api.github.com`")
        return v.rstrip("/")

    @field_validator("cdk_qualifier")
    @classmethod
    def _qualifier(cls, v: str) -> str:
        # CDK's own rule for qualifiers (`cdk bootstrap --qualifier`)
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,10}", v):
            raise ValueError("1 to 10 letters, digits, `_` or `-`")
        return v
