"""README.md's library example runs as written, in a copy of the repository's examples."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _library_example() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Using odmdc as a library"):]
    start = section.index("```python\n") + 10
    return section[start:section.index("\n```", start)]


def test_the_library_example_checks_and_compiles_the_shop(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(_library_example(), "README.md", "exec"), {})
    lines = printed.getvalue().splitlines()
    # the shop checks clean: nothing but the two summary lines
    assert len(lines) == 2, lines
    m = re.fullmatch(r"(\d+) files, (\d+) written", lines[0])
    assert m is not None, lines[0]
    out = tmp_path / "out" / "shop-library"
    listed = json.loads((out / "manifest.json").read_text())["files"]
    assert int(m.group(1)) == len(listed) > 40
    assert int(m.group(2)) == len(listed) + 1  # and the manifest, into an empty directory
    for path in listed:
        assert (out / path).is_file()
    # the first enver by id is the foundation's dev enver (examples/shop/foundation.odmd)
    assert lines[1].startswith("15 envers, first coffee-shop-foundation.dev: b..dev"), lines[1]
