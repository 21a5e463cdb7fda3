from tests.compiler.rules.graph_support import Checked
from tests.helpers import compile_ok

ORDERS = """
build orders : cdk {
  repo = "acme/orders"
  enver main = branch "main" in workspace1 "us-east-1" {
    produces { api: url }
  }
  enver dev = branch "dev" in workspace1 "us-east-1" {
    consumes { api = orders.main.api }
  }
}
"""


def test_consuming_another_enver_of_the_build_is_reported_at_the_reference() -> None:
    c = Checked(ORDERS)
    assert c.codes == ["E301"]
    d = c.one("E301")
    assert d.message == "enver `orders.dev` consumes `orders.main.api` from its own build `orders`"
    assert c.text(d) == "orders.main.api"
    assert [c.text(label) for label in d.secondary] == ["main"]
    assert d.help


def test_consuming_its_own_product_is_reported_without_a_secondary() -> None:
    c = Checked("""
        build orders : cdk {
          repo = "acme/orders"
          enver main = branch "main" in workspace1 "us-east-1" {
            produces { api: url }
            consumes { api = orders.main.api }
          }
        }
    """)
    d = c.one("E301")
    assert c.codes == ["E301"]
    assert d.primary.message == "its own product"
    assert d.secondary == ()


def test_consuming_another_build_is_fine() -> None:
    compile_ok("""
        build api : cdk {
          repo = "acme/api"
          enver main = branch "main" in workspace1 "us-east-1" { produces { api: url } }
        }
        build orders : cdk {
          repo = "acme/orders"
          enver main = branch "main" in workspace1 "us-east-1" {
            consumes { api = api.main.api }
          }
        }
    """)


def test_a_clone_of_the_offending_enver_adds_no_report() -> None:
    c = Checked(ORDERS + 'clone feature-x of orders.dev = branch "feature-x"\n'
                + 'clone feature-y of orders.dev = branch "feature-y"\n')
    assert c.codes == ["E301"]


def test_reading_a_clone_of_its_own_build_is_left_to_e407() -> None:
    c = Checked("""
        build orders : cdk {
          repo = "acme/orders"
          enver main = branch "main" in workspace1 "us-east-1" { produces { api: url } }
          enver dev = branch "dev" in workspace1 "us-east-1" {
            consumes { api = orders.feature-x.api }
          }
        }
        clone feature-x of orders.main = branch "feature-x"
    """)
    assert "E301" not in c.codes


def test_an_own_build_cycle_is_two_e301_and_no_e306() -> None:
    c = Checked("""
        build orders : cdk {
          repo = "acme/orders"
          enver main = branch "main" in workspace1 "us-east-1" {
            produces { a: string }
            consumes { b = orders.dev.b }
          }
          enver dev = branch "dev" in workspace1 "us-east-1" {
            produces { b: string }
            consumes { a = orders.main.a }
          }
        }
    """)
    assert c.codes == ["E301", "E301"]


def test_an_enver_that_may_not_consume_at_all_gets_e303_only() -> None:
    c = Checked("""
        build img : container_image {
          repo = "acme/img"
          enver main = branch "main" in workspace1 "us-east-1" { image app = "app:1" }
          enver dev = branch "dev" in workspace1 "us-east-1" {
            image app = "app:2"
            consumes { sha = img.main.app.latestSha }
          }
        }
    """)
    assert c.codes == ["E303"]


def test_unresolved_consumers_are_left_to_e201() -> None:
    c = Checked("""
        build orders : cdk {
          repo = "acme/orders"
          enver main = branch "main" in workspace1 "us-east-1" {
            consumes { api = orders.main.nope }
          }
        }
    """)
    assert c.codes == ["E201"]
