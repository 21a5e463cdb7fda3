"""docs/runtime.md keeps up with the helper: every variable a build sees, every command, every
key of the enver document is there."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from odmdc.backends.codepipeline import release_runtime
from odmdc.backends.github_actions import deploy, resolve
from odmdc.backends.runtime import helper
from odmdc.backends.runtime.document import enver_document
from tests.helpers import compile_ok

DOC = (Path(__file__).resolve().parents[3] / "docs" / "runtime.md").read_text()


def _section(title: str) -> str:
    start = DOC.index(f"\n{title}\n")
    end = DOC.find("\n#", start + len(title) + 2)
    return DOC[start:end if end > 0 else None]


def _commands(p: argparse.ArgumentParser) -> list[str]:
    [sub] = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
    return list(sub.choices)


def _document() -> dict[str, object]:
    ir = compile_ok('build app : cdk { repo = "acme/app"  enver main = branch "main" in '
                    'workspace1 "us-east-1" }')
    return enver_document(ir.enver("app.main"))


def test_every_variable_a_build_sees_is_documented(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper, "HERE", str(tmp_path))  # where build_variables writes
    names = helper.build_variables(_document(), str(tmp_path / "products.json"))
    table = _section("## What a build sees")
    assert [n for n in names if f"`{n}`" not in table] == []


def test_every_command_is_documented() -> None:
    for name, p in (("", helper.parser()), ("odmd_resolve.py ", resolve.parser()),
                    ("odmd_deploy.py ", deploy.parser()),
                    ("odmd_release.py ", release_runtime.parser())):
        for command in _commands(p):
            assert f"`{name}{command}" in DOC, command


def test_every_key_of_the_enver_document_is_documented() -> None:
    table = _section("### The enver document")
    documented = set(re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)?", table, re.MULTILINE))
    keys = {k for pair in documented for k in pair if k}
    assert keys == set(_document())
