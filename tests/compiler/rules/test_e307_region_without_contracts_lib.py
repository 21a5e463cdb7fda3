from tests.compiler.rules.graph_support import TWO_REGIONS, Checked
from tests.helpers import compile_ok


def builds(*envers: tuple[str, str, str]) -> str:
    """(build, enver, region) → one build per distinct build name."""
    out: dict[str, list[str]] = {}
    for b, e, region in envers:
        out.setdefault(b, []).append(f'  enver {e} = branch "{e}" in workspace1 "{region}"\n')
    return "".join(f'build {b} : cdk {{\n  repo = "acme/{b}"\n{"".join(es)}}}\n'
                   for b, es in out.items())


def test_one_report_per_region_at_its_first_enver_by_id() -> None:
    c = Checked(builds(("orders", "west", "us-west-2"), ("billing", "west", "us-west-2"),
                       ("orders", "main", "us-east-1")))
    d = c.one("E307")
    assert c.codes == ["E307"]
    assert d.message == "region `us-west-2` has no `contracts_lib` enver"
    assert d.primary.message == "`billing.west` is deployed in `us-west-2`"
    assert c.text(d) == '"us-west-2"'
    assert d.notes[0] == "1 more enver in `us-west-2`: `orders.west`"
    assert d.help == ("add an enver to build `contracts` in `us-west-2`, e.g. `enver us-west-2 "
                      '= branch "us-west-2" in central "us-west-2"`')


def test_each_uncovered_region_is_reported() -> None:
    c = Checked(builds(("a", "west", "us-west-2"), ("a", "eu", "eu-west-1")))
    assert sorted(d.message for d in c.of("E307")) == [
        "region `eu-west-1` has no `contracts_lib` enver",
        "region `us-west-2` has no `contracts_lib` enver"]
    assert c.codes == ["E307", "E307"]


def test_the_first_enver_does_not_depend_on_declaration_order() -> None:
    envers = [("zeta", "w", "us-west-2"), ("alpha", "w", "us-west-2"), ("mid", "w", "us-west-2")]
    one = Checked(builds(*envers)).one("E307")
    other = Checked(builds(*reversed(envers))).one("E307")
    assert (one.primary.message, one.notes) == (other.primary.message, other.notes)
    assert one.primary.message.startswith("`alpha.w`")
    assert one.notes[0] == "2 more envers in `us-west-2`: `mid.w`, `zeta.w`"


def test_a_contracts_lib_enver_in_the_region_covers_it() -> None:
    compile_ok({"prelude.odmd": TWO_REGIONS, "main.odmd": builds(("a", "west", "us-west-2"))},
               prelude=False)


def test_clones_are_not_counted_and_add_no_report() -> None:
    c = Checked(builds(("a", "west", "us-west-2"))
                + 'clone f1 of a.west = branch "f1"\nclone f2 of a.west = branch "f2"\n')
    d = c.one("E307")
    assert c.codes == ["E307"]
    assert d.notes[0].startswith("an enver reads")  # no "more envers" note


def test_an_unknown_region_is_left_to_e107() -> None:
    c = Checked(builds(("a", "west", "us-nowhere-9")))
    assert "E307" not in c.codes


def test_without_a_single_contracts_lib_build_the_help_stays_general() -> None:
    c = Checked("""
        org acme { accounts { central = "111111111111" } }
        build a : cdk {
          repo = "acme/a"
          enver main = branch "main" in central "us-east-1"
        }
    """, prelude=False)
    d = c.one("E307")
    assert d.help == "add an enver of the org's `contracts_lib` build in `us-east-1`"
