"""Shared fixtures and the Hypothesis profiles.

`ci` (the default, used by `make test`) is derandomized with bounded examples so CI is
repeatable and inside its time budget; `deep` is for local runs:
`HYPOTHESIS_PROFILE=deep .venv/bin/pytest`.

Golden snapshots are compared exactly; `.venv/bin/pytest --update-snapshots` rewrites them.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "deep",
    max_examples=2000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="rewrite golden snapshots (rendered diagnostics, backend output trees) from the "
        "current output instead of comparing against them; then review the diff",
    )


@pytest.fixture
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))
