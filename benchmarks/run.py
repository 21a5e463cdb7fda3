"""The performance harness: `make bench` (or `python -m benchmarks.run [--sizes …] [--runs N]`).

For each size it generates a synthetic org (`benchmarks.synth`) and runs, in fresh processes:
`odmdc check` (with `--timings`), a full `odmdc compile` to every installed backend into an
empty directory, a recompile with nothing changed, and a plain `cp -r` of the output tree (what
writing those bytes costs without generating them). Each is repeated `--runs` times; the report
gives min / median / max of every stage, the peak RSS, and the scaling exponent between sizes
(`log(t2/t1) / log(n2/n1)`: 1.0 is linear). Results go to `benchmarks/results/bench.json` and a
Markdown table `benchmarks/results/bench.md`, and the table is printed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.synth import write
from odmdc.api.plugins import listed

RESULTS = Path(__file__).parent / "results"
ODMDC = [sys.executable, "-m", "odmdc"]


def _installed_backends() -> list[str]:
    return [row.name for row in listed("backends")]


def _timed(cmd: list[str], cwd: Path) -> tuple[float, dict[str, Any]]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-4000:]}")
    timings_file = cwd / "timings.json"
    data = json.loads(timings_file.read_text()) if timings_file.exists() else {}
    timings_file.unlink(missing_ok=True)
    return wall, data


def _stats(values: list[float]) -> dict[str, float]:
    return {"min": round(min(values), 4), "median": round(statistics.median(values), 4),
            "max": round(max(values), 4)}


def _flatten(t: dict[str, Any]) -> dict[str, float]:
    flat = {k: float(v) for k, v in t.items() if k != "backends"}
    flat.update({f"backend:{k}": float(v) for k, v in t.get("backends", {}).items()})
    return flat


def measure(size: int, runs: int, backends: list[str], work: Path) -> dict[str, Any]:
    org = write(size, work / f"org-{size}")
    envers = sum(t.count("  enver ") for t in (p.read_text() for p in org.rglob("*.odmd")))
    check_cmd = [*ODMDC, "check", str(org), "--timings", "timings.json"]
    backend_args = [a for b in backends for a in ("--backend", b)]
    samples: dict[str, list[dict[str, float]]] = {"check": [], "compile": [], "recompile": []}
    walls: dict[str, list[float]] = {"check": [], "compile": [], "recompile": [], "cp": []}
    out = work / f"out-{size}"
    for _ in range(runs):
        wall, t = _timed(check_cmd, work)
        walls["check"].append(wall)
        samples["check"].append(_flatten(t))
        shutil.rmtree(out, ignore_errors=True)
        cmd = [*ODMDC, "compile", str(org), "-o", str(out), *backend_args,
               "--timings", "timings.json"]
        wall, t = _timed(cmd, work)
        walls["compile"].append(wall)
        samples["compile"].append(_flatten(t))
        wall, t = _timed(cmd, work)
        walls["recompile"].append(wall)
        samples["recompile"].append(_flatten(t))
        copy = work / f"copy-{size}"
        shutil.rmtree(copy, ignore_errors=True)
        t0 = time.perf_counter()
        subprocess.run(["cp", "-r", str(out), str(copy)], check=True)
        walls["cp"].append(time.perf_counter() - t0)
        shutil.rmtree(copy)
    files = sum(1 for p in out.rglob("*") if p.is_file())
    size_bytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    result: dict[str, Any] = {"envers": envers, "output_files": files, "output_bytes": size_bytes,
                              "wall": {k: _stats(v) for k, v in walls.items()}}
    for run_kind, rows in samples.items():
        keys = sorted({k for r in rows for k in r})
        result[run_kind] = {k: _stats([r.get(k, 0.0) for r in rows]) for k in keys}
    shutil.rmtree(out, ignore_errors=True)
    return result


def _exponent(a: dict[str, Any], b: dict[str, Any], run: str, key: str) -> float:
    ta, tb = a[run][key]["median"], b[run][key]["median"]
    return round(math.log(tb / ta) / math.log(b["envers"] / a["envers"]), 3)


def targets(r: dict[str, Any]) -> dict[str, Any]:
    """The issue's targets, evaluated on medians."""
    c, k = r["compile"], r["check"]
    after_parse = k["total"]["median"] - k["parse"]["median"]
    return {
        "check_after_parse_over_parse": round(after_parse / k["parse"]["median"], 2),
        "compile_over_parse_plus_cp": round(
            c["total"]["median"] / (c["parse"]["median"] + r["wall"]["cp"]["median"]), 2),
        "recompile_over_compile": round(
            r["recompile"]["total"]["median"] / c["total"]["median"], 3),
        "peak_rss_mb": c["peak_rss_mb"]["max"],
    }


def table(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    rows = ["| stage | " + " | ".join(f"{s['envers']} envers (min / median / max s)"
                                         for s in sizes) + " |",
            "|---|" + "---|" * len(sizes)]

    def row(label: str, run: str, key: str) -> None:
        cells = []
        for s in sizes:
            st = s[run].get(key) if run != "wall" else s["wall"].get(key)
            cells.append("–" if st is None else f"{st['min']:.3f} / {st['median']:.3f} / "
                         f"{st['max']:.3f}")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    for key in ("parse", "check", "total"):
        row(f"check: {key}", "check", key)
    backends = sorted({k for s in sizes for k in s["compile"] if k.startswith("backend:")})
    for key in ("parse", "check", "plan", *backends, "write", "total"):
        row(f"compile: {key.removeprefix('backend:')}", "compile", key)
    row("recompile (nothing changed): total", "recompile", "total")
    row("`cp -r` of the output tree", "wall", "cp")
    rows.append("| peak RSS (MB, compile) | " + " | ".join(
        f"{s['compile']['peak_rss_mb']['max']:.0f}" for s in sizes) + " |")
    rows.append("| output files / MB | " + " | ".join(
        f"{s['output_files']} / {s['output_bytes'] / 1e6:.1f}" for s in sizes) + " |")
    lines = ["\n".join(rows), ""]
    for s in sizes:
        lines.append(f"- {s['envers']} envers: {json.dumps(s['targets'])}")
    for name, value in results["exponents"].items():
        lines.append(f"- scaling exponent {name}: {value}")
    return "\n".join(lines) + "\n"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--backend", action="append", default=[],
                   help="compile with these backends (default: every installed one)")
    a = p.parse_args()
    backends = a.backend or _installed_backends()
    with tempfile.TemporaryDirectory(prefix="odmdc-bench-") as tmp:
        sizes = [measure(n, a.runs, backends, Path(tmp)) for n in a.sizes]
    for s in sizes:
        s["targets"] = targets(s)
    exponents = {}
    for x, y in itertools.pairwise(sizes):
        label = f"{x['envers']}→{y['envers']}"
        exponents[f"check {label}"] = _exponent(x, y, "check", "total")
        exponents[f"compile {label}"] = _exponent(x, y, "compile", "total")
    results = {"backends": backends, "runs": a.runs, "sizes": sizes, "exponents": exponents,
               "python": sys.version.split()[0]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    text = table(results)
    (RESULTS / "bench.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
