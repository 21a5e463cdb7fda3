"""The platform example org (`examples/platform`) plans as docs/semantics.md#the-plan says:
networking on its flow-log placeholder, then logging, then networking updated."""

from __future__ import annotations

from pathlib import Path

import pytest

from odmdc import api
from odmdc.compiler.ir import IR
from odmdc.compiler.planner.impact import impact
from odmdc.compiler.planner.plan import plan
from odmdc.compiler.unit import load

PLATFORM = Path(__file__).resolve().parents[3] / "examples" / "platform"
NETWORKING = "networking.ipam_west1_le"

pytestmark = pytest.mark.skipif(not PLATFORM.is_dir(), reason="examples/platform not present")


@pytest.fixture(scope="module")
def ir() -> IR:
    result = api.check(load([str(PLATFORM)]), run_backends=False)
    assert result.diagnostics == []
    assert result.ir is not None
    return result.ir


def test_networking_logging_networking_update(ir: IR) -> None:
    steps = {(s.enver, s.action): (p.index, s.uses_placeholders)
             for p in plan(ir).plan.phases for s in p.steps}
    assert steps[(NETWORKING, "deploy")] == (1, ("flow-log-group",))
    assert steps[("logging.main", "deploy")] == (2, ())
    assert steps[(NETWORKING, "update")] == (3, ())
    assert [k for k in steps if k[1] == "update"] == [(NETWORKING, "update")]


def test_plan_for_logging_is_exactly_the_spec_sequence(ir: IR) -> None:
    phases = [[(s.enver, s.action) for s in p.steps] for p in plan(ir, "logging.main").plan.phases]
    assert phases == [[(NETWORKING, "deploy")], [("logging.main", "deploy")],
                      [(NETWORKING, "update")]]


def test_a_new_nat_address_waits_for_the_on_call(ir: IR) -> None:
    report = impact(ir, f"{NETWORKING}.nat-pub-ip")
    assert [[(e.enver, e.reaction.kind, e.reaction.roles) for e in w.envers]
            for w in report.waves] == [
        [("eks.main", "approve", ("arn:aws:iam::111122223333:role/platform-oncall",))]]
