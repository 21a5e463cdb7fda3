from tests.compiler.rules.graph_support import Checked
from tests.helpers import compile_ok

NETWORK = """
build network : cdk {
  repo = "acme/network"
  enver main = branch "main" in workspace1 "us-east-1" { produces { vpc-id: string } }
  enver v3 = tag "v3.0.0" in workspace1 "us-east-1" { produces { vpc-id: string } }
}
"""


def orders(revision: str, ref: str) -> str:
    return NETWORK + f"""
build orders : cdk {{
  repo = "acme/orders"
  enver rel = {revision} in workspace1 "us-east-1" {{
    consumes {{ vpc = {ref} }}
  }}
}}
"""


def test_a_tag_enver_reading_a_branch_enver_is_reported() -> None:
    c = Checked(orders('tag "v1.0.0"', "network.main.vpc-id"))
    assert c.codes == ["E305"]
    d = c.one("E305")
    assert d.message == ("tag enver `orders.rel` consumes `network.main.vpc-id` of branch "
                         "enver `network.main`")
    assert c.text(d) == "network.main.vpc-id"
    assert [c.text(s) for s in d.secondary] == ['branch "main"']
    assert d.help is not None and "`network.v3`" in d.help


def test_tags_reading_tags_and_branches_reading_anything_are_fine() -> None:
    compile_ok(orders('tag "v1.0.0"', "network.v3.vpc-id"))
    compile_ok(orders('branch "main"', "network.main.vpc-id"))
    compile_ok(orders('branch "main"', "network.v3.vpc-id"))


def test_a_tag_clone_of_a_branch_origin_is_left_to_e405() -> None:
    c = Checked(orders('branch "main"', "network.main.vpc-id")
                + 'clone r1 of orders.rel = tag "r1.0.0"\n')
    assert "E305" not in c.codes


def test_a_tag_clone_of_a_faulty_tag_origin_adds_no_second_report() -> None:
    c = Checked(orders('tag "v1.0.0"', "network.main.vpc-id")
                + 'clone r1 of orders.rel = tag "r1.0.0"\n'
                + 'clone b1 of orders.rel = branch "b1"\n')
    assert c.codes.count("E305") == 1


def test_reading_a_branch_clone_is_left_to_e407() -> None:
    c = Checked(orders('tag "v1.0.0"', "network.feature.vpc-id")
                + 'clone feature of network.v3 = branch "feature"\n')
    assert "E305" not in c.codes
