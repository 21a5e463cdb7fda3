"""Fixtures: the test org's workflows, compiled once, and a runner per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.backends.github_actions.runner import Runner, compile_org, org_files

ORGS = Path(__file__).parent / "orgs"


@pytest.fixture(scope="session")
def allkinds() -> dict[str, str]:
    """Workflow path → text for orgs/allkinds (every kind, tags, clones, two regions)."""
    return compile_org(org_files(ORGS / "allkinds"))


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    return Runner(tmp_path)
