"""Every generated workflow passes zizmor (0 findings, nothing suppressed), actionlint, the
GitHub workflow schema and ShellCheck on every `run:` block: the example orgs', the test org's
(every kind, tags, clones, two accounts and regions, every reaction), with non-default
options, and random valid orgs'. And each validator does catch the faults it is here for."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odmdc.backends.github_actions import GithubActionsOptions
from odmdc.compiler.unit import load
from tests.backends.github_actions import validators
from tests.backends.github_actions.runner import compile_folder, compile_org, org_files
from tests.strategies.orgs import orgs

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
ORGS = Path(__file__).parent / "orgs"

Validator = Callable[[Sequence[Path]], list[str]]
VALIDATORS: dict[str, Validator] = {
    "zizmor": validators.zizmor, "actionlint": validators.actionlint,
    "jsonschema": validators.jsonschema, "shellcheck": validators.shellcheck,
}


def _example(name: str) -> dict[str, str]:
    return compile_folder(EXAMPLES / name)


def _all_clean(files: dict[str, str], root: Path) -> None:
    paths = validators.write(root, files)
    assert paths
    problems = {name: check(paths) for name, check in VALIDATORS.items()}
    assert problems == {name: [] for name in VALIDATORS}


def test_examples_and_test_orgs_validate(tmp_path: Path, allkinds: dict[str, str]) -> None:
    files = {f"platform/{k}": v for k, v in _example("platform").items()}
    files |= {f"shop/{k}": v for k, v in _example("shop").items()}
    files |= {f"allkinds/{k}": v for k, v in allkinds.items()}
    other = GithubActionsOptions(runner="ubuntu-22.04", node_version="lts/*",
                                 npm_registry="https://registry.npmjs.org",
                                 build_script="build.sh", timeout_minutes=120)
    files |= {f"options/{k}": v
              for k, v in compile_org(org_files(ORGS / "allkinds"), options=other).items()}
    assert len(files) == 6 + 9 + 7 + 7
    _all_clean(files, tmp_path)


@settings(max_examples=1, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_random_orgs_validate(tmp_path: Path, data: st.DataObject) -> None:
    files: dict[str, str] = {}
    for i in range(12):
        spec = data.draw(orgs(), label=f"org {i}")
        files |= {f"org{i}/{k}": v for k, v in compile_org(spec.render(), prelude=False).items()}
    _all_clean(files, tmp_path / str(len(list(tmp_path.iterdir()))))


DEPLOY_PERMISSIONS = ("    permissions:\n      contents: read\n"
                      "      id-token: write  # OIDC: assume the build role\n")


def _broken(allkinds: dict[str, str], edits: str) -> dict[str, str]:
    """The west api workflow with `old` → `new` edits (first occurrences; `|` separates)."""
    path = next(p for p in sorted(allkinds) if "ODMD_api-CdkGHus-west-1" in p)
    text = allkinds[path]
    for edit in edits.split("|"):
        old, new = edit.split(" → ")
        old = DEPLOY_PERMISSIONS if old == "DEPLOY_PERMISSIONS" else old
        assert old in text
        text = text.replace(old, new, 1)
    return {path: text}


@pytest.mark.parametrize(("validator", "edits", "expected"), [
    ("zizmor", "        persist-credentials: false\n → ", "artipacked"),
    ("zizmor", "# v4.2.2 → ", None),  # a version comment is for humans: still clean
    ("zizmor", "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 → actions/checkout@v4",
     "unpinned-uses"),
    ("zizmor", "set -euo pipefail → echo ${{ github.event.head_commit.message }}",
     "template-injection"),
    ("zizmor", "package-manager-cache: false → package-manager-cache: true", "cache-poisoning"),
    # a job without `permissions` inherits the workflow's: `{}` is safe, `write-all` is not
    ("zizmor", "DEPLOY_PERMISSIONS → ", None),
    ("zizmor", "DEPLOY_PERMISSIONS → |permissions: {} → permissions: write-all",
     "excessive-permissions"),
    ("actionlint", "set -euo pipefail → echo ${{ github.event.head_commit.message }}",
     "potentially untrusted"),
    ("actionlint", "needs: resolve → needs: resolver", "resolver"),
    ("actionlint", "steps.resolve.outputs.plan → steps.resolved.outputs.plan", "resolved"),
    ("jsonschema", "timeout-minutes: 60 → timeout-minute: 60", "timeout-minute"),
    ("jsonschema", "cancel-in-progress: false → cancel-in-progress: sometimes", "sometimes"),
    ("shellcheck", 'read -ra stacks → read -a stacks', "SC2162"),
    ("shellcheck", 'cd "${work_dirs[-1]}" → cd ${work_dirs[-1]}', "SC2086"),
])
def test_validators_catch_what_they_are_for(tmp_path: Path, allkinds: dict[str, str],
                                            validator: str, edits: str,
                                            expected: str | None) -> None:
    paths = validators.write(tmp_path, _broken(allkinds, edits))
    found = VALIDATORS[validator](paths)
    if expected is None:
        assert found == []
    else:
        assert found and any(expected in line for line in found), found


def test_platform_example_compiles_here_although_its_ci_is_codepipeline() -> None:
    unit = load([str(EXAMPLES / "platform")])
    assert unit.files
    assert len(_example("platform")) == 6
