"""A backend from another distribution, installed with pip, is found and used like a built-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.backends.plugins import install, odmdc
from tests.helpers import PRELUDE

FIXTURE = Path(__file__).parent / "fixtures" / "counts_backend"

ORG = PRELUDE + """
build orders : cdk {
  repo = "acme/orders"
  enver main = branch "main" in workspace1 "us-east-1"
  enver dev  = branch "dev" in workspace1 "us-east-1"
}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install(FIXTURE, tmp_path_factory.mktemp("site"))


def test_backends_lists_the_installed_plugin(site: Path, tmp_path: Path) -> None:
    out = odmdc(site, "backends", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("counts "))
    assert line.split() == ["counts", "odmdc-counts", "1.2.3", "envers", "per", "build"]
    assert any(ln.startswith("ssm ") for ln in out.stdout.splitlines())


def test_compile_with_the_plugin(site: Path, tmp_path: Path) -> None:
    (tmp_path / "org.odmd").write_text(ORG)
    out = odmdc(site, "compile", ".", "-o", "out", "--backend", "counts", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "out" / "counts" / "counts.txt").read_text() == (
        "contracts: 1\norders: 2\n"
    )
    manifest = (tmp_path / "out" / "manifest.json").read_text()
    assert '"counts/counts.txt"' in manifest


def test_without_the_plugin_the_backend_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "org.odmd").write_text(ORG)
    out = odmdc(None, "compile", ".", "-o", "out", "--backend", "counts", cwd=tmp_path)
    assert out.returncode == 1
    assert "no backend named `counts` is installed" in out.stderr
    assert not (tmp_path / "out").exists()
