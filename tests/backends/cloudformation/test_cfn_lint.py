"""cfn-lint on every generated template of every org: 0 errors, 0 warnings
(docs/validators.md#cfn-lint).

In-process with one cached `Runner` per region (docs/validators.md#cfn-lint: `api.lint` reloads
every rule on each call). Each template is linted for the region it is deployed to, read from the
template's own Metadata."""

from __future__ import annotations

import functools
import time
from pathlib import Path

import pytest
from cfnlint.config import ConfigMixIn
from cfnlint.decode.decode import decode_str
from cfnlint.runner import Runner

from tests.backends.cloudformation.support import compiled, org_dirs, org_id


@functools.cache
def runner(region: str) -> Runner:
    return Runner(ConfigMixIn(regions=[region]))


def lint(text: str, region: str) -> list[str]:
    tpl, errors = decode_str(text)
    matches = errors if errors else list(runner(region).validate_template(tpl))
    return [f"{m.rule.id} {m.rule.severity} line {m.linenumber}: {m.message}" for m in matches]


@pytest.mark.parametrize("org", org_dirs(), ids=org_id)
def test_every_template_lints_clean(org: Path) -> None:
    c = compiled(org)
    findings: dict[str, list[str]] = {}
    start = time.perf_counter()
    for path, data in sorted(c.files.items()):
        region = c.templates[path]["Metadata"]["odmdc"]["region"]
        if found := lint(data.decode(), region):
            findings[path] = found
    elapsed = time.perf_counter() - start
    assert findings == {}
    print(f"{org_id(org)}: {len(c.files)} templates, 0 findings, {elapsed:.2f}s")


def test_lint_catches_a_broken_template() -> None:
    """The harness reports what cfn-lint finds (a misspelled action, an unknown property)."""
    bad = ('{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {'
           '"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": '
           '"Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": '
           '"sts:AssumeRol"}]}, "Bogus": 1}}}}')
    found = lint(bad, "us-east-1")
    assert any(f.startswith("E3002") for f in found), found
    assert any(f.startswith("W3037") for f in found), found
