"""Deferral and phases on hand-built graphs (no source text)."""

from __future__ import annotations

import pytest

from odmdc.compiler.planner.deferral import Dep, UnbreakableCycle, choose_deferred
from odmdc.compiler.planner.schedule import schedule


def dep(edge: str, placeholder: bool = False, name: str | None = None) -> Dep:
    """`"a>b"`: b consumes a product of a."""
    producer, consumer = edge.split(">")
    return Dep(producer, consumer, name or f"from-{producer}", placeholder)


def test_dag_defers_nothing_and_phases_are_generations() -> None:
    deps = [dep("a>b"), dep("a>c"), dep("b>d"), dep("c>d"), dep("x>d", placeholder=True)]
    s = schedule("abcdx", deps)
    assert s.deferred == ()
    assert s.deploy == {"a": 1, "x": 1, "b": 2, "c": 2, "d": 3}
    assert s.update == {}
    assert s.phase_count == 3


def test_spec_networking_logging() -> None:
    # networking reads logging's log group with a placeholder; logging needs networking's zone
    deps = [dep("logging>networking", placeholder=True), dep("networking>logging")]
    s = schedule(["networking", "logging"], deps)
    assert s.deferred == (deps[0],)
    assert s.deploy == {"networking": 1, "logging": 2}
    assert s.update == {"networking": 3}


def test_two_placeholders_defer_only_one_chosen_by_id() -> None:
    deps = [dep("a>b", placeholder=True), dep("b>a", placeholder=True)]
    assert choose_deferred("ab", deps) == {("b", "a")}
    s = schedule("ab", list(reversed(deps)))
    assert s.deploy == {"a": 1, "b": 2}
    assert s.update == {"a": 3}


def test_a_pair_with_one_required_edge_is_not_deferrable() -> None:
    deps = [dep("a>b", placeholder=True, name="x"), dep("a>b", name="y"),
            dep("b>a", placeholder=True)]
    assert choose_deferred("ab", deps) == {("b", "a")}
    s = schedule("ab", deps)
    assert [d.name for d in s.deferred] == ["from-b"]


def test_placeholder_edges_outside_cycles_are_never_deferred() -> None:
    deps = [dep("a>b", placeholder=True), dep("b>c", placeholder=True),
            dep("c>b", placeholder=True)]
    # a > b has a placeholder but lies on no cycle. Of b <-> c, deferring b > c lets c deploy
    # in phase 1 (b waits for a anyway); deferring c > b would put c after b, in phase 3.
    assert choose_deferred("abc", deps) == {("b", "c")}


def test_one_deferral_breaks_every_cycle_through_it() -> None:
    deps = [dep("a>b", placeholder=True), dep("b>c"), dep("c>a"), dep("b>d"), dep("d>a")]
    assert choose_deferred("abcd", deps) == {("a", "b")}


def test_three_cycle_of_placeholders_defers_one_edge() -> None:
    deps = [dep("a>b", placeholder=True), dep("b>c", placeholder=True),
            dep("c>a", placeholder=True)]
    assert choose_deferred("abc", deps) == {("c", "a")}
    s = schedule("abc", deps)
    assert s.deploy == {"a": 1, "b": 2, "c": 3}
    assert s.update == {"a": 4}


def test_greedy_keeps_the_edge_that_lengthens_the_plan_least() -> None:
    # a <-> b, both with placeholders; a sits at the end of a chain x1 > x2 > x3 > a and b
    # feeds y. Deferring b > a (the smaller id to restore) would deploy b after a: phase 5,
    # y in 6. Deferring a > b lets b deploy in phase 1 instead.
    chain = [dep("x1>x2"), dep("x2>x3"), dep("x3>a"), dep("b>y")]
    deps = [*chain, dep("a>b", placeholder=True), dep("b>a", placeholder=True)]
    assert choose_deferred(["a", "b", "x1", "x2", "x3", "y"], deps) == {("a", "b")}
    s = schedule(["a", "b", "x1", "x2", "x3", "y"], deps)
    assert s.deploy == {"x1": 1, "b": 1, "x2": 2, "y": 2, "x3": 3, "a": 4}
    assert s.update == {"b": 5}
    assert s.phase_count == 5


def test_update_waits_for_the_update_of_its_producer() -> None:
    # c consumes p with a placeholder, p consumes q with one; q needs p and p needs c. p's
    # products are final only after p's own update, so c's update follows it.
    deps = [dep("p>q"), dep("c>p"), dep("q>p", placeholder=True), dep("p>c", placeholder=True)]
    s = schedule("cpq", deps)
    assert {(d.producer, d.consumer) for d in s.deferred} == {("q", "p"), ("p", "c")}
    assert s.deploy == {"c": 1, "p": 2, "q": 3}
    assert s.update == {"p": 4, "c": 5}


def test_updates_share_phases_with_later_deploys() -> None:
    deps = [dep("b>a", placeholder=True), dep("a>b"), dep("x1>x2"), dep("x2>x3"), dep("x3>x4")]
    s = schedule(["a", "b", "x1", "x2", "x3", "x4"], deps)
    assert s.update == {"a": 3}  # alongside x3's deploy, not after x4
    assert s.phase_count == 4


def test_unbreakable_cycle_is_reported_with_its_edges() -> None:
    deps = [dep("a>b"), dep("b>c"), dep("c>a"), dep("c>d", placeholder=True), dep("d>c")]
    with pytest.raises(UnbreakableCycle) as info:
        schedule("abcd", deps)
    assert [(d.producer, d.consumer) for d in info.value.cycle] == [("a", "b"), ("b", "c"),
                                                                    ("c", "a")]
    assert str(info.value) == "a -> b -> c -> a"


def test_a_placeholder_elsewhere_does_not_break_a_cycle() -> None:
    deps = [dep("a>b"), dep("b>a"), dep("a>c", placeholder=True), dep("c>a", placeholder=True)]
    with pytest.raises(UnbreakableCycle):
        choose_deferred("abc", deps)


def test_empty_graph() -> None:
    s = schedule([], [])
    assert (s.deploy, s.update, s.deferred, s.phase_count) == ({}, {}, (), 0)


def test_an_enver_reading_its_own_product() -> None:
    # E301 rejects this; the planner still answers instead of failing.
    with pytest.raises(UnbreakableCycle) as info:
        schedule("ab", [dep("a>b"), dep("b>b")])
    assert str(info.value) == "b -> b"
    s = schedule("ab", [dep("a>b"), dep("b>b", placeholder=True)])
    assert (s.deploy, s.update) == ({"a": 1, "b": 2}, {"b": 3})
