"""The cloudformation backend knows no CI engine: it asks the engines in its context
(`odmdc.backends.ci`). Its code — not its docs — names none, in strings or identifiers, and
the import contracts keep it from importing one."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "odmdc" / "backends" / "cloudformation"
ENGINE_WORDS = ("github", "codepipeline", "codebuild", "pipeline")


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def test_the_code_names_no_ci_engine() -> None:
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) and isinstance(
                node.value, str) and id(node) not in docs else \
                node.id if isinstance(node, ast.Name) else \
                node.attr if isinstance(node, ast.Attribute) else None
            if text is not None and any(w in text.lower() for w in ENGINE_WORDS):
                found.append(f"{path.name}:{getattr(node, 'lineno', '?')}: {text[:60]!r}")
    assert found == []
