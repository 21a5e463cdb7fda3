from odmdc.compiler.diagnostics import Severity
from tests.compiler.rules.graph_support import Checked

NETWORK = """
build network : cdk {
  repo = "acme/network"
  enver main = branch "main" in workspace1 "us-east-1" {
    produces {
      vpc-id: string
      bus: arn {
        src: string
        name: string
      }
      nat-ip: string
    }
  }
}
"""


def reader(*refs: str) -> str:
    body = " ".join(f"r{i} = {ref}" for i, ref in enumerate(refs))
    return f"""
build orders : cdk {{
  repo = "acme/orders"
  enver main = branch "main" in workspace1 "us-east-1" {{
    consumes {{ {body} }}
  }}
}}
"""


def test_off_by_default() -> None:
    assert Checked(NETWORK).codes == []


def test_unread_products_are_info_at_their_declaration() -> None:
    c = Checked(NETWORK + reader("network.main.vpc-id", "network.main.bus.src"),
                enable=["W301"])
    assert [(c.text(d), d.message) for d in c.diagnostics] == [
        ("name", "no consumer reads product `bus.name` of `network.main`"),
        ("nat-ip", "no consumer reads product `nat-ip` of `network.main`"),
    ]
    assert {d.severity for d in c.diagnostics} == {Severity.INFO}


def test_an_unread_subtree_is_reported_once_at_its_top() -> None:
    c = Checked(NETWORK + reader("network.main.vpc-id", "network.main.nat-ip"),
                enable=["W301"])
    d = c.one("W301")
    assert d.message == "no consumer reads product `bus` of `network.main` (nor any of its 2 " \
        "child products)"
    assert c.codes == ["W301"]


def test_a_read_parent_does_not_cover_its_children() -> None:
    c = Checked(NETWORK + reader("network.main.vpc-id", "network.main.nat-ip",
                                 "network.main.bus"), enable=["W301"])
    assert sorted(c.text(d) for d in c.diagnostics) == ["name", "src"]


def test_type_products_are_reported_per_enver_at_the_type() -> None:
    c = Checked("""
        enver_type service : cdk { produces { url: url } }
        build api : service {
          repo = "acme/api"
          enver main = branch "main" in workspace1 "us-east-1"
          enver dev = branch "dev" in workspace1 "us-east-1"
        }
        build web : cdk {
          repo = "acme/web"
          enver main = branch "main" in workspace1 "us-east-1" {
            consumes { api = api.main.url }
          }
        }
        clone feature of api.dev = branch "feature"
    """, enable=["W301"])
    d = c.one("W301")  # api.main is read; the clone api.feature is not judged
    assert d.message == "no consumer reads product `url` of `api.dev`"
    assert d.span.line == 2 and c.text(d) == "url"
    assert d.primary.message == "declared by enver type `service`"
    assert [(c.text(s), s.message) for s in d.secondary] == [("dev", "`api.dev` publishes it")]


def test_image_products_and_the_standard_library() -> None:
    # contracts.main's contractsLibLatest (declared by the stdlib) is never reported
    c = Checked("""
        build img : container_image {
          repo = "acme/img"
          enver main = branch "main" in workspace1 "us-east-1" {
            image app = "app:1"
            image sidecar = "sidecar:1"
          }
        }
        build run : cdk {
          repo = "acme/run"
          enver main = branch "main" in workspace1 "us-east-1" {
            consumes { sha = img.main.app.latestSha }
          }
        }
    """, enable=["W301"])
    d = c.one("W301")
    assert d.message == ("no consumer reads product `sidecar` of `img.main` (nor its child "
                         "`latestSha`)")
    assert c.codes == ["W301"]


def test_info_stays_info_under_deny_warnings() -> None:
    from odmdc import api
    from tests.helpers import PRELUDE, unit_of

    result = api.check(unit_of({"main.odmd": NETWORK, "prelude.odmd": PRELUDE}),
                        enable=["W301"], deny_warnings=True, run_backends=False)
    assert result.ok
    assert {d.severity for d in result.diagnostics} == {Severity.INFO}
