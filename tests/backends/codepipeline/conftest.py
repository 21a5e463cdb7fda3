"""Fixtures of the codepipeline backend's tests: cfn-lint runners, one per region, reused
(building one costs ~0.8 s). The moto server is tests/backends/conftest.py's `moto_endpoint`."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pytest


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
