"""Properties over random valid orgs: they check clean, and order never matters."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from odmdc.compiler.ir import IR
from tests.helpers import check
from tests.strategies.injections import INJECTIONS, Injection
from tests.strategies.orgs import OrgSpec, orgs


def _ir_without_locations(ir: IR) -> dict[str, Any]:
    def strip(d: Any) -> Any:
        if isinstance(d, dict):
            return {k: strip(v) for k, v in d.items() if k != "location"}
        if isinstance(d, list | tuple):
            return [strip(v) for v in d]
        return d

    return {
        "org": ir.org.model_dump(),
        "builds": {k: strip(b.model_dump()) for k, b in ir.builds.items()},
        "envers": [strip(e.model_dump()) for e in ir.envers()],
        "edges": [strip(e.model_dump()) for e in ir.edges()],
    }


def _clean(spec: OrgSpec, seed: int = 0, files: int = 1) -> IR:
    result = check(spec.render(seed, files), prelude=False)
    assert result.diagnostics == [], "\n".join(
        f"{d.code} {d.span.short()} {d.message}" for d in result.diagnostics
    ) + "\n\n" + "\n\n".join(spec.render(seed, files).values())
    assert result.ir is not None
    return result.ir


@given(orgs())
def test_valid_orgs_check_clean(spec: OrgSpec) -> None:
    ir = _clean(spec)
    declared = sum(len(b.envers) for b in spec.builds) + len(spec.clones)
    assert len(ir.envers()) == declared
    consumers = sum(len(e.consumers) for b in spec.builds for e in b.envers)
    clone_copies = sum(len(spec.enver(f"{c.build}.{c.origin}").consumers) for c in spec.clones)
    assert len(ir.edges()) == consumers + clone_copies


@given(orgs(), st.integers(1, 2**31), st.integers(1, 4))
def test_file_and_declaration_order_do_not_matter(spec: OrgSpec, seed: int, files: int) -> None:
    assert _ir_without_locations(_clean(spec)) == _ir_without_locations(_clean(spec, seed, files))


@given(orgs(max_builds=4), st.integers(1, 2**31), st.integers(1, 4))
def test_show_does_not_depend_on_order(spec: OrgSpec, seed: int, files: int) -> None:
    from odmdc.cli.show import render_envers

    a = render_envers(_clean(spec).envers())
    b = render_envers(_clean(spec, seed, files).envers())
    assert a == b


@given(orgs(max_builds=4), st.sampled_from(INJECTIONS), st.integers(1, 2**31),
       st.integers(1, 4))
def test_diagnostics_do_not_depend_on_order(
    spec: OrgSpec, injection: Injection, seed: int, files: int
) -> None:
    bad, _ = injection.inject(spec.copy(), random.Random(seed))

    def run(s: int, n: int) -> list[tuple[str, str]]:
        diagnostics = check(bad.render(s, n), enable=[injection.code], prelude=False).diagnostics
        # where a diagnostic points moves with the text; what it says must not
        return sorted((d.code, d.message) for d in diagnostics)

    first = run(0, 1)
    assert first, f"{injection.code} was injected but nothing was reported"
    if injection.code in ORDER_SENSITIVE:
        assert {c for c, _ in run(seed, files)} == {c for c, _ in first}
    else:
        assert run(seed, files) == first


# Rules about the *second* of two declarations (E002 duplicates, E309 the second singleton
# build) name whichever comes second; the code is stable, the name in the message is not.
ORDER_SENSITIVE = {"E002", "E105", "E309"}
