from __future__ import annotations

from tests.compiler.rules.e4xx_clones.shared import NETWORK, ORDERS
from tests.helpers import compile_ok, diagnose


def test_tag_clone_of_a_branch_enver_reading_a_branch_enver() -> None:
    text = ORDERS + 'clone rc-1 of orders.main = tag "rc-1"\n'
    (d,) = [d for d in diagnose(text) if d.code == "E405"]
    assert d.message == "tag clone `orders.rc-1` depends on mutable enver `network.main`"
    assert d.span.line == text.count("\n")
    assert d.span.column == len("clone rc-1 of orders.main = ") + 1
    assert d.notes == ("dependency path: `orders.rc-1` (tag `rc-1`) → `network.main` "
                       "(branch `main`)",)
    (consumer,) = d.secondary
    assert consumer.message == "`orders.rc-1` inherits this consumer from `orders.main`"
    assert text.splitlines()[consumer.span.line - 1].strip() == \
        "consumes { vpc-id = network.main.vpc-id }"


def test_branch_clones_and_clean_tag_clones_pass() -> None:
    compile_ok(ORDERS + 'clone fx of orders.main = branch "fx"\n'
               'clone rc-1 of orders.v1 = tag "rc-1"\n')


def test_a_tag_clone_with_no_dependencies_passes() -> None:
    compile_ok(NETWORK + 'clone rc-1 of network.main = tag "rc-1"\n')


SHOP = NETWORK + """
build shop : cdk {
  repo = "acme/shop"
  enver v1 = tag "v1.0.0" in workspace1 "us-east-1" {
    consumes { vpc-id = network.main.vpc-id }
    produces { bus: arn }
  }
}
build orders : cdk {
  repo = "acme/orders"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes { bus = shop.v1.bus }
  }
}
clone rc-1 of orders.main = tag "rc-1"
"""


def test_the_path_runs_upstream() -> None:
    found = diagnose(SHOP)
    (d,) = [d for d in found if d.code == "E405"]
    assert d.notes == (
        "dependency path: `orders.rc-1` (tag `rc-1`) → `shop.v1` (tag `v1.0.0`) → "
        "`network.main` (branch `main`)",
        "`shop.v1` is a tag enver too: E305 reports its read of `network.main`",
    )
    assert [s.message for s in d.secondary] == [
        "`orders.rc-1` inherits this consumer from `orders.main`",
        "`shop.v1` reads mutable `network.main` here",
    ]


def test_the_shortest_path_wins_then_consumer_names() -> None:
    text = SHOP.replace("consumes { bus = shop.v1.bus }",
                        "consumes { bus = shop.v1.bus\n zz = network.main.vpc-id\n"
                        " aa = network.main.vpc-id }")
    (d,) = [d for d in diagnose(text) if d.code == "E405"]
    assert d.notes == ("dependency path: `orders.rc-1` (tag `rc-1`) → `network.main` "
                       "(branch `main`)",)
    assert "aa = network.main.vpc-id" in text.splitlines()[d.secondary[0].span.line - 1]


def test_cycles_among_tag_envers_end() -> None:
    text = NETWORK + """
build x : cdk {
  repo = "acme/x"
  enver v1 = tag "x1" in workspace1 "us-east-1" {
    consumes { y = y.v1.out default "placeholder" }
    produces { out: string }
  }
}
build y : cdk {
  repo = "acme/y"
  enver v1 = tag "y1" in workspace1 "us-east-1" {
    consumes { x = x.v1.out }
    produces { out: string }
  }
}
build o : cdk {
  repo = "acme/o"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes { x = x.v1.out }
  }
}
clone rc of o.main = tag "rc"
"""
    assert [d.code for d in diagnose(text) if d.code == "E405"] == []
