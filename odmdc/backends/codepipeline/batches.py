"""Packing a large org's release into what the quotas (`quotas.py`) allow: a phase's steps
into batches (one action each, its list in a Parameter Store parameter of at most 4 KB), the
batches into consecutive stages of at most 50 actions, and the batches into runners (one
CodeBuild project and role each) whose roles IAM can hold. Pure functions of sizes and names,
so that a property test can drive them with any plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from odmdc.backends.aws.quotas import MAX_ACTIONS_PER_STAGE


@dataclass(frozen=True, slots=True)
class Layout:
    """Batches per stage: `stages[s]` is `(phase index, batches)`, each batch a range of
    positions in its phase's list of steps."""

    stages: tuple[tuple[int, tuple[range, ...]], ...]

    @property
    def actions(self) -> int:
        return sum(len(b) for _, b in self.stages)


def batch(sizes: Sequence[int], capacity: int) -> list[range]:
    """Consecutive runs of items, in order, each run's items joined by one separator
    (`sum(sizes) + len - 1`) at most `capacity` long, a new run only when the next item does
    not fit (next-fit: with items much smaller than `capacity`, as few runs as possible). An
    item larger than `capacity` is a run of its own, which the caller reports."""
    runs: list[range] = []
    start, used = 0, -1
    for i, size in enumerate(sizes):
        if i > start and used + 1 + size > capacity:
            runs.append(range(start, i))
            start, used = i, -1
        used += 1 + size
    if sizes:
        runs.append(range(start, len(sizes)))
    return runs


def layout(phases: Sequence[Sequence[int]], capacity: int,
           per_stage: int = MAX_ACTIONS_PER_STAGE) -> Layout:
    """Each phase's steps (given by their sizes) in batches of at most `capacity`, and the
    batches in consecutive stages of at most `per_stage` actions: a phase's stages follow the
    previous phase's, so no step runs before the plan says. An empty phase gets no stage."""
    stages: list[tuple[int, tuple[range, ...]]] = []
    for p, sizes in enumerate(phases):
        runs = batch(sizes, capacity)
        stages.extend((p, tuple(runs[i:i + per_stage])) for i in range(0, len(runs), per_stage))
    return Layout(tuple(stages))


def runners(needs: Sequence[frozenset[str]], fits: Callable[[int, frozenset[str]], bool]
            ) -> list[int]:
    """For each batch in order, the runner (0, 1, …) that runs it: a batch joins the current
    runner `n` while the union of what its role must name still `fits(n, union)`; otherwise it
    starts the next. A batch that does not fit even alone still gets a runner of its own (the
    caller's quota check reports it)."""
    out: list[int] = []
    current: frozenset[str] = frozenset()
    n = -1
    for need in needs:
        trial = current | need
        if n < 0 or (current and not fits(n, trial)):
            n += 1
            trial = need
        current = trial
        out.append(n)
    return out


def chunks(items: Sequence[str], budget: int) -> list[list[str]]:
    """Items, in order, in as few consecutive chunks as a next-fit allows, each chunk's JSON
    array of strings (`["a","b"]`, no whitespace, no escapes needed) at most `budget`
    characters. An item too long for `budget` alone is a chunk of its own."""
    out: list[list[str]] = []
    used = 0
    for item in items:
        cost = len(item) + 3  # quotes and a comma (or the brackets, for the first)
        if out and used + cost <= budget:
            out[-1].append(item)
            used += cost
        else:
            out.append([item])
            used = 1 + cost
    return out
