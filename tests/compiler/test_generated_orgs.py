"""Properties over random valid orgs: they check clean, and order never matters."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from odmdc.compiler.ir import IR
from tests.helpers import check
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
