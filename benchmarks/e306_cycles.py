"""E306 on a large synthetic org: `python -m benchmarks.e306_cycles [ENVERS] [CONSUMERS]`.

Builds an org of ENVERS builds with one enver each (default 5,000) and CONSUMERS consumers
without placeholders between random envers (default 20,000; a graph that dense is one giant
strongly connected component), then times each stage: parsing, resolving, the graph E306
builds, the cycle search alone, the whole rule, and a full `check`.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from odmdc import api
from odmdc.compiler.checker.context import CheckContext
from odmdc.compiler.checker.cycles import representative_cycles
from odmdc.compiler.checker.resolve import resolve
from odmdc.compiler.rules.e3xx_graph.e306_cycle import DependencyCycle, hard_edges
from odmdc.compiler.sources import Source, stdlib_sources
from odmdc.compiler.unit import Unit, parse_sources

T = TypeVar("T")

HEADER = """\
org bench {
  accounts {
    central = "111111111111"
    workspace1 = "222222222222"
  }
}
build contracts : contracts_lib {
  repo = "bench/contracts"
  enver main = branch "main" in central "us-east-1"
}
"""


def synthetic_org(envers: int, consumers: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    reads: list[list[str]] = [[] for _ in range(envers)]
    for k in range(consumers):
        u, v = rng.randrange(envers), rng.randrange(envers)
        while u == v:  # an own-build edge is E301's, not a cycle edge
            v = rng.randrange(envers)
        reads[v].append(f"c{k} = s{u}.main.out")
    parts = [HEADER]
    for v in range(envers):
        body = " ".join(reads[v])
        parts.append(
            f'build s{v} : cdk {{\n  repo = "bench/s{v}"\n'
            f'  enver main = branch "main" in workspace1 "us-east-1" {{\n'
            f"    produces {{ out: string }}\n    consumes {{ {body} }}\n  }}\n}}\n"
        )
    return "".join(parts)


def timed(label: str, f: Callable[[], T], repeat: int = 5) -> T:
    """Best of `repeat` runs (this machine is shared; the minimum is the least noisy)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = f()
        best = min(best, time.perf_counter() - t)
    print(f"{label:<38} {best:8.3f} s")
    return result  # type: ignore[return-value]


def main(argv: list[str]) -> None:
    envers = int(argv[0]) if argv else 5000
    consumers = int(argv[1]) if len(argv) > 1 else 20000
    text = synthetic_org(envers, consumers)
    print(f"{envers} envers, {consumers} consumers, {text.count(chr(10))} lines")
    unit = timed("parse", lambda: parse_sources([Source("bench.odmd", text)],
                                                parse_sources(stdlib_sources())), repeat=1)
    model = timed("resolve", lambda: resolve(unit.files, unit.stdlib))
    ctx = CheckContext(Unit(), model)
    g = timed("E306 graph (judged, no default)", lambda: hard_edges(ctx))
    print(f"  {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    cycles = timed("SCCs + one cycle each", lambda: representative_cycles(g))
    print(f"  {len(cycles)} cycle(s), first of length {len(cycles[0]) - 1 if cycles else 0}")
    timed("E306 rule (graph + cycles + report)",
          lambda: DependencyCycle().check(CheckContext(Unit(), model)))
    result = timed("full check (resolve + all rules + IR)",
                   lambda: api.check(unit, run_backends=False), repeat=3)
    print(f"  {len(result.diagnostics)} diagnostic(s): "
          + ", ".join(sorted({d.code for d in result.diagnostics})))


if __name__ == "__main__":
    main(sys.argv[1:])
