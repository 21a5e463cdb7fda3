"""The cycle finder on bare graphs: one valid, shortest, order-independent cycle per
cycle-bearing strongly connected component, in linear time."""

import itertools
import random
import time

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from odmdc.compiler.checker.cycles import representative_cycles

Edges = list[tuple[int, int]]


def graph(edges: Edges, nodes: int = 0) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(f"n{i:02d}" for i in range(nodes))
    g.add_edges_from((f"n{u:02d}", f"n{v:02d}") for u, v in edges)
    return g



@st.composite
def edge_lists(draw: st.DrawFn) -> Edges:
    """Small, dense graphs: ties between equally short cycles are common in them."""
    n = draw(st.integers(1, 8))
    pairs = [(u, v) for u in range(n) for v in range(n)]
    return draw(st.lists(st.sampled_from(pairs), unique=True, min_size=n, max_size=3 * n))


@given(edge_lists())
def test_one_valid_shortest_cycle_per_cyclic_component(edges: Edges) -> None:
    g = graph(edges)
    cycles = representative_cycles(g)
    components = [s for s in nx.strongly_connected_components(g)
                  if len(s) > 1 or any(g.has_edge(n, n) for n in s)]
    assert len(cycles) == len(components)
    assert sorted(c[0] for c in cycles) == sorted(min(s) for s in components)
    for cycle in cycles:
        start = cycle[0]
        assert cycle[-1] == start
        assert len(set(cycle[:-1])) == len(cycle) - 1
        assert all(g.has_edge(u, v) for u, v in itertools.pairwise(cycle))
        # shortest through its start: one step back from the nearest predecessor
        shortest = min(nx.shortest_path_length(g, start, p) + 1
                       for p in g.predecessors(start) if nx.has_path(g, start, p))
        assert len(cycle) - 1 == shortest


@given(edge_lists(), st.randoms(use_true_random=False))
def test_the_cycles_do_not_depend_on_insertion_order(edges: Edges, rnd: random.Random) -> None:
    shuffled = list(edges)
    rnd.shuffle(shuffled)
    assert representative_cycles(graph(shuffled)) == representative_cycles(graph(edges))


def test_an_acyclic_graph_has_none() -> None:
    assert representative_cycles(graph([(0, 1), (1, 2), (0, 2)])) == []


def test_a_self_loop_is_a_cycle() -> None:
    assert representative_cycles(graph([(0, 0), (0, 1)])) == [["n00", "n00"]]


def test_five_thousand_nodes_twenty_thousand_edges_stay_fast() -> None:
    rng = random.Random(7)
    n = 5000
    g = nx.DiGraph()
    g.add_edges_from((f"e{rng.randrange(n)}", f"e{rng.randrange(n)}") for _ in range(20000))
    t = time.perf_counter()
    cycles = representative_cycles(g)
    elapsed = time.perf_counter() - t
    assert cycles  # a random graph this dense has a giant component
    assert elapsed < 2.0, f"{elapsed:.2f}s"  # ~0.05 s measured; the bound is for slow CI
