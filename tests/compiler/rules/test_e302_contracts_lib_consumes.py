from tests.compiler.rules.graph_support import Checked
from tests.helpers import compile_ok

ORG = """
org acme {
  accounts {
    central = "111111111111"
    workspace1 = "222222222222"
  }
}
build network : cdk {
  repo = "acme/network"
  enver main = branch "main" in workspace1 "us-east-1" {
    produces { vpc-id: string  zone: string }
  }
}
"""


def lib(body: str, type_: str = "contracts_lib", extra: str = "") -> str:
    return ORG + extra + f"""
build contracts : {type_} {{
  repo = "acme/contracts"
  enver main = branch "main" in central "us-east-1" {{
    {body}
  }}
}}
"""


def test_a_contracts_lib_enver_that_consumes_is_reported_once_at_its_first_consumer() -> None:
    c = Checked(lib("consumes {\n vpc = network.main.vpc-id\n zone = network.main.zone\n }"),
                prelude=False)
    assert c.codes == ["E302"]
    d = c.one("E302")
    assert d.message == "`contracts_lib` enver `contracts.main` consumes `vpc`, `zone`"
    assert c.text(d) == "vpc = network.main.vpc-id"
    assert [c.text(s) for s in d.secondary] == ["zone = network.main.zone"]
    assert d.help == "remove the `consumes` block"


def test_the_kind_follows_the_type_chain() -> None:
    c = Checked(lib("consumes { vpc = network.main.vpc-id }", "my_lib",
                    "enver_type my_lib : contracts_lib {}\n"), prelude=False)
    assert c.codes == ["E302"]


def test_a_slot_on_a_contracts_lib_type_is_reported_on_the_slot_only() -> None:
    c = Checked(lib("consumes { vpc = network.main.vpc-id }", "my_lib",
                    "enver_type my_lib : contracts_lib { consumes { vpc: string } }\n"),
                prelude=False)
    d = c.one("E302")
    assert c.codes == ["E302"]
    assert c.text(d) == "vpc"
    assert d.span.line == ORG.count("\n") + 1  # the enver type's line
    assert "enver type `my_lib` declares consumer slot `vpc`" in d.message


def test_a_slot_and_a_consumer_of_its_own_are_two_faults() -> None:
    c = Checked(lib("consumes { vpc = network.main.vpc-id  zone = network.main.zone }",
                    "my_lib", "enver_type my_lib : contracts_lib { consumes { vpc: string } }\n"),
                prelude=False)
    assert c.codes == ["E302", "E302"]
    enver_level = next(d for d in c.of("E302") if "enver `contracts.main`" in d.message)
    assert c.text(enver_level) == "zone = network.main.zone"
    assert enver_level.help == "remove these consumers"


def test_an_unresolved_consumer_still_counts() -> None:
    c = Checked(lib("consumes { vpc = network.main.nope }"), prelude=False)
    assert sorted(c.codes) == ["E201", "E302"]


def test_its_consumers_are_not_judged_again_by_the_graph_rules() -> None:
    # across regions, and in a cycle with network: still only E302
    text = lib("consumes { vpc = network.west.vpc-id  zone = network.main.zone }").replace(
        '    produces { vpc-id: string  zone: string }\n  }\n',
        '    produces { vpc-id: string  zone: string }\n'
        '    consumes { lib = contracts.main.contractsLibLatest }\n  }\n'
        '  enver west = branch "west" in workspace1 "us-west-2" {\n'
        '    produces { vpc-id: string }\n  }\n')
    c = Checked(text, prelude=False)
    assert "E302" in c.codes
    assert not {"E304", "E306"} & set(c.codes)


def test_a_clone_of_a_consuming_contracts_lib_enver_adds_no_e302() -> None:
    c = Checked(lib("consumes { vpc = network.main.vpc-id }")
                + 'clone next of contracts.main = branch "next"\n', prelude=False)
    assert c.codes.count("E302") == 1


def test_everyone_may_consume_the_contracts_library() -> None:
    compile_ok("""
        build orders : cdk {
          repo = "acme/orders"
          enver main = branch "main" in workspace1 "us-east-1" {
            consumes { contracts = contracts.main.contractsLibLatest }
          }
        }
    """)
