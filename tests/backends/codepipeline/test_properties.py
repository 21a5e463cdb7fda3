"""Properties over random valid orgs (tests/strategies/orgs.py: every kind, tags, clones,
placeholder cycles, approvals, one or two regions): the backend emits for every enver a
pipeline that passes the shape and semantic validators, and the output does not depend on
file or declaration order."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from odmdc.compiler.ir import IR
from tests.backends.codepipeline.orgs import run
from tests.backends.codepipeline.validate import semantic_errors, shape_errors
from tests.helpers import check
from tests.strategies.orgs import OrgSpec, orgs


def _ir(spec: OrgSpec, seed: int = 0, files: int = 1) -> IR:
    result = check(spec.render(seed, files), prelude=False)
    assert result.ir is not None, [d.message for d in result.diagnostics]
    return result.ir


def _files(ir: IR) -> dict[str, bytes]:
    regions = sorted({e.region for e in ir.envers()})
    central = ir.org.central_account_id
    return run(ir, {
        "connections": [f"arn:aws:codestar-connections:{r}:{central}:connection/c-{r}"
                        for r in regions],
        "npm_token_secret": "npm",
    })


@given(orgs())
def test_every_enver_gets_a_valid_pipeline(spec: OrgSpec) -> None:
    ir = _ir(spec)
    files = _files(ir)
    assert sorted(p for p in files if p.endswith(".pipeline.json")) == sorted(
        [*(f"{e.build}/{e.revision.path}.pipeline.json" for e in ir.envers()),
         "release.pipeline.json"])
    for path, data in files.items():
        if not path.endswith(".pipeline.json"):
            continue
        pipeline = json.loads(data)
        assert shape_errors(pipeline) == [], path
        assert semantic_errors(pipeline) == [], path
        if path == "release.pipeline.json":
            continue
        e = ir.enver(json.loads(files[path.replace(".pipeline.json", ".template.json")])
                     ["Metadata"]["odmdc"]["enver"])
        approve = [s for s in pipeline["stages"] if s["name"] == "Approve"]
        assert bool(approve) == any(c.reaction.kind == "approve" for c in e.consumers), path


@given(orgs(), st.integers(1, 2**31), st.integers(1, 4))
def test_output_does_not_depend_on_order(spec: OrgSpec, seed: int, files: int) -> None:
    assert _files(_ir(spec)) == _files(_ir(spec, seed, files))
