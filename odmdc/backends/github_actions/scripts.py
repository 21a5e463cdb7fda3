"""The shell the workflow's steps run: `scripts/*.sh` and odmd's helper, shipped with the
package.

Each `run:` is `common.sh` followed by the step's glue: a call of the helper (`odmd.py`,
odmdc/backends/runtime/helper.py, and its GitHub-only part `odmd_github.py`, runtime.py),
which a job's "set up odmd" step writes once under $RUNNER_TEMP/odmd, or a build's commands
(`scripts/*.sh`). The steps read everything from their environment — names the compiler
computed, set as literal `env:` values, and untrusted event data (branch names, commit
messages, dispatch payloads), passed through `env:` too — and contain no `${{ }}` expression,
so GitHub never splices text into them.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Final

from odmdc.backends.runtime import embed

RESOLVE: Final = embed.Module("odmdc.backends.github_actions", "resolve.py", "odmd_resolve.py",
                              "ODMD_RESOLVE_EOF")
DEPLOY: Final = embed.Module("odmdc.backends.github_actions", "deploy.py", "odmd_deploy.py",
                             "ODMD_DEPLOY_EOF")
SETUP_STEP: Final = "set up odmd"
FOLDER: Final = "$RUNNER_TEMP/odmd"  # the job's own (GitHub empties RUNNER_TEMP for each job)


def _at(m: embed.Module) -> str:
    return f'"{FOLDER}/{m.name}"'


HELPER: Final = f"python3 {_at(embed.HELPER)}"
RESOLVER: Final = f"python3 {_at(RESOLVE)}"
DEPLOYER: Final = f"python3 {_at(DEPLOY)}"


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


def call(command: str) -> str:
    """The `run:` text of a step that is one command."""
    return source("common.sh") + command + "\n"


@functools.cache
def setup(part: embed.Module, has_enver: bool) -> str:
    """The `run:` text of a job's "set up odmd" step: write the helper and the GitHub part the
    job runs beside each other; in a job that deploys an enver, hand the later steps what a
    build sees ($GITHUB_ENV)."""
    commands = [f'mkdir -p "{FOLDER}"', embed.write(embed.HELPER, _at(embed.HELPER)),
                embed.write(part, _at(part))]
    if has_enver:
        commands.append(f"{HELPER} env --github-env")
    return call("\n".join(commands))
