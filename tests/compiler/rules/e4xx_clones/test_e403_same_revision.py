from __future__ import annotations

from tests.compiler.rules.e4xx_clones.shared import ORDERS
from tests.helpers import compile_ok, diagnose

# a `cmd` build deploys no stacks, so a clone on its origin's revision collides in no generated
# name (that would be E105 besides): E403 alone
REPORTS = """
build reports : cmd {
  repo = "acme/reports"
  enver main = branch "main" in workspace1 "us-east-1"
  enver v1 = tag "v1.0.0" in workspace1 "us-east-1"
}
"""


def test_branch_clone_on_the_origins_branch() -> None:
    (d,) = diagnose(REPORTS + 'clone again of reports.main = branch "main"\n')
    assert d.code == "E403"
    assert d.message == ("clone `reports.again` is on branch `main`, the branch of its origin "
                         "`reports.main`")
    assert d.span.column == len("clone again of reports.main = ") + 1
    assert d.span.end_column - d.span.column == len('branch "main"')
    assert d.secondary[0].message == "`reports.main` is on this branch"


def test_tag_clone_on_the_origins_tag() -> None:
    (d,) = diagnose(REPORTS + 'clone again of reports.v1 = tag "v1.0.0"\n')
    assert d.code == "E403" and "tag `v1.0.0`" in d.message


def test_same_value_other_kind_is_another_revision() -> None:
    compile_ok(ORDERS + 'clone rc of network.main = tag "main"\n'
               'clone fix of orders.main = branch "fix"\n')
