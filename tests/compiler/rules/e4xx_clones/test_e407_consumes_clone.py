from __future__ import annotations

from tests.compiler.rules.e4xx_clones.shared import ORDERS
from tests.helpers import compile_ok, diagnose

WEB = """
clone feature-x of orders.main = branch "feature-x"
build web : cdk {
  repo = "acme/web"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes { schema = orders.feature-x.api.schema-url }
  }
}
"""


def test_reading_a_clone() -> None:
    text = ORDERS + WEB
    (d,) = diagnose(text)
    assert d.code == "E407"
    assert d.message == ("consumer `schema` of `web.main` reads a product of clone "
                         "`orders.feature-x`")
    line = text.splitlines()[d.span.line - 1]
    assert line[d.span.column - 1:d.span.end_column - 1] == "feature-x"
    assert d.help == ("read `orders.main.api.schema-url` from the clone's origin instead: "
                      "clones are isolated, nothing consumes them")
    assert d.secondary[0].message == "clone `feature-x` declared here"


def test_a_clones_own_inputs_are_not_reported() -> None:
    # the clone reads what its origin reads; only what others read of a clone is E407
    compile_ok(ORDERS + WEB.replace("orders.feature-x.api", "orders.main.api"))
