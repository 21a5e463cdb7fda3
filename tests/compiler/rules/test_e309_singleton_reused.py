from tests.compiler.rules.graph_support import Checked
from tests.helpers import compile_ok


def build(name: str, type_: str) -> str:
    return (f'build {name} : {type_} {{\n  repo = "acme/{name}"\n'
            f'  enver main = branch "main" in workspace1 "us-east-1"\n}}\n')


POOL = "singleton enver_type user_pool : cdk { produces { arn: arn } }\n"


def test_the_second_build_is_reported_with_the_first_as_secondary() -> None:
    c = Checked(POOL + build("auth", "user_pool") + build("auth2", "user_pool"))
    d = c.one("E309")
    assert c.codes == ["E309"]
    assert d.message == ("build `auth2` uses singleton enver type `user_pool`, already used by "
                         "build `auth`")
    assert c.text(d) == "user_pool"
    assert d.span.line == 6
    assert [s.span.line for s in d.secondary] == [2]


def test_the_contracts_library_is_a_singleton() -> None:
    c = Checked(build("more-contracts", "contracts_lib"))
    d = c.one("E309")
    assert c.codes == ["E309"]
    # main.odmd sorts before prelude.odmd, so the build declared there comes first
    assert d.message.startswith("build `contracts` uses singleton enver type `contracts_lib`")
    assert d.span.file == "prelude.odmd"


def test_a_singleton_anywhere_in_the_chain_counts() -> None:
    c = Checked(POOL + "enver_type eu_pool : user_pool {}\n"
                + build("auth", "user_pool") + build("auth-eu", "eu_pool"))
    d = c.one("E309")
    assert d.message == ("build `auth-eu` uses singleton enver type `user_pool` (through "
                         "`eu_pool`), already used by build `auth`")


def test_each_later_build_is_reported_once() -> None:
    # two singletons in one chain: a second build of both is still one fault
    c = Checked(POOL + "singleton enver_type eu_pool : user_pool {}\n"
                + build("a", "eu_pool") + build("b", "eu_pool") + build("c", "user_pool"))
    assert c.codes == ["E309", "E309"]
    assert [d.message.split("`")[1] for d in c.of("E309")] == ["b", "c"]


def test_one_build_with_many_envers_is_one_use_and_so_are_its_clones() -> None:
    many = POOL + build("auth", "user_pool").replace(
        "}\n", '  enver dev = branch "dev" in workspace1 "us-east-1"\n}\n')
    compile_ok(many)
    # a clone is no second use of the type (no E309); cloning a singleton build is E404
    assert Checked(many + 'clone f of auth.dev = branch "f"\n').codes == ["E404"]
