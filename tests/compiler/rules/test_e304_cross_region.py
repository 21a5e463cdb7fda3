from tests.compiler.rules.graph_support import TWO_REGIONS, Checked
from tests.helpers import compile_ok

NETWORK = """
build network : cdk {
  repo = "acme/network"
  enver main = branch "main" in workspace1 "us-east-1" { produces { vpc-id: string } }
  enver west = branch "west" in workspace1 "us-west-2" { produces { vpc-id: string } }
}
"""


def orders(ref: str, region: str = "us-west-2") -> dict[str, str]:
    return {"prelude.odmd": TWO_REGIONS, "main.odmd": NETWORK + f"""
build orders : cdk {{
  repo = "acme/orders"
  enver main = branch "main" in workspace1 "{region}" {{
    consumes {{ vpc = {ref} }}
  }}
}}
"""}


def test_a_consumer_in_another_region_is_reported_with_the_producers_region() -> None:
    c = Checked(orders("network.main.vpc-id"), prelude=False)
    assert c.codes == ["E304"]
    d = c.one("E304")
    assert d.message == ("enver `orders.main` in `us-west-2` consumes `network.main.vpc-id` "
                         "from `us-east-1`")
    assert c.text(d) == "network.main.vpc-id"
    assert [c.text(s) for s in d.secondary] == ['"us-east-1"']
    assert d.help is not None and "`network` in `us-west-2`" in d.help


def test_same_region_is_fine() -> None:
    compile_ok(orders("network.west.vpc-id"), prelude=False)


def test_clones_of_the_consumer_are_not_reported_again() -> None:
    files = orders("network.main.vpc-id")
    files["main.odmd"] += ('clone a of orders.main = branch "a"\n'
                           'clone b of orders.main = branch "b"\n')
    c = Checked(files, prelude=False)
    assert c.codes == ["E304"]


def test_an_unknown_region_is_not_compared() -> None:
    c = Checked(orders("network.main.vpc-id", region="us-nowhere-1"), prelude=False)
    assert "E304" not in c.codes


def test_reading_a_clone_is_left_to_e407() -> None:
    files = orders("network.feature.vpc-id")
    files["main.odmd"] += 'clone feature of network.main = branch "feature"\n'
    c = Checked(files, prelude=False)
    assert "E304" not in c.codes
