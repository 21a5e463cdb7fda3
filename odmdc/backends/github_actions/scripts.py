"""The shell the workflow's steps run: `scripts/*.sh`, shipped with the package.

Each `run:` is `common.sh` followed by the step's scripts. The scripts read everything from
their environment — names the compiler computed, set as literal `env:` values, and untrusted
event data (branch names, commit messages, dispatch payloads), passed through `env:` too — and
contain no `${{ }}` expression, so GitHub never splices text into them.
"""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def source(name: str) -> str:
    text = resources.files(__package__).joinpath("scripts", name).read_text("utf-8")
    lines = [line.rstrip() for line in text.splitlines()]
    if any("${{" in line or "\t" in line for line in lines):
        raise ValueError(f"scripts/{name}: no `${{{{` and no tabs in step scripts")
    return "\n".join(lines).strip("\n") + "\n"


def run(*names: str) -> str:
    """The `run:` text of a step: common.sh, then `names` in order."""
    return "".join(source(n) for n in ("common.sh", *names))
