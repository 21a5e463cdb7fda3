from tests.compiler.rules.graph_support import Checked
from tests.helpers import compile_ok


def test_a_build_without_envers_is_reported_at_its_name() -> None:
    c = Checked('build orders : cdk {\n  repo = "acme/orders"\n}\n')
    d = c.one("E308")
    assert c.codes == ["E308"]
    assert d.message == "build `orders` has no envers"
    assert c.text(d) == "orders"


def test_a_clone_does_not_give_a_build_an_enver() -> None:
    c = Checked('build orders : cdk {\n  repo = "acme/orders"\n}\n'
                'clone feature of orders.main = branch "feature"\n')
    assert sorted(c.codes) == ["E201", "E308"]


def test_one_enver_is_enough() -> None:
    compile_ok("""
        build orders : cdk {
          repo = "acme/orders"
          enver main = branch "main" in workspace1 "us-east-1"
        }
        clone feature of orders.main = branch "feature"
    """)
