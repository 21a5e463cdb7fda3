"""Properties of the release layout over random plans, from a handful of steps to thousands
(`release.release_layout`, the whole choice between one action per step and batches, with
stand-in envers): read back from the files alone (`release_check.py`), every step runs exactly
once, in its phase's stages, the phases in order; every quota holds; each runner may start
exactly the pipelines of its batches and read exactly their parameters; and batches are used
only when one action per step breaks a quota."""

from __future__ import annotations

import random
from dataclasses import dataclass
from types import SimpleNamespace
from typing import cast

from hypothesis import event, example, given
from hypothesis import strategies as st

from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.backends.codepipeline.release import Phases, one_per_step, release_layout, render
from odmdc.backends.codepipeline.release_model import Release, Step
from odmdc.compiler.ir import Enver
from tests.backends.codepipeline.release_check import (
    actions,
    phase_of,
    quota_breaches,
    runners,
)

CENTRAL = "111111111111"
CONNECTION = f"arn:aws:codeconnections:us-east-1:{CENTRAL}:connection/c-1"
BASE = Release(org="acme", name="ODMD_acme-release", region="us-east-1", central=CENTRAL,
               partition="aws", connection=CONNECTION, repo="acme/contracts", branch="main")
OPTS = CodePipelineOptions(connections=[CONNECTION])
STAGES, ACTIONS, PER_STAGE = 50, 500, 50  # CodePipeline (validate.py checks the same)
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-3", "me-central-1")


@dataclass(frozen=True)
class PlanSpec:
    """A plan's shape: steps per phase, and how long pipeline names get."""

    counts: tuple[int, ...]
    longest: int  # pipeline names are 12 to `longest` characters
    updates: float  # the share of steps after phase 1 that update an earlier enver
    seed: int

    def phases(self) -> Phases:
        rnd = random.Random(self.seed)
        deployed: list[Enver] = []
        out: Phases = []
        for index, count in enumerate(self.counts, 1):
            steps: list[Step] = []
            for _ in range(count):
                if deployed and rnd.random() < self.updates:
                    enver = rnd.choice(deployed)
                    if any(s.enver is enver for s in steps):
                        enver = self._enver(len(deployed), rnd)
                        deployed.append(enver)
                        steps.append(Step("deploy", enver))
                        continue
                    steps.append(Step("update", enver))
                else:
                    enver = self._enver(len(deployed), rnd)
                    steps.append(Step("deploy", enver))
                    deployed.append(enver)
            out.append((index, steps))
        return out

    def _enver(self, n: int, rnd: random.Random) -> Enver:
        stem = f"ODMD_b{n}-b..main-"  # the pipeline's name: this, then the account alias
        alias = "x" * max(1, rnd.randint(12, self.longest) - len(stem))
        return cast(Enver, SimpleNamespace(
            id=f"b{n}.main", build=f"b{n}", region=rnd.choice(REGIONS),
            revision=SimpleNamespace(path="b..main"), account_alias=alias))


@st.composite
def plans(draw: st.DrawFn) -> PlanSpec:
    """Tiny to large: up to 30 phases of up to 1, 10, 100, 1,000 or 5,000 steps (5,000 in
    all at most: a phase of thousands needs several stages), pipeline names up to 100
    characters."""
    scale = draw(st.sampled_from([1, 10, 100, 1000, 5000]))
    counts = draw(st.lists(st.integers(1, scale), min_size=1, max_size=30))
    while sum(counts) > 5_000:
        counts = [max(1, c // 2) for c in counts]
    return PlanSpec(tuple(counts), draw(st.integers(12, 100)),
                    draw(st.sampled_from([0.0, 0.1, 0.5])), draw(st.integers(0, 2**16)))


def expected(phases: Phases) -> dict[int, list[str]]:
    return {index: [s.line for s in steps] for index, steps in phases}


@given(plans())
@example(PlanSpec((4_000, 7, 900), 100, 0.2, 3))  # a phase over several stages of 50 batches
@example(PlanSpec((9, 506, 2343, 971, 194, 81, 147, 61, 200, 100, 140, 106, 100, 79, 104,
                   74, 28, 13, 6, 6), 40, 0.05, 4))  # the synthetic 5,000-enver org's phases
def test_layout_runs_every_step_once_in_plan_order_within_quotas(spec: PlanSpec) -> None:
    phases = spec.phases()
    files_list, found = release_layout(BASE, phases, OPTS)
    files = {f.path: f.content for f in files_list}
    assert quota_breaches(files) == []
    assert found == []
    acts = actions(files)
    # every step once, in its phase, in plan order; phases in order
    ran: dict[int, list[str]] = {}
    order = [phase_of(a.stage) for a in acts]
    assert order == sorted(order)
    for a in acts:
        ran.setdefault(phase_of(a.stage), []).extend(a.steps)
    assert ran == expected(phases)
    # one action per step exactly when that fits every quota
    batched = any(a.parameter for a in acts)
    event("batches" if batched else "one action per step")
    event(f"steps < {10 ** len(str(sum(spec.counts)))}")
    event(f"a phase of {'1,000 or more' if max(spec.counts) >= 1000 else 'fewer'} steps")
    if not batched:
        assert all(len(a.steps) == 1 for a in acts)
    elif sum(spec.counts) + 1 <= ACTIONS and sum(-(-c // PER_STAGE) for c in spec.counts) < STAGES:
        per_step, _ = render(one_per_step(BASE, phases), OPTS)  # counts fit: something else not
        assert quota_breaches({f.path: f.content for f in per_step}) != []
    # each runner may touch exactly what its actions run; the pipeline starts exactly them
    grants = runners(files)
    assert set(grants) == {a.project for a in acts}
    for project, runner in grants.items():
        mine = [a for a in acts if a.project == project]
        arns = {f"arn:aws:codepipeline:{line.split()[2]}:{CENTRAL}:{line.split()[1]}"
                for a in mine for line in a.steps}
        assert runner.pipelines == arns
        assert runner.parameters == {f"arn:aws:ssm:us-east-1:{CENTRAL}:parameter{a.parameter}"
                                     for a in mine if a.parameter}


def test_a_plan_beyond_every_layout_is_reported() -> None:
    """Batches cannot make up for more phases than stages, nor for lists that no template can
    hold: what does not fit is said, and no file is to be written."""
    too_long = PlanSpec((1,) * 50, 40, 0.0, 1)
    files, found = release_layout(BASE, too_long.phases(), OPTS)
    assert found == ["needs 51 stages and 50 actions; CodePipeline allows 50 stages and 500 "
                     "actions"]
    assert files == []
    too_wide = PlanSpec((8_000,) * 3, 100, 0.0, 2)
    _, found = release_layout(BASE, too_wide.phases(), OPTS)
    assert any("bytes of template in release.template.json" in p for p in found), found
