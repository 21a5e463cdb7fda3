"""Same contracts, same bytes (docs/semantics.md#determinism): whatever the order of files and
declarations, and compiling again rewrites nothing.

The property test cuts an org's files into their declarations — top-level items, a build's
envers and attributes, an enver's blocks, the consumers and products inside them — shuffles
them at every level, deals the top-level items out to a random number of files with random
names in a random order, and compiles: the cloudformation output must equal the original's
byte for byte.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from odmdc import api
from odmdc.cli import main
from odmdc.compiler import ast
from odmdc.compiler.grammar import parse
from odmdc.compiler.sources import Source, stdlib_sources
from odmdc.compiler.unit import parse_sources
from tests.backends.cloudformation.support import ORGS, compiled, org_id
from tests.helpers import emit

SHUFFLE_ORGS = sorted(d for d in ORGS.iterdir() if d.is_dir())


def children(node: Any) -> tuple[Any, ...]:
    """The parts of a declaration whose order the language says does not matter."""
    if isinstance(node, ast.Build | ast.Enver):
        return tuple(node.body)
    if isinstance(node, ast.Consumes):
        return node.consumers
    if isinstance(node, ast.Produces):
        return node.products
    return ()


def shuffled(text: str, node: Any, rng: random.Random) -> str:
    parts = children(node)
    start, end = node.span.start, node.span.end
    if len(parts) < 2:
        inner = [shuffled(text, p, rng) for p in parts]
        if not parts:
            return text[start:end]
        return text[start:parts[0].span.start] + inner[0] + text[parts[0].span.end:end]
    head = text[start:parts[0].span.start]
    tail = text[parts[-1].span.end:end]
    body = [shuffled(text, p, rng) for p in parts]
    rng.shuffle(body)
    return head + "\n".join(body) + tail


def declarations(org: Path) -> list[tuple[str, Any]]:
    out = []
    for path in sorted(org.rglob("*.odmd")):
        text = path.read_text("utf-8")
        tree, problems = parse(str(path), text)
        assert problems == []
        out += [(text, item) for item in tree.items]
    return out


def compile_sources(sources: list[Source]) -> dict[str, bytes]:
    unit = parse_sources(stdlib_sources())
    unit.file_count = len(sources)
    result = api.check(parse_sources(sources, unit), run_backends=False)
    assert result.ir is not None, [f"{d.code} {d.message}" for d in result.diagnostics]
    return emit(result.ir, ["cloudformation"]).files


@pytest.mark.parametrize("org", SHUFFLE_ORGS, ids=org_id)
@given(rng=st.randoms(use_true_random=False))
def test_shuffled_input_gives_identical_output(org: Path, rng: random.Random) -> None:
    items = [shuffled(text, item, rng) for text, item in declarations(org)]
    rng.shuffle(items)
    n = rng.randint(1, len(items))
    files: dict[str, list[str]] = {f"f{rng.randrange(10**6)}-{i}.odmd": [] for i in range(n)}
    names = list(files)
    for i, item in enumerate(items):  # every file gets one, the rest go anywhere
        files[names[i] if i < n else rng.choice(names)].append(item)
    sources = [Source(name, "\n\n".join(body) + "\n") for name, body in files.items()]
    rng.shuffle(sources)
    expected = {f"cloudformation/{p}": b for p, b in compiled(org).files.items()}
    assert compile_sources(sources) == expected


@pytest.mark.parametrize("org", SHUFFLE_ORGS, ids=org_id)
def test_compiling_again_changes_no_file(org: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["compile", str(org), "-o", str(out), "--backend", "cloudformation"]
    assert main(args) == 0
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino, p.read_bytes())
              for p in out.rglob("*") if p.is_file()}
    assert main(args) == 0
    after = {p: (p.stat().st_mtime_ns, p.stat().st_ino, p.read_bytes())
             for p in out.rglob("*") if p.is_file()}
    assert after == before
    # and the manifest, and the recompile cache (not output: the manifest does not list it)
    assert len(before) == len(compiled(org).files) + 2
