"""Fixtures of the codepipeline backend's tests: cfn-lint runners, one per region, reused
(building one costs ~0.8 s), `moto`: the session's moto server (tests/backends/conftest.py's
`moto_endpoint`), reset, with test credentials, and `box`, a stand-in CodeBuild container."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.backends.codepipeline.moto_api import reset
from tests.backends.codepipeline.sandbox import Sandbox, sandbox


@cache
def _runner(region: str) -> Any:
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import Runner

    return Runner(ConfigMixIn(regions=[region]))


def lint(text: str, region: str) -> list[str]:
    """cfn-lint findings (errors, warnings and informational) of a template, one line each."""
    from cfnlint.decode.decode import decode_str

    template, errors = decode_str(text)
    matches = errors if errors else list(_runner(region).validate_template(template))
    return [f"{m.rule.id} {m.linenumber}:{m.columnnumber} {m.message}" for m in matches]


@pytest.fixture(scope="session")
def cfn_lint() -> Callable[[str, str], list[str]]:
    return lint


@pytest.fixture
def moto(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for k, v in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                 ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    reset(moto_endpoint)
    yield moto_endpoint
    reset(moto_endpoint)


@pytest.fixture
def box(tmp_path: Path) -> Sandbox:
    """A folder standing in for a CodeBuild container (sandbox.py)."""
    return sandbox(tmp_path)
