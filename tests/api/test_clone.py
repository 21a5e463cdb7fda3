"""`odmdc clone`'s engine: a commit command's clone checked with the contracts."""

from __future__ import annotations

import pytest

from odmdc.api.clone import Outcome, evaluate
from odmdc.compiler import naming
from odmdc.compiler.clones.commit_message import COMMIT_MESSAGE
from odmdc.compiler.sources import UsageError
from tests.compiler.rules.e4xx_clones.shared import ORDERS, clones
from tests.helpers import PRELUDE, compile_ok, unit_of


def run(message: str, *, build: str = "orders", branch: str = "feature-x", extra: str = "",
        max_clones: int | None = None) -> Outcome:
    prelude = PRELUDE if max_clones is None else \
        PRELUDE.replace("org acme {", f"org acme {{\n  max_clones = {max_clones}")
    files = {"prelude.odmd": prelude, "main.odmd": ORDERS + extra}
    return evaluate(unit_of(files), build, branch, message)


def only(outcome: Outcome) -> tuple[str, str, int, int]:
    (d,) = outcome.diagnostics
    return d.code, d.span.file, d.span.line, d.span.column


# ---- create ---------------------------------------------------------------------------------
def test_create_names_the_clone_like_a_declared_one() -> None:
    outcome = run("Add retries\n\nodmd: create@main\n")
    assert outcome.ok and outcome.action == "create" and outcome.diagnostics == []
    clone = outcome.clone
    assert clone is not None
    # a declared clone on the same branch gets exactly the same names
    declared = compile_ok(ORDERS + 'clone feature-x of orders.main = branch "feature-x"\n')
    twin = declared.enver("orders.feature-x")
    assert clone.model_dump(exclude={"location"}) == twin.model_dump(exclude={"location"})
    assert clone.location.file == COMMIT_MESSAGE and clone.location.line == 3
    # docs/names.md#clones: own revision path, stacks and product paths; origin's roles and inputs
    origin = declared.enver("orders.main")
    assert clone.clone_of == "orders.main"
    assert clone.revision.path == "b..main-_b..feature-x"
    assert clone.names.stacks == ("orders--feature-x",)
    assert [p.path for p in clone.products] == [
        "/odmd-share/orders/b..main-_b..feature-x/api",
        "/odmd-share/orders/b..main-_b..feature-x/api/schema-url"]
    assert [(c.name, c.reads) for c in clone.consumers] == [
        ("vpc-id", "/odmd-share/network/b..main/vpc-id")]
    assert clone.names.build_role_arn == origin.names.build_role_arn
    assert clone.names.center_role_arn == origin.names.center_role_arn
    assert clone.names.workflow_file == origin.names.workflow_file


def test_create_from_a_tag_and_with_a_revision_path() -> None:
    for message in ["odmd: create@v1.0.0", "odmd: create@t..v1.0.0"]:
        clone = run(message).clone
        assert clone is not None and clone.clone_of == "orders.v1"
        assert clone.revision.path == "t..v1.0.0-_b..feature-x"
        assert clone.names.stacks == ("orders--feature-x",)


def test_the_clone_is_named_after_its_branch() -> None:
    clone = run("odmd: create@main", branch="fix.login").clone
    assert clone is not None
    assert (clone.id, clone.revision.value) == ("orders.fix-login", "fix.login")
    assert clone.names.stacks == ("orders--fix-login",)


@pytest.mark.parametrize(("branch", "name"), [
    ("feature-x", "feature-x"), ("fix.login", "fix-login"), ("a/b", "a-b"),
    ("1.2-hotfix", "_1-2-hotfix"), ("_x", "_x"), ("Ünïcode", "_-n-code"),
])
def test_clone_enver_name(branch: str, name: str) -> None:
    assert naming.clone_enver_name(branch) == name


def test_e401_counts_declared_clones_and_points_at_the_message() -> None:
    outcome = run("odmd: create@main", max_clones=2, extra=clones("orders.main", 2))
    assert only(outcome) == ("E401", COMMIT_MESSAGE, 1, 1)
    assert outcome.clone is None and not outcome.ok
    assert "has 3 clones" in outcome.diagnostics[0].message
    assert run("odmd: create@main", max_clones=3, extra=clones("orders.main", 2)).ok


def test_e201_unknown_origin_with_did_you_mean() -> None:
    outcome = run("Fix\n\nodmd: create@mian")
    assert only(outcome) == ("E201", COMMIT_MESSAGE, 3, 14)
    d = outcome.diagnostics[0]
    assert d.message == "unknown branch or tag `mian` in build `orders`"
    assert d.help == "did you mean `main`?"
    assert d.notes == ("the envers of `orders`: `orders.main` (branch `main`), `orders.v1` "
                       "(tag `v1.0.0`)",)


def test_e201_an_enver_name_is_not_a_revision() -> None:
    (d,) = run("odmd: create@v1").diagnostics
    assert d.code == "E201"
    assert d.help == "`v1` is the name of enver `orders.v1`; a command names its tag: " \
        "`odmd: create@v1.0.0`"
    (d,) = run("odmd: create@b..v1.0.0").diagnostics
    assert d.code == "E201" and d.message == "unknown branch `v1.0.0` in build `orders`"


AMBIGUOUS = """
build reports : cmd {
  repo = "acme/reports"
  enver main = branch "main" in workspace1 "us-east-1"
  enver main-tag = tag "main" in workspace1 "us-east-1"
}
"""


def test_e406_ambiguous_origin() -> None:
    (d,) = run("odmd: create@main", build="reports", extra=AMBIGUOUS).diagnostics
    assert (d.code, d.span.column) == ("E406", 14)
    assert d.help == "write `odmd: create@b..main` or `odmd: create@t..main` to say which"
    clone = run("odmd: create@b..main", build="reports", extra=AMBIGUOUS).clone
    assert clone is not None and clone.clone_of == "reports.main"
    clone = run("odmd: create@t..main", build="reports", extra=AMBIGUOUS).clone
    assert clone is not None and clone.clone_of == "reports.main-tag"


def test_e406_two_envers_on_one_branch_are_e105_too() -> None:
    """The contracts are already wrong (E105): the command is still explained, not guessed."""
    extra = AMBIGUOUS.replace("}\n", '  enver west = branch "west" in workspace1 "us-east-1"\n'
                              '  enver west-2 = branch "west" in workspace2 "us-east-1"\n}\n')
    e406, e105 = run("odmd: create@west", build="reports", extra=extra).diagnostics
    assert e406.code == "E406"
    assert e406.notes == ("it could be `reports.west` (branch `west`), `reports.west-2` "
                          "(branch `west`)",)
    assert e105.code == "E105" and e105.span.file == "main.odmd"


def test_e403_pushed_to_the_origins_own_branch() -> None:
    outcome = run("odmd: create@main", branch="main")
    assert only(outcome) == ("E403", COMMIT_MESSAGE, 1, 1)
    assert outcome.diagnostics[0].message == \
        "the commit command clones `orders.main` onto its own branch `main`"


def test_e002_the_branch_name_is_taken() -> None:
    (d,) = run("odmd: create@main", branch="v1").diagnostics
    assert d.code == "E002" and d.span.file == COMMIT_MESSAGE
    assert d.message == "clone name `v1` (from branch `v1`) is taken by enver `orders.v1`"
    declared = 'clone feature-x of orders.main = branch "feature-x"\n'
    (d,) = run("odmd: create@main", extra=declared).diagnostics
    assert d.code == "E002"
    assert d.help == ("branch `feature-x` is already declared as clone `orders.feature-x`: "
                      "drop the command, or the declaration")


def test_e402_e404_through_the_checker() -> None:
    declared = 'clone feature-x of orders.main = branch "feature-x"\n'
    outcome = run("odmd: create@feature-x", branch="feature-y", extra=declared)
    assert only(outcome) == ("E402", COMMIT_MESSAGE, 1, 14)
    outcome = run("odmd: create@main", build="contracts")
    assert only(outcome) == ("E404", COMMIT_MESSAGE, 1, 1)


# E004 (no `repo`) and nothing else
BROKEN = 'build broken : cdk {\n  enver main = branch "main" in workspace1 "us-east-1"\n}\n'


def test_every_problem_is_reported_together() -> None:
    broken = BROKEN
    outcome = run("odmd: create main", extra=broken)
    assert sorted(d.code for d in outcome.diagnostics) == ["E004", "E406"]
    outcome = run("odmd: create@main", extra=broken)
    assert [d.code for d in outcome.diagnostics] == ["E004"]
    assert outcome.clone is None


# ---- delete ---------------------------------------------------------------------------------
def test_delete_a_declared_clone() -> None:
    declared = 'clone feature-x of orders.main = branch "feature-x"\n'
    outcome = run("Done\n\nodmd: delete\n", extra=declared)
    assert outcome.ok and outcome.action == "delete" and outcome.origin_known
    (gone,) = outcome.removes
    assert gone.id == "orders.feature-x" and gone.names.stacks == ("orders--feature-x",)


def test_delete_lists_each_possible_origin() -> None:
    outcome = run("odmd: delete")
    assert outcome.ok and not outcome.origin_known
    assert [(e.clone_of, e.revision.path) for e in outcome.removes] == [
        ("orders.main", "b..main-_b..feature-x"), ("orders.v1", "t..v1.0.0-_b..feature-x")]
    assert outcome.removes[0].products[0].path == \
        "/odmd-share/orders/b..main-_b..feature-x/api"
    outcome = run("odmd: delete", build="network", branch="fx")
    assert not outcome.origin_known and len(outcome.removes) == 2


def test_delete_on_a_declared_envers_branch_is_e406() -> None:
    outcome = run("odmd: delete", branch="main")
    assert only(outcome) == ("E406", COMMIT_MESSAGE, 1, 1)
    assert outcome.diagnostics[0].secondary[0].message == \
        "`orders.main` is declared on branch `main`"


def test_delete_on_a_singleton_removes_nothing() -> None:
    outcome = run("odmd: delete", build="contracts")
    assert outcome.ok and outcome.removes == []
    assert outcome.reason == "`contracts` is a singleton build: it has no clones"


# ---- no command, bad --build ----------------------------------------------------------------
def test_no_command() -> None:
    outcome = run("Fix typo\n\n* odmd: create@main\n")
    assert outcome.ok and outcome.action == "none" and outcome.clone is None
    assert [(s.line, s.column) for s in outcome.mentions] == [(3, 3)]


def test_unknown_build_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"no build `ordrs` in the contracts; did you mean "
                                         r"`orders`\?"):
        run("odmd: create@main", build="ordrs")
    with pytest.raises(UsageError):
        run("nothing here", build="ordrs")


def test_unknown_build_in_broken_contracts_shows_the_contracts_errors() -> None:
    outcome = run("odmd: create@main", build="ordrs", extra=BROKEN)
    assert [d.code for d in outcome.diagnostics] == ["E004"]
