"""Third-party plugins in tests: a fixture distribution installed with pip into a folder of its
own, and odmdc run with that folder on its path (so the plugin is found as any would be)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def install(fixture: Path, target: Path) -> Path:
    """`pip install` the distribution at `fixture` into `target`; `target`."""
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "--target", str(target), str(fixture)],
        check=True, capture_output=True,
    )
    return target


def odmdc(site: Path | None, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`odmdc ARGS` in `cwd`, with the plugins installed in `site` (None: without them)."""
    env = dict(os.environ, PYTHONPATH=str(site)) if site else dict(os.environ)
    return subprocess.run([sys.executable, "-m", "odmdc", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
