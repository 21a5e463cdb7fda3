"""Run generated workflow steps the way a GitHub runner would, in tests.

`compile_org` compiles contracts with the backend; `step` finds a step of a workflow; `Runner`
runs a step's `run:` script with bash (`bash --noprofile --norc -eo pipefail`, GitHub's
invocation), with the step's and job's `env:` — each `${{ expression }}` replaced by the value
the test gives for that expression, so that an env entry a test does not know about fails
loudly — plus the variables a runner sets (RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_EVENT_NAME, …),
and `aws` on PATH answered by fake_aws.py. It returns the step's outputs parsed from
$GITHUB_OUTPUT, its stdout (workflow commands such as `::notice::`) and stderr.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from odmdc.backends.api import EmitContext
from odmdc.backends.github_actions import GithubActionsBackend, GithubActionsOptions, yaml_text
from tests.helpers import compile_ok

FAKE_AWS = Path(__file__).with_name("fake_aws.py")
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def compile_org(files: Mapping[str, str] | str, prelude: bool = False,
                options: GithubActionsOptions | None = None) -> dict[str, str]:
    """Workflow path (below the backend's folder) → text."""
    ir = compile_ok(files, prelude=prelude)
    opts = options or GithubActionsOptions()
    ctx = EmitContext("github_actions", opts)
    out = {f.path: f.content.decode() for f in GithubActionsBackend(opts).emit(ir, ctx)}
    assert ctx.diagnostics == []
    return out


def org_files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.glob("*.odmd"))}


def workflow(files: Mapping[str, str], name: str) -> dict[str, Any]:
    """The parsed workflow whose file name is `name`."""
    [path] = [p for p in files if p.endswith("/" + name)]
    doc: dict[str, Any] = yaml_text.load(files[path])
    return doc


def step(doc: dict[str, Any], job: str, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(job, step) of the step called `name` in `job`."""
    j = doc["jobs"][job]
    [s] = [s for s in j["steps"] if s.get("name") == name]
    return j, s


@dataclass
class Result:
    returncode: int
    outputs: dict[str, str]
    stdout: str
    stderr: str
    calls: list[dict[str, Any]]
    ssm: dict[str, str]
    s3: dict[str, str]
    summary: str

    @property
    def commands(self) -> list[tuple[str, str]]:
        """Workflow commands printed: (command, message)."""
        out = []
        for line in self.stdout.splitlines():
            m = re.match(r"::(\w+)(?: [^:]*)?::(.*)", line)
            if m:
                out.append((m.group(1), m.group(2)))
        return out

    def plan(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.outputs["plan"])
        return data


def _outputs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            out[name] = "\n".join(lines[i + 1:end])
            i = end + 1
        else:
            name, value = line.split("=", 1)
            out[name] = value
            i += 1
    return out


@dataclass
class Runner:
    root: Path
    ssm: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.bin = self.root / "bin"
        self.bin.mkdir(parents=True, exist_ok=True)
        aws = self.bin / "aws"
        aws.write_text(f"#!/bin/sh\nexec \"{sys.executable}\" -S -E \"{FAKE_AWS}\" \"$@\"\n")
        aws.chmod(0o755)
        self.runs = 0

    def run(self, job: dict[str, Any], step: dict[str, Any], expressions: Mapping[str, str],
            env: Mapping[str, str] | None = None, files: Mapping[str, str] | None = None
            ) -> Result:
        self.runs += 1
        work = self.root / f"run{self.runs}"
        temp = work / "temp"
        temp.mkdir(parents=True)
        workspace = work / "workspace"
        workspace.mkdir()
        for rel, text in (files or {}).items():
            (workspace / rel).parent.mkdir(parents=True, exist_ok=True)
            (workspace / rel).write_text(text)
        state = work / "aws.json"
        state.write_text(json.dumps({"ssm": self.ssm, "calls": []}))
        output, summary = work / "output", work / "summary"
        output.touch()
        summary.touch()

        def value(v: Any) -> str:
            text = v if isinstance(v, str) else json.dumps(v)
            return _EXPR.sub(lambda m: expressions[m.group(1)], text)

        base = {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}", "HOME": str(work),
            "RUNNER_TEMP": str(temp), "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(workspace),
            "FAKE_AWS_STATE": str(state), "CI": "true",
        }
        full = {**base, **self.env, **(env or {})}
        for k, v in {**job.get("env", {}), **step.get("env", {})}.items():
            full[k] = value(v)
        script = work / "step.sh"
        script.write_text(step["run"])
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              cwd=workspace, env=full, capture_output=True, text=True,
                              check=False, timeout=60)
        data = json.loads(state.read_text())
        self.ssm = data["ssm"]
        return Result(proc.returncode, _outputs(output.read_text()), proc.stdout, proc.stderr,
                      data["calls"], data["ssm"], data.get("s3", {}), summary.read_text())
