from odmdc.compiler.diagnostics import Severity
from tests.compiler.rules.graph_support import Checked
from tests.helpers import compile_ok

ORG = """
org acme {
  accounts {
    central = "111111111111"
    workspace1 = "222222222222"
  }
  phases = [mock, dev, main]
}
build contracts : contracts_lib {
  repo = "acme/contracts"
  enver main = branch "main" in central "us-east-1"
}
build pay : cdk {
  repo = "acme/pay"
  enver mock = branch "mock" in workspace1 "us-east-1" { produces { api: url } }
  enver dev = branch "dev" in workspace1 "us-east-1" { produces { api: url } }
  enver main = branch "main" in workspace1 "us-east-1" { produces { api: url } }
  enver feature = branch "feature" in workspace1 "us-east-1" { produces { api: url } }
  enver rel = tag "r1.0.0" in workspace1 "us-east-1" { produces { api: url } }
}
"""


def orders(revision: str, producer: str, extra: str = "") -> str:
    return ORG + f"""
build orders : cdk {{
  repo = "acme/orders"
  enver x = branch "{revision}" in workspace1 "us-east-1" {{
    consumes {{ pay = pay.{producer}.api }}
  }}
}}
""" + extra


def test_an_earlier_phase_reading_a_later_one_is_a_warning_at_the_reference() -> None:
    c = Checked(orders("mock", "main"), prelude=False)
    d = c.one("W310")
    assert c.codes == ["W310"]
    assert d.severity is Severity.WARNING
    assert d.message == ("`orders.x` on phase `mock` consumes `pay.main.api` of the later phase "
                         "`main`")
    assert c.text(d) == "pay.main.api"
    assert [c.text(s) for s in d.secondary] == ['branch "main"']
    assert d.help == "consume `pay.mock` instead"
    assert Checked(orders("mock", "dev"), prelude=False).codes == ["W310"]
    assert Checked(orders("dev", "main"), prelude=False).one("W310").help == (
        "consume `pay.dev` or `pay.mock` instead")


def test_same_or_earlier_phases_and_unnamed_revisions_are_fine() -> None:
    for revision, producer in [("main", "mock"), ("dev", "dev"), ("feature", "main"),
                               ("mock", "feature"), ("mock", "rel")]:
        compile_ok(orders(revision, producer), prelude=False)


def test_without_phases_nothing_is_judged() -> None:
    compile_ok(orders("mock", "main").replace("  phases = [mock, dev, main]\n", ""),
               prelude=False)


def test_tag_names_are_revision_values_too() -> None:
    text = orders("mock", "rel").replace('tag "r1.0.0"', 'tag "main"')
    assert Checked(text, prelude=False).codes == ["W310"]


def test_a_clone_of_a_faulty_origin_adds_no_report() -> None:
    c = Checked(orders("dev", "main", 'clone m of orders.x = branch "mock"\n'), prelude=False)
    assert c.codes == ["W310"]
    assert c.one("W310").message.startswith("`orders.x` on phase `dev`")


def test_a_clone_on_an_earlier_phase_than_its_inherited_producers_is_reported_once() -> None:
    text = orders("main", "main", 'clone m of orders.x = branch "mock"\n').replace(
        "consumes { pay = pay.main.api }", "consumes { pay = pay.main.api  pay2 = pay.dev.api }")
    c = Checked(text, prelude=False)
    d = c.one("W310")
    assert c.codes == ["W310"]
    assert d.message == ("clone `orders.m` on phase `mock` consumes later phases through the "
                         "consumers of `orders.x`: `pay.main`, `pay.dev`")
    assert c.text(d) == 'branch "mock"'
    assert [c.text(s) for s in d.secondary] == ["pay.main.api", "pay.dev.api"]
    assert d.help == ("clone `orders.x` on revision `main` or a later phase, or on one outside "
                      "the phases")


def test_a_clone_of_an_unphased_origin_is_judged_on_its_own_phase() -> None:
    c = Checked(orders("feature", "dev", 'clone m of orders.x = branch "mock"\n'
                       'clone n of orders.x = branch "main"\n'), prelude=False)
    assert c.codes == ["W310"]
    assert c.one("W310").message.startswith("clone `orders.m`")
