"""The codepipeline backend's options (the org's `backend codepipeline { … }` block).

Every option has a default except `connections`: a CodeStar connection is made by hand in the
console (it needs an OAuth handshake with GitHub), in the central account, once per region, so
nothing can guess its ARN. It is a required option rather than a template parameter because
the pipeline's `CreatePipeline` input (`*.pipeline.json`) is literal JSON: without it, checking
the org reports E004 on the org; an enver in a region none of the connections is in is E601 at
that enver. A list rather than a map because each ARN names its region:

    backend codepipeline {
      connections = ["arn:aws:codeconnections:us-east-1:111122223333:connection/…"]
    }
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from odmdc.backends.api import HTTPS_URL, BackendOptions
from odmdc.compiler.regions import is_known_region

CONNECTION_ARN = re.compile(
    r"arn:(aws[a-z-]*):(codestar-connections|codeconnections):([a-z0-9-]+):(\d{12}):"
    r"connection/[A-Za-z0-9-]+"
)
# CloudWatch Logs accepts only these retention periods
LogRetention = Literal[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096,
                       1827, 2192, 2557, 2922, 3288, 3653]
ComputeType = Literal["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE",
                      "BUILD_GENERAL1_XLARGE", "BUILD_GENERAL1_2XLARGE"]
_SCRIPT = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")
_BRANCH = re.compile(r"[A-Za-z0-9_./-]+")
_SECRET_NAME = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}")


class CodePipelineOptions(BackendOptions):
    connections: list[str] = Field(
        min_length=1,
        description="ARNs of the CodeStar (CodeConnections) connections to GitHub in the "
        "central account, one for each region with envers (connections are regional)",
    )
    build_script: str = Field(
        default="odmd-build.sh",
        description="the script `cmd` and `container_image` builds run (with bash) in each of "
        "the build's work_dirs, relative to it",
    )
    default_branch: str = Field(
        default="main",
        description="the source branch of a tag enver whose build declares no branch enver "
        "(any existing branch: the build checks out the tag)",
    )
    codebuild_image: str = Field(default="aws/codebuild/standard:7.0",
                                 description="the CodeBuild image of every project")
    compute_type: ComputeType = Field(default="BUILD_GENERAL1_SMALL",
                                      description="the CodeBuild compute type of every project")
    nodejs_version: str = Field(
        default="20", description="`runtime-versions` nodejs of cdk and npm projects")
    build_timeout_minutes: int = Field(
        default=60, ge=5, le=2160,
        description="how long a project's build may run before CodeBuild stops it")
    release_timeout_minutes: int = Field(
        default=480, ge=5, le=2160,
        description="how long a release step waits for its enver's pipeline (approvals "
        "included) before it fails; retry the stage to wait again",
    )
    log_retention_days: LogRetention = Field(
        default=30, description="how long the projects' CloudWatch logs are kept (one of the "
        "periods CloudWatch Logs accepts)")
    artifact_retention_days: int = Field(default=30, ge=1, le=3650,
                                         description="pipeline artifacts expire after this")
    npm_registry: str = Field(default="https://registry.npmjs.org/",
                              description="where npm_package envers publish")
    npm_token_secret: str | None = Field(
        default=None,
        description="name of the Secrets Manager secret (central account, the enver's region) "
        "holding the npm token; required when the org has npm_package envers",
    )
    release_region: str | None = Field(
        default=None,
        description="region of the org release pipeline; default: the region of the org's "
        "contracts_lib enver (the first, by region, if it has several)",
    )

    @field_validator("connections", mode="before")
    @classmethod
    def _one_connection(cls, v: object) -> object:
        return [v] if isinstance(v, str) else v  # `connections = "arn:…"` for one region

    @field_validator("connections")
    @classmethod
    def _connections(cls, v: list[str]) -> list[str]:
        regions: dict[str, str] = {}
        for arn in v:
            m = CONNECTION_ARN.fullmatch(arn)
            if not m:
                raise ValueError(f"{arn!r} is not a CodeStar connection ARN "
                                 "(arn:aws:codeconnections:REGION:ACCOUNT:connection/ID)")
            region = m.group(3)
            if not is_known_region(region):
                raise ValueError(f"{arn}: {region} is not a known AWS region")
            if region in regions and regions[region] != arn:
                raise ValueError(f"two connections in {region}: {regions[region]} and {arn}")
            regions[region] = arn
        return [regions[r] for r in sorted(regions)]

    @field_validator("build_script")
    @classmethod
    def _script(cls, v: str) -> str:
        if not _SCRIPT.fullmatch(v) or ".." in v.split("/"):
            raise ValueError("a relative path of letters, digits and `_.-/`, without `..`")
        return v

    @field_validator("default_branch")
    @classmethod
    def _branch(cls, v: str) -> str:
        if not _BRANCH.fullmatch(v) or ".." in v:
            raise ValueError("not a branch name")
        return v

    @field_validator("npm_registry")
    @classmethod
    def _registry(cls, v: str) -> str:
        if not HTTPS_URL.fullmatch(v):
            raise ValueError("an https URL")
        return v if v.endswith("/") else v + "/"

    @field_validator("npm_token_secret")
    @classmethod
    def _secret(cls, v: str | None) -> str | None:
        if v is not None and (not _SECRET_NAME.fullmatch(v) or v.startswith("arn:")):
            raise ValueError("the secret's name (not its ARN)")
        return v

    @model_validator(mode="after")
    def _release_region(self) -> CodePipelineOptions:
        if self.release_region is not None and not is_known_region(self.release_region):
            raise ValueError(f"release_region: {self.release_region} is not a known region")
        return self

    def connection(self, region: str) -> str | None:
        """The connection in `region`, if one is given."""
        return next((a for a in self.connections if a.split(":")[3] == region), None)

    @property
    def npm_registry_host(self) -> str:
        """`//host/path/`, the key prefix of the registry's token in .npmrc."""
        return "//" + self.npm_registry.split("://", 1)[1]
