"""How the deploy-time helper travels: each embedded module is its source file in meaning
(docstrings, comments and blank lines dropped, the helper's import renamed), runs on the
python3 of the images (3.9 and later), imports nothing but the standard library and the helper,
and the shared package imports no backend."""

from __future__ import annotations

import ast
import sys
from importlib import resources
from pathlib import Path

import pytest

from odmdc.backends.codepipeline.buildspec import RELEASE
from odmdc.backends.github_actions.scripts import DEPLOY, RESOLVE
from odmdc.backends.runtime import embed

MODULES = [embed.HELPER, RESOLVE, DEPLOY, RELEASE]
RUNTIME = Path(embed.__file__).parent


def _without_docstrings(tree: ast.AST) -> str:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and len(node.body) > 1:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                node.body = node.body[1:]
    return ast.dump(tree)


@pytest.mark.parametrize("m", MODULES, ids=[m.name for m in MODULES])
def test_embedded_module_is_its_source_in_meaning(m: embed.Module) -> None:
    source = resources.files(m.package).joinpath(m.file).read_text()
    embedded = m.source
    assert len(embedded) < len(source) * 0.85
    expected = source.replace(embed.HELPER_IMPORT, embed.EMBEDDED_IMPORT)
    assert _without_docstrings(ast.parse(embedded)) == _without_docstrings(ast.parse(expected))
    assert (embed.HELPER_IMPORT in source) == (m != embed.HELPER)


@pytest.mark.parametrize("m", MODULES, ids=[m.name for m in MODULES])
def test_embedded_module_needs_only_python3(m: embed.Module) -> None:
    tree = ast.parse(m.source, feature_version=(3, 9))  # the oldest python3 of the images
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported - {"odmd"} <= set(sys.stdlib_module_names), imported


def test_the_shared_package_imports_no_backend() -> None:
    for path in sorted(RUNTIME.glob("*.py")):
        tree = ast.parse(path.read_text())
        modules = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        modules += [a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for a in node.names]
        backends = [x for x in modules if x.startswith("odmdc.backends.")
                    and not x.startswith("odmdc.backends.runtime")]
        assert backends == [], path.name


def test_compact_never_touches_string_literals() -> None:
    source = 'X = """\n# not a comment\n\n  kept\n"""\n# a comment\n\ndef f():\n    """doc"""\n' \
             '    return X  # trailing\n'
    out = embed.compact(source)
    assert out == 'X = """\n# not a comment\n\n  kept\n"""\ndef f():\n' \
                  '    return X  # trailing\n'


def test_a_heredoc_writes_the_module_as_it_is(tmp_path: Path) -> None:
    import subprocess
    target = tmp_path / "odmd.py"
    script = embed.write(embed.HELPER, f"'{target}'")
    subprocess.run(["bash", "-c", script], check=True)
    assert target.read_text() == embed.HELPER.source
