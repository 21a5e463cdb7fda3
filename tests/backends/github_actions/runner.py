"""Run generated workflow steps the way a GitHub runner would, in tests.

`compile_org` compiles contracts with the backend; `step` finds a step of a workflow; `Runner`
runs a step's `run:` script with bash (`bash --noprofile --norc -eo pipefail`, GitHub's
invocation), with the step's and job's `env:` — each `${{ expression }}` replaced by the value
the test gives for that expression, so that an env entry a test does not know about fails
loudly — plus the variables a runner sets (RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_ENV,
GITHUB_ACTIONS, …), what earlier steps of the job appended to $GITHUB_ENV, and `aws` on PATH
answered by fake_aws.py. A job's first step run is preceded by its "set up odmd" step, which
writes the helper. It returns the step's outputs parsed from $GITHUB_OUTPUT, its stdout
(workflow commands such as `::notice::`) and stderr.
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

from odmdc import api
from odmdc.backends.github_actions import GithubActionsOptions, yaml_text
from odmdc.backends.github_actions.scripts import SETUP_STEP
from odmdc.compiler.unit import load
from tests.helpers import compile_ok, emit_context

FAKE_AWS = Path(__file__).with_name("fake_aws.py")
# what the fakes do besides logging: git knows the commit; `npm view` finds nothing published
# and `npm version` sets package.json's version; `docker login` reads its password, `docker
# image inspect` finds what `docker build -t` built; `gh` fails when an argument equals
# $FAKE_GH_FAIL
FAKE_TOOLS = {
    "git": 'if [[ $1 == rev-parse ]]; then echo 0123456789abcdef0123456789abcdef01234567; fi',
    "docker": 'if [[ $1 == login ]]; then cat >/dev/null; fi\n'
              'if [[ $1 == build ]]; then echo "$3" >>"$FAKE_TOOLS_LOG.images"; fi\n'
              'if [[ $1 == image ]]; then grep -qxF -- "$3" "$FAKE_TOOLS_LOG.images"; fi',
    "npm": 'if [[ $1 == view ]]; then exit 1; fi\nif [[ $1 == version ]]; then python3 -c "import'
           ' json, sys; p = json.load(open(\'package.json\')); p[\'version\'] = sys.argv[1];'
           ' json.dump(p, open(\'package.json\', \'w\'))" "${@: -1}"; fi',
    "gh": 'for a in "$@"; do if [[ -n ${FAKE_GH_FAIL:-} && $a == "$FAKE_GH_FAIL" ]]; then'
          ' echo "could not create workflow dispatch event: HTTP 422" >&2; exit 1; fi; done',
}
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def compile_org(files: Mapping[str, str] | str, prelude: bool = False,
                options: GithubActionsOptions | None = None) -> dict[str, str]:
    """Workflow path (below the backend's folder) → text."""
    ir = compile_ok(files, prelude=prelude)
    backend, ctx = emit_context(ir, "github_actions", (options or GithubActionsOptions()
                                                        ).model_dump())
    out = {f.path: f.content.decode() for f in backend.emit(ir, ctx)}
    assert ctx.diagnostics == []
    return out


def compile_folder(folder: Path, options: GithubActionsOptions | None = None) -> dict[str, str]:
    """Like `compile_org`, for contracts on disk (so that their `docs` paths resolve)."""
    result = api.check(load([str(folder)]), run_backends=False)
    assert result.ir is not None and result.diagnostics == [], result.diagnostics
    backend, ctx = emit_context(result.ir, "github_actions",
                                (options or GithubActionsOptions()).model_dump())
    out = {f.path: f.content.decode() for f in backend.emit(result.ir, ctx)}
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
    tools: list[list[str]]  # [cwd, *argv] of each docker/npx/npm/git/gh call
    aws: dict[str, Any]  # the fake's whole state (ecr, deleted_stacks, …)
    odmd_dir: Path  # $RUNNER_TEMP/odmd: the files the steps hand each other

    @property
    def commands(self) -> list[tuple[str, str]]:
        """Workflow commands printed, on either stream as the runner reads them: (command,
        message)."""
        out = []
        for line in [*self.stdout.splitlines(), *self.stderr.splitlines()]:
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
        # the runner image's one python3 (a pyenv shim would put its own `aws` first on PATH)
        python = self.bin / "python3"
        python.write_text(f"#!/bin/sh\nexec \"{sys.executable}\" \"$@\"\n")
        python.chmod(0o755)
        for tool in ("docker", "npx", "npm", "git", "gh"):  # record their arguments, succeed
            fake = self.bin / tool
            fake.write_text(f'#!/bin/bash\nprintf "%s\\0" "$PWD" {tool} "$@" >>"$FAKE_TOOLS_LOG"\n'
                            f'printf "\\n" >>"$FAKE_TOOLS_LOG"\n{FAKE_TOOLS.get(tool, "")}\n')
            fake.chmod(0o755)
        self.runs = 0
        self.aws: dict[str, Any] = {}

    def run(self, job: dict[str, Any], step: dict[str, Any], expressions: Mapping[str, str],
            env: Mapping[str, str] | None = None, files: Mapping[str, str] | None = None,
            same_job: bool = False) -> Result:
        """Run `step`; with `same_job`, on the runner of the previous run (its RUNNER_TEMP,
        workspace, $GITHUB_ENV and AWS state), as the next step of one job. A new job first
        runs its "set up odmd" step, as GitHub would have before this one."""
        setup = [s for s in job["steps"] if s.get("name") == SETUP_STEP]
        if not same_job and setup and step is not setup[0]:
            done = self.run(job, setup[0], expressions, env, files)
            assert done.returncode == 0, done.stdout + done.stderr
            return self._step(job, step, expressions, env, None, same_job=True)
        return self._step(job, step, expressions, env, files, same_job)

    def _step(self, job: dict[str, Any], step: dict[str, Any], expressions: Mapping[str, str],
              env: Mapping[str, str] | None, files: Mapping[str, str] | None,
              same_job: bool) -> Result:
        if not same_job:
            self.runs += 1
        work = self.root / f"run{self.runs}"
        temp = work / "temp"
        workspace = work / "workspace"
        state = work / "aws.json"
        job_env = work / "github_env"
        if not same_job:
            temp.mkdir(parents=True)
            workspace.mkdir()
            job_env.write_text("")
        # AWS outlives jobs (ECR repositories, S3 objects); the calls are this job's
        calls = json.loads(state.read_text())["calls"] if same_job else []
        state.write_text(json.dumps({**self.aws, "ssm": self.ssm, "calls": calls}))
        for rel, text in (files or {}).items():
            (workspace / rel).parent.mkdir(parents=True, exist_ok=True)
            (workspace / rel).write_text(text)
            if rel.endswith(".sh"):
                (workspace / rel).chmod(0o755)
        output, summary = work / "output", work / "summary"
        output.write_text("")
        summary.touch()

        def value(v: Any) -> str:
            text = v if isinstance(v, str) else json.dumps(v)
            return _EXPR.sub(lambda m: expressions[m.group(1)], text)

        base = {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}", "HOME": str(work),
            "RUNNER_TEMP": str(temp), "GITHUB_OUTPUT": str(output), "GITHUB_ENV": str(job_env),
            "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTIONS": "true",
            "FAKE_AWS_STATE": str(state), "CI": "true", "FAKE_AWS_ACCOUNT": "222222222222",
            "FAKE_TOOLS_LOG": str(work / "tools.log"),
            "GITHUB_RUN_NUMBER": "17", "GITHUB_RUN_ATTEMPT": "2",
            "GITHUB_REPOSITORY": "kitchen/api",
        }
        full = {**base, **self.env, **(env or {})}
        for k, v in job.get("env", {}).items():
            full[k] = value(v)
        full |= _outputs(job_env.read_text())  # what earlier steps set for the job
        for k, v in step.get("env", {}).items():
            full[k] = value(v)
        script = work / "step.sh"
        script.write_text(step["run"])
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              cwd=workspace, env=full, capture_output=True, text=True,
                              check=False, timeout=60)
        data = json.loads(state.read_text())
        self.ssm = data["ssm"]
        self.aws = {k: v for k, v in data.items() if k not in ("ssm", "calls")}
        log = work / "tools.log"
        tools = [r.split("\0") for r in log.read_text().split("\0\n") if r] \
            if log.exists() else []
        return Result(proc.returncode, _outputs(output.read_text()), proc.stdout, proc.stderr,
                      data["calls"], data["ssm"], data.get("s3", {}), summary.read_text(),
                      tools, data, temp / "odmd")
