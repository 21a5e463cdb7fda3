from __future__ import annotations

from tests.compiler.rules.e4xx_clones.shared import ORDERS, clones
from tests.helpers import PRELUDE, codes, compile_ok, diagnose


def test_default_limit_is_twenty() -> None:
    compile_ok(ORDERS + clones("orders.main", 20))
    (d,) = diagnose(ORDERS + clones("orders.main", 21))
    assert d.code == "E401"
    assert d.message == "enver `orders.main` has 21 clones, more than `max_clones` (20)"
    assert d.primary.message == "clone number 21 of `orders.main`"
    # the twenty-first clone in source order, pointed at by its name
    assert d.span.line == ORDERS.count("\n") + 21
    assert d.span.column == len("clone ") + 1
    assert d.notes == ("the clones of `orders.main`: `feature-0`, `feature-1`, `feature-2`, "
                       "`feature-3`, `feature-4`, `feature-5`, `feature-6`, `feature-7` and "
                       "13 more",)
    # without a `max_clones` attribute, only the origin is shown
    assert [s.message for s in d.secondary] == ["`orders.main` declared here"]


def test_the_org_sets_the_limit() -> None:
    prelude = PRELUDE.replace("org acme {", "org acme {\n  max_clones = 2")
    files = {"prelude.odmd": prelude, "main.odmd": ORDERS + clones("orders.main", 3)}
    (d,) = diagnose(files)
    assert d.code == "E401" and "(2)" in d.message
    assert [s.message for s in d.secondary] == ["`orders.main` declared here", "the limit is 2"]
    assert d.secondary[1].span.file == "prelude.odmd"


def test_zero_forbids_clones() -> None:
    prelude = PRELUDE.replace("org acme {", "org acme {\n  max_clones = 0")
    files = {"prelude.odmd": prelude, "main.odmd": ORDERS + clones("orders.main", 1)}
    assert codes(files) == ["E401"]


def test_the_limit_is_per_origin_and_reported_once() -> None:
    prelude = PRELUDE.replace("org acme {", "org acme {\n  max_clones = 2")
    ok = ORDERS + clones("orders.main", 2, "a") + clones("network.main", 2, "b")
    compile_ok({"prelude.odmd": prelude, "main.odmd": ok})
    over = ORDERS + clones("orders.main", 5, "a") + clones("network.main", 3, "b")
    found = diagnose({"prelude.odmd": prelude, "main.odmd": over})
    assert [(d.code, d.message.split(" has ")[0]) for d in found] == [
        ("E401", "enver `orders.main`"), ("E401", "enver `network.main`")]


def test_clones_count_across_files_in_path_order() -> None:
    prelude = PRELUDE.replace("org acme {", "org acme {\n  max_clones = 1")
    files = {"prelude.odmd": prelude, "main.odmd": ORDERS,
             "b.odmd": clones("orders.main", 1, "b"), "a.odmd": clones("orders.main", 1, "a")}
    (d,) = diagnose(files)
    assert d.code == "E401" and d.span.file == "b.odmd"
