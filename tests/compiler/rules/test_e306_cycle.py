import itertools
import random

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from tests.compiler.rules.graph_support import Checked
from tests.helpers import compile_ok


def org(edges: list[tuple[int, int, bool]], n: int, seed: int | None = None) -> str:
    """Builds b0…b{n-1}, one enver `main` each; edge (u, v, placeholder) is a consumer in
    b{v}.main reading b{u}.main.out, with a `default` when `placeholder`. With a seed, builds
    and consumers are declared in a shuffled order."""
    consumers: dict[int, list[str]] = {v: [] for v in range(n)}
    for k, (u, v, placeholder) in enumerate(edges):
        default = ' default "x"' if placeholder else ""
        consumers[v].append(f"c{u}-{k} = b{u}.main.out{default}")
    order = list(range(n))
    if seed is not None:
        rng = random.Random(seed)
        rng.shuffle(order)
        for cs in consumers.values():
            rng.shuffle(cs)
    return "".join(
        f"build b{v} : cdk {{\n  repo = \"acme/b{v}\"\n"
        f"  enver main = branch \"main\" in workspace1 \"us-east-1\" {{\n"
        f"    produces {{ out: string }}\n"
        f"    consumes {{\n" + "".join(f"      {c}\n" for c in consumers[v]) + "    }\n"
        "  }\n}\n"
        for v in order
    )


def test_a_two_enver_cycle_is_printed_and_pointed_at_its_first_consumer() -> None:
    c = Checked(org([(0, 1, False), (1, 0, False)], 2))
    assert c.codes == ["E306"]
    d = c.one("E306")
    assert d.message == ("dependency cycle without a `default` placeholder: "
                         "`b0.main → b1.main → b0.main`")
    assert c.text(d) == "b1.main.out"  # b0.main's consumer: first by enver id
    assert d.primary.message == "`b0.main` reads `b1.main.out` with no `default`"
    assert [(c.text(s), s.message) for s in d.secondary] == [
        ("b0.main.out", "`b1.main` reads `b0.main.out` with no `default`")]
    assert d.notes == ("`b1.main` reads `b0.main.out` as `c0-0`",
                       "`b0.main` reads `b1.main.out` as `c1-1`")
    assert d.help is not None and d.help.startswith("add a `default` to `b0.main`'s `c1-1`")


def test_one_placeholder_breaks_the_cycle() -> None:
    compile_ok(org([(0, 1, False), (1, 0, True)], 2))


def test_every_consumer_of_a_step_needs_the_placeholder() -> None:
    c = Checked(org([(0, 1, False), (1, 0, True), (1, 0, False)], 2))
    d = c.one("E306")
    assert d.notes[1] == "`b0.main` reads `b1.main.out` as `c1-2`"
    c = Checked(org([(0, 1, False), (1, 0, False), (1, 0, False)], 2))
    d = c.one("E306")
    assert d.notes[1] == ("`b0.main` reads `b1.main.out` as `c1-1` and `b1.main.out` as "
                          "`c1-2`")
    assert d.help is not None and "`b0.main`'s `c1-1` and `c1-2`" in d.help


def test_the_shortest_cycle_through_the_first_enver_is_shown_and_the_tangle_noted() -> None:
    # b0 → b1 → b2 → b0 and b0 → b3 → b0: the shortest through b0 is via b3
    edges = [(0, 1, False), (1, 2, False), (2, 0, False), (0, 3, False), (3, 0, False)]
    d = Checked(org(edges, 4)).one("E306")
    assert d.message.endswith("`b0.main → b3.main → b0.main`")
    assert d.notes[-1] == ("the cycle is part of a tangle of 4 envers that depend on each "
                           "other: `b0.main`, `b1.main`, `b2.main`, `b3.main`")


def test_each_strongly_connected_component_is_reported_once() -> None:
    edges = [(0, 1, False), (1, 0, False), (2, 3, False), (3, 4, False), (4, 2, False),
             (1, 2, False)]  # joins the two components one way only
    c = Checked(org(edges, 5))
    assert sorted(d.message.rsplit(": ", 1)[1] for d in c.of("E306")) == [
        "`b0.main → b1.main → b0.main`", "`b2.main → b3.main → b4.main → b2.main`"]
    assert c.codes == ["E306", "E306"]


def test_a_clone_of_an_enver_in_the_cycle_is_not_part_of_it() -> None:
    text = org([(0, 1, False), (1, 0, False)], 2)
    c = Checked(text + 'clone feature of b0.main = branch "feature"\n')
    assert c.codes == ["E306"]
    assert "feature" not in c.one("E306").message


def test_a_cycle_through_a_clone_is_left_to_e407() -> None:
    # b1.feature inherits b1.main's consumer of b0.main, and b0.main reads b1.feature: the
    # fault is reading a clone at all
    text = org([(0, 1, False)], 2) + 'clone feature of b1.main = branch "feature"\n'
    text = text.replace("    consumes {\n    }", "    consumes { back = b1.feature.out }", 1)
    c = Checked(text)
    assert "back = b1.feature.out" in text
    assert "E306" not in c.codes


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int, bool]]]:
    n = draw(st.integers(2, 7))
    edges = draw(st.lists(
        st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.booleans())
        .filter(lambda e: e[0] != e[1]), max_size=14))
    return n, edges


def _essence(c: Checked) -> list[tuple[str, str, str, tuple[str, ...], str | None]]:
    """What must not depend on declaration order: everything but positions."""
    return sorted((d.message, c.text(d), d.primary.message, d.notes, d.help)
                  for d in c.diagnostics)


@given(graphs(), st.integers(0, 2**32))
def test_one_report_per_cyclic_component_whatever_the_declaration_order(
        graph: tuple[int, list[tuple[int, int, bool]]], seed: int) -> None:
    n, edges = graph
    hard = nx.DiGraph((f"b{u}.main", f"b{v}.main") for u, v, p in edges if not p)
    cyclic = [s for s in nx.strongly_connected_components(hard) if len(s) > 1]
    first = Checked(org(edges, n))
    assert first.codes == ["E306"] * len(cyclic)
    for d in first.diagnostics:
        cycle = d.message.rsplit(": ", 1)[1].strip("`").split(" → ")
        assert cycle[0] == cycle[-1]
        assert len(set(cycle[:-1])) == len(cycle) - 1
        assert all(hard.has_edge(u, v) for u, v in itertools.pairwise(cycle))
        assert cycle[0] == min(next(s for s in cyclic if cycle[0] in s))
    assert _essence(Checked(org(edges, n, seed))) == _essence(first)
