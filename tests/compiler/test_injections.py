"""For each rule: inject its violation into a valid random org; exactly that code comes back,
on the offending item, and nothing else."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import check
from tests.strategies.injections import INJECTIONS, Injection
from tests.strategies.orgs import OrgSpec, orgs


@pytest.mark.parametrize("injection", INJECTIONS, ids=lambda i: i.code)
@settings(max_examples=15)
@given(spec=orgs(max_builds=4), seed=st.integers(0, 2**16), files=st.integers(1, 3))
def test_injected_violation_gives_exactly_its_code(
    injection: Injection, spec: OrgSpec, seed: int, files: int
) -> None:
    bad, needle = injection.inject(spec.copy(), random.Random(seed))
    sources = bad.render(seed, files)
    result = check(sources, enable=[injection.code], prelude=False)
    got = sorted({d.code for d in result.diagnostics})
    listing = "\n".join(f"{d.code} {d.span.short()} {d.message}" for d in result.diagnostics)
    assert got == [injection.code], listing
    lines = [sources[d.span.file].splitlines()[d.span.line - 1] for d in result.diagnostics]
    if injection.exclusive:
        for d, line in zip(result.diagnostics, lines, strict=True):
            assert needle in line, f"{d.code} at {d.span.short()} is not on `{needle}`: {line!r}"
    else:
        assert any(needle in line for line in lines), listing


def test_every_rule_has_an_injection_or_a_reason() -> None:
    from odmdc.compiler.rules import all_rules

    # the rules only: codes reported outside them (E000, E001, E406, E601/W601) have tests of
    # their own (reading files, syntax errors, `odmdc clone`, the backends)
    assert set(all_rules()) <= {i.code for i in INJECTIONS}
