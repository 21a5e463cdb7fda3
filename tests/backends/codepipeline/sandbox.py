"""A folder standing in for a CodeBuild container: odmd's helper and the release runner as the
buildspecs embed them, and fake `aws`, `docker` and `npm` commands (fake_cli.py) on PATH."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from odmdc.backends.codepipeline.buildspec import RELEASE
from odmdc.backends.codepipeline.layout import layout
from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.backends.runtime import embed
from odmdc.backends.runtime.document import enver_document
from tests.backends.codepipeline.orgs import compiled, options_for

FAKE = Path(__file__).with_name("fake_cli.py")


def command(call: dict[str, Any]) -> list[str]:
    """A call's arguments without the global `--profile X` it may start with."""
    args: list[str] = call["args"]
    return args[2:] if args[:1] == ["--profile"] else args


@dataclass
class Sandbox:
    root: Path
    env: dict[str, str]

    @property
    def state(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.root / "state.json").read_text())
        return data

    def set(self, **kw: Any) -> None:
        s = self.state
        s.update(kw)
        (self.root / "state.json").write_text(json.dumps(s))

    def run(self, *args: str, extra_env: dict[str, str] | None = None,
            script: str = "odmd.py") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(self.root / script), *args],
                              env={**self.env, **(extra_env or {})}, cwd=self.root,
                              capture_output=True, text=True, check=False, timeout=60)

    def env_from(self, out: str) -> dict[str, str]:
        """What `eval` of the helper's `env` output exports."""
        script = f"{out}\nenv -0"
        done = subprocess.run(["bash", "-c", script], env={"PATH": os.environ["PATH"]},
                              capture_output=True, text=True, check=True)
        pairs = [x.split("=", 1) for x in done.stdout.split("\0") if "=" in x]
        return {k: v for k, v in pairs if k not in ("PWD", "SHLVL", "_", "PATH", "OLDPWD")}

    def calls(self, tool: str = "aws") -> list[dict[str, Any]]:
        return [c for c in self.state["calls"] if c["tool"] == tool]

    def aws(self, service: str, operation: str) -> list[dict[str, Any]]:
        return [c for c in self.calls() if command(c)[:2] == [service, operation]]

    def puts(self) -> list[dict[str, Any]]:
        """The specs of the parameters written, in order."""
        return [json.loads(command(c)[command(c).index("--cli-input-json") + 1])
                for c in self.aws("ssm", "put-parameter")]


def enver_json(ident: str) -> str:
    ir = compiled("multi")
    lay = layout(ir, ir.enver(ident), CodePipelineOptions.model_validate(options_for(ir)))
    return json.dumps(enver_document(lay.enver))


def sandbox(tmp_path: Path) -> Sandbox:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("aws", "docker", "npm"):
        w = bin_dir / tool
        w.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(FAKE))} "
                     f"{tool} \"$@\"\n")
        w.chmod(0o755)
    (tmp_path / embed.HELPER.name).write_text(embed.HELPER.source)
    (tmp_path / RELEASE.name).write_text(RELEASE.source)
    (tmp_path / "state.json").write_text(json.dumps({
        "calls": [], "parameters": {}, "stacks": {}, "ecr": {}, "tags": {}, "digests": {},
        "local_images": [], "registry": "222222222222.dkr.ecr.us-east-1.amazonaws.com",
        "executions": [], "npm": {}, "published": [],
    }))
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE_STATE": str(tmp_path / "state.json"),
           "AWS_ACCESS_KEY_ID": "CODEBUILDKEY", "HOME": str(tmp_path)}
    return Sandbox(tmp_path, env)
