from __future__ import annotations

from tests.compiler.rules.e4xx_clones.shared import ORDERS
from tests.helpers import codes, diagnose


def test_clone_of_a_clone() -> None:
    text = ORDERS + (
        'clone feature-x of orders.main = branch "feature-x"\n'
        'clone feature-y of orders.feature-x = branch "feature-y"\n'
    )
    (d,) = diagnose(text)
    assert d.code == "E402"
    assert d.message == ("clone `feature-y` is made from `orders.feature-x`, which is itself a "
                         "clone")
    line = ORDERS.count("\n") + 2
    assert (d.span.line, d.span.column) == (line, len("clone feature-y of orders.") + 1)
    assert d.secondary[0].message == "`feature-x` is a clone of `orders.main`"
    assert d.secondary[0].span.line == line - 1
    assert d.help == "clone `orders.main` instead: clones are made from declared envers only"


def test_declaration_order_does_not_matter() -> None:
    text = ORDERS + (
        'clone feature-y of orders.feature-x = branch "feature-y"\n'
        'clone feature-x of orders.main = branch "feature-x"\n'
    )
    assert codes(text) == ["E402"]


def test_chain_points_back_to_the_declared_enver() -> None:
    text = ORDERS + (
        'clone a of orders.main = branch "a"\n'
        'clone b of orders.a = branch "b"\n'
        'clone c of orders.b = branch "c"\n'
    )
    found = diagnose(text)
    assert [d.code for d in found] == ["E402", "E402"]
    assert {d.help for d in found} == {
        "clone `orders.main` instead: clones are made from declared envers only"}


def test_a_clone_of_itself() -> None:
    (d,) = diagnose(ORDERS + 'clone loop of orders.loop = branch "loop"\n')
    assert d.code == "E402" and d.message == "clone `loop` names itself as its origin"
    assert d.help == "clone a declared enver of the build instead"


def test_unknown_origin_is_e201_not_e402() -> None:
    assert codes(ORDERS + 'clone x of orders.nope = branch "x"\n') == ["E201"]
