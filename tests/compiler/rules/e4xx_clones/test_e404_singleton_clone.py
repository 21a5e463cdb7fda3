from __future__ import annotations

from tests.compiler.rules.e4xx_clones.shared import ORDERS
from tests.helpers import codes, compile_ok, diagnose


def test_clone_of_the_contracts_library() -> None:
    (d,) = diagnose(ORDERS + 'clone try of contracts.main = branch "try"\n')
    assert d.code == "E404"
    assert d.message == "`contracts` is a singleton build: its envers cannot be cloned"
    assert d.span.column == len("clone try of ") + 1
    assert d.span.end_column - d.span.column == len("contracts")
    (type_label,) = d.secondary
    assert type_label.span.file.startswith("<stdlib>/")
    assert type_label.message == "`contracts_lib` is a singleton enver type"


def test_user_singleton_type_and_its_subtypes() -> None:
    text = ORDERS + """
singleton enver_type Auth : cdk { produces { pool: arn } }
enver_type TeamAuth : Auth { }
build auth : TeamAuth {
  repo = "acme/auth"
  enver main = branch "main" in workspace1 "us-east-1"
}
clone try of auth.main = branch "try"
"""
    (d,) = diagnose(text)
    assert d.code == "E404"
    assert d.primary.message == "`auth` is of singleton type `Auth`"
    assert d.secondary[0].span.line == text.splitlines().index(
        "singleton enver_type Auth : cdk { produces { pool: arn } }") + 1


def test_ordinary_builds_clone() -> None:
    compile_ok(ORDERS + 'clone try of orders.main = branch "try"\n')
    assert codes(ORDERS + 'clone try of nope.main = branch "try"\n') == ["E201"]
