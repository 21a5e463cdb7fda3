"""The shell variable a consumer's value is given in: `<NAME>_VALUE`, `<NAME>_PATH`,
`<NAME>_DEFAULT` in CodeBuild projects (docs/runtime.md), `<NAME>_PATH` and `<NAME>_DEFAULT`
in the ssm backend's env files. One function, so that the two can never name a consumer
differently."""

from __future__ import annotations

import re

_NOT_VAR = re.compile(r"[^A-Za-z0-9]")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def env_var(consumer: str) -> str:
    """`configTableName` → `CONFIG_TABLE_NAME`, `ipam-pool` → `IPAM_POOL`."""
    return _NOT_VAR.sub("_", _CAMEL.sub("_", consumer)).upper()
