"""Random dependency graphs for the planner's property tests, and their contracts as source.

A graph is a DAG over nodes 0..n-1 (forward edges i → j, i < j, with or without a placeholder)
plus back edges j → i that always carry a placeholder, so every cycle can be broken. Node k is
the enver `<names[k]>.main`; the names are a permutation, so alphabetical order is not the
topological one. Some envers get a clone. Sources are written with a chosen declaration order
(builds across two files, consumers within an enver), to test that order never matters.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from odmdc.compiler.ir import Reaction
from odmdc.compiler.planner.deferral import Dep
from odmdc.compiler.planner.impact import Link

REACTIONS = (
    Reaction(kind="redeploy"),
    Reaction(kind="ignore"),
    Reaction(kind="notify"),
    Reaction(kind="approve", roles=("arn:aws:iam::111111111111:role/release",)),
)
PRODUCTS = ("out", "aux")


@dataclass(frozen=True)
class Edge:
    producer: int
    consumer: int
    placeholder: bool
    reaction: Reaction
    product: str  # which of the producer's PRODUCTS it reads


@dataclass(frozen=True)
class Graph:
    n: int
    names: tuple[str, ...]  # node → build id
    edges: tuple[Edge, ...]  # consumer names are c<index in edges>
    clones: frozenset[int]  # nodes with a clone `feat`

    def enver(self, node: int) -> str:
        return f"{self.names[node]}.main"

    def ids(self) -> list[str]:
        return sorted([*(self.enver(k) for k in range(self.n)),
                       *(f"{self.names[k]}.feat" for k in self.clones)])

    def deps(self) -> list[Dep]:
        """Every consumer as the planner sees it, clones' inherited copies included."""
        out = []
        for i, e in enumerate(self.edges):
            consumers = [f"{self.names[e.consumer]}.{x}" for x in
                         ("main", "feat") if x == "main" or e.consumer in self.clones]
            out += [Dep(self.enver(e.producer), c, f"c{i}", e.placeholder) for c in consumers]
        return out

    def links(self) -> list[Link]:
        out = []
        for i, e in enumerate(self.edges):
            consumers = [f"{self.names[e.consumer]}.{x}" for x in
                         ("main", "feat") if x == "main" or e.consumer in self.clones]
            out += [Link(self.enver(e.producer), c, f"c{i}", e.product, e.reaction)
                    for c in consumers]
        return out


@st.composite
def graphs(draw: st.DrawFn, max_nodes: int = 7, clones: bool = True) -> Graph:
    n = draw(st.integers(2, max_nodes))
    names = tuple(f"svc{k}" for k in draw(st.permutations(range(n))))
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    raw = draw(st.lists(st.tuples(pair, st.booleans(), st.sampled_from(REACTIONS),
                                  st.sampled_from(PRODUCTS)), min_size=n, max_size=3 * n))
    edges = []
    for (a, b), placeholder, reaction, product in raw:
        lo, hi = min(a, b), max(a, b)
        if a < b:  # forward: may or may not have a placeholder
            edges.append(Edge(lo, hi, placeholder, reaction, product))
        else:  # back edge: closes cycles, so it must be breakable
            edges.append(Edge(hi, lo, True, reaction, product))
    with_clones = draw(st.frozensets(st.integers(0, n - 1), max_size=2)) if clones else frozenset()
    return Graph(n, names, tuple(edges), with_clones)


def _reaction_text(r: Reaction) -> str:
    if r.kind == "redeploy":
        return ""  # the default: also exercise leaving it out
    if r.roles:
        roles = ", ".join(f'"{x}"' for x in r.roles)
        return f" on_change {r.kind}({roles})"
    return f" on_change {r.kind}"


def sources(g: Graph, build_order: list[int], consumer_order: list[int]) -> dict[str, str]:
    """The graph as contracts: builds in `build_order`, alternating between two files; each
    enver's consumers in the order their edge indices take in `consumer_order`."""
    rank = {e: i for i, e in enumerate(consumer_order)}
    files: dict[str, list[str]] = {"a.odmd": [], "b.odmd": []}
    for pos, node in enumerate(build_order):
        mine = sorted((i for i, e in enumerate(g.edges) if e.consumer == node),
                      key=lambda i: rank[i])
        consumes = "\n".join(
            f"      c{i} = {g.enver(g.edges[i].producer)}.{g.edges[i].product}"
            + (f' default "placeholder-{i}"' if g.edges[i].placeholder else "")
            + _reaction_text(g.edges[i].reaction)
            for i in mine
        )
        text = (
            f"build {g.names[node]} : cdk {{\n"
            f'  repo = "acme/{g.names[node]}"\n'
            f'  enver main = branch "main" in workspace1 "us-east-1" {{\n'
            f"    consumes {{\n{consumes}\n    }}\n"
            f"    produces {{ out: string  aux: string }}\n"
            f"  }}\n}}\n"
        )
        if node in g.clones:
            text += f'clone feat of {g.names[node]}.main = branch "feat"\n'
        files["a.odmd" if pos % 2 == 0 else "b.odmd"].append(text)
    return {path: "\n".join(parts) for path, parts in files.items() if parts}
