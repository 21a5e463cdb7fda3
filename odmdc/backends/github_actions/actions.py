"""The only actions generated workflows use, pinned to full commit SHAs.

Each SHA was checked against its tag: checkout and configure-aws-credentials in
/work/shared/TOOLING.md §3; setup-node v6.0.0 from Dependabot's "Bump actions/setup-node from
5.0.0 to 6.0.0" in actions/attest-build-provenance#778 (compare range `a0853c2…...2028fbc…`,
which Dependabot takes from the tags) and independent pins with the same version comment.
v6 rather than v4: zizmor's cache-poisoning audit reads setup-node as caching unless
`package-manager-cache: false`, an input v5 introduced, and a deployment must not restore a
cache another branch could have written. The YAML
writer adds the version as a comment after each `uses:` (`# v4.2.2`), as zizmor and
Dependabot expect. Anything else a step needs (python3, docker, the AWS CLI, node) is on GitHub's
Ubuntu runners.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Action:
    repo: str
    sha: str
    version: str

    @property
    def uses(self) -> str:
        return f"{self.repo}@{self.sha}"


CHECKOUT: Final = Action("actions/checkout", "11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2")
SETUP_NODE: Final = Action("actions/setup-node", "2028fbc5c25fe9cf00d9f06a71cc4710d4507903",
                           "v6.0.0")
CONFIGURE_AWS: Final = Action("aws-actions/configure-aws-credentials",
                              "e3dd6a429d7300a6a4c196c26e071d42e0343502", "v4.0.2")

PINNED: Final = {a.uses: a for a in (CHECKOUT, SETUP_NODE, CONFIGURE_AWS)}
