"""Parser throughput: `python -m benchmarks.parse [--sizes 1000 5000] [--runs 5]`.

For each size it generates a synthetic org (`benchmarks.synth`) and parses all its files in
this process, `--runs` times per variant, and prints the median wall and CPU time and lines per
second (of wall time) of:

- `fast`: `odmdc.compiler.grammar.parse` as `odmdc check` runs it, the cyclic GC paused (as
  `gc_policy.parsing` does);
- `fast, gc on`: the same with the collector running at its default thresholds;
- `stock, gc on`: Lark's own lexer and parser, driving the same builders through its inline
  transformer (`parser._parse(…, stock=True)`): the front end before the fast one, and what
  parses everything where the fast one cannot read the installed Lark.

When the fast front end is off (`parser.FALLBACK`), the table is followed by why: its `fast`
rows then time the stock path.

A run holds on to the trees of the files it parsed, as a command does; they are dropped
between runs.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.synth import write
from odmdc.compiler.grammar import parser

Files = list[tuple[str, str]]


def _fast(files: Files) -> list[object]:
    # What `gc_policy.parsing` does, written out: a generator-based context manager kept alive
    # across the parse made this loop (not `odmdc check`) a quarter slower in CPython 3.11.
    gc.disable()
    try:
        return [parser.parse(f, t) for f, t in files]
    finally:
        gc.enable()


def _fast_gc(files: Files) -> list[object]:
    return [parser.parse(f, t) for f, t in files]


def _stock_gc(files: Files) -> list[object]:
    return [parser._parse(f, t, stock=True) for f, t in files]


VARIANTS: dict[str, Callable[[Files], list[object]]] = {
    "fast": _fast, "fast, gc on": _fast_gc, "stock, gc on": _stock_gc,
}


def measure(files: Files, runs: int) -> dict[str, tuple[float, float]]:
    """Variant → (median wall s, median CPU s)."""
    out: dict[str, tuple[float, float]] = {}
    for name, run in VARIANTS.items():
        walls, cpus = [], []
        for _ in range(runs):
            gc.collect()
            w, c = time.perf_counter(), time.process_time()
            trees = run(files)
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
            del trees
        out[name] = statistics.median(walls), statistics.median(cpus)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args()
    parser.parse("warm-up.odmd", "org o {}")  # build the parser outside the timings
    print("| envers | lines | MB | variant | wall s | CPU s | lines/s |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="odmdc-parse-") as tmp:
        for size in a.sizes:
            root = write(size, Path(tmp) / f"org-{size}")
            files = [(str(f), f.read_text("utf-8")) for f in sorted(root.rglob("*.odmd"))]
            lines = sum(t.count("\n") + 1 for _, t in files)
            mb = sum(len(t.encode()) for _, t in files) / 1e6
            for name, (wall, cpu) in measure(files, a.runs).items():
                print(f"| {size} | {lines} | {mb:.1f} | {name} | {wall:.3f} | {cpu:.3f} | "
                      f"{lines / wall:,.0f} |")
    if parser.FALLBACK is not None:
        print(f"\nfast front end off: {parser.FALLBACK}")


if __name__ == "__main__":
    main()
