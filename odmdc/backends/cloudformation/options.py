"""Options of the `cloudformation` backend (an org's `backend cloudformation { … }` block).

How reactions reach the CI engine (e.g. GitHub's API and token) are the engine's options, in
its own block (`backend github_actions { … }`)."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from odmdc.backends.api import BackendOptions


class CloudFormationOptions(BackendOptions):
    cdk_qualifier: str = Field(
        default="hnb659fds",
        description="The CDK bootstrap qualifier of the target accounts: build roles may "
        "assume `cdk-<qualifier>-{deploy,file-publishing,image-publishing,lookup}-role-"
        "<account>-<region>`.",
    )

    @field_validator("cdk_qualifier")
    @classmethod
    def _qualifier(cls, v: str) -> str:
        # CDK's own rule for qualifiers (`cdk bootstrap --qualifier`)
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,10}", v):
            raise ValueError("1 to 10 letters, digits, `_` or `-`")
        return v
