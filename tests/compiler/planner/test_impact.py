"""Impact analysis: on hand-built links and on contracts through the checker."""

from __future__ import annotations

import json

import pytest

from odmdc.compiler.ir import Reaction
from odmdc.compiler.planner.impact import Link, cascade, impact
from odmdc.compiler.planner.render import impact_text
from odmdc.compiler.sources import UsageError
from tests.helpers import compile_ok

REDEPLOY = Reaction(kind="redeploy")
IGNORE = Reaction(kind="ignore")
NOTIFY = Reaction(kind="notify")
OK = "arn:aws:iam::111111111111:role/oncall"
APPROVE = Reaction(kind="approve", roles=(OK,))


def link(edge: str, reaction: Reaction = REDEPLOY, product: str = "out",
         name: str | None = None) -> Link:
    producer, consumer = edge.split(">")
    return Link(producer, consumer, name or f"from-{producer}", product, reaction)


def summary(links: list[Link], start: str = "src", product: str = "out"
            ) -> dict[str, tuple[int, str, bool]]:
    return {k: (r.wave, r.reaction.kind, r.gated)
            for k, r in cascade(links, start, product).items()}


def test_waves_follow_redeploys_and_stop_at_ignore_and_notify() -> None:
    links = [link("src>a"), link("src>b", IGNORE), link("src>c", NOTIFY), link("a>d"),
             link("b>e"), link("c>f"), link("d>g", IGNORE)]
    assert summary(links) == {
        "a": (1, "redeploy", False), "b": (1, "ignore", False), "c": (1, "notify", False),
        "d": (2, "redeploy", False), "g": (3, "ignore", False),
    }


def test_only_consumers_of_the_changed_product_start_the_cascade() -> None:
    links = [link("src>a", product="out"), link("src>b", product="other"),
             link("src>c", product="out.child")]
    assert set(cascade(links, "src", "out")) == {"a"}
    assert set(cascade(links, "src", "out.child")) == {"c"}


def test_approve_continues_downstream_as_gated() -> None:
    links = [link("src>a", APPROVE), link("a>b"), link("b>c", NOTIFY)]
    result = cascade(links, "src", "out")
    assert result["a"].reaction == APPROVE and not result["a"].gated
    assert summary(links) == {"a": (1, "approve", False), "b": (2, "redeploy", True),
                              "c": (3, "notify", True)}


def test_an_ungated_path_in_the_same_wave_wins() -> None:
    links = [link("src>a", APPROVE), link("src>b"), link("a>c"), link("b>c")]
    assert summary(links)["c"] == (2, "redeploy", False)


def test_reactions_of_one_wave_combine_to_the_least_gated() -> None:
    other = "arn:aws:iam::111111111111:role/other"
    links = [link("src>a", APPROVE, name="x"),
             link("src>a", Reaction(kind="approve", roles=(other,)), name="y"),
             link("src>a", IGNORE, name="z"), link("src>b", IGNORE, name="x"),
             link("src>b", NOTIFY, name="y")]
    result = cascade(links, "src", "out")
    assert result["a"].reaction == Reaction(kind="approve", roles=(OK, other))
    assert result["b"].reaction == NOTIFY
    assert [t[1].name for t in result["a"].via] == ["x", "y", "z"]


def test_an_enver_ignoring_a_short_path_still_redeploys_through_a_longer_one() -> None:
    # a reaches c directly in wave 2 (ignored) and through b in wave 3 (redeployed): c is
    # listed in wave 3, where it redeploys, and its consumer d follows in wave 4.
    links = [link("src>a"), link("a>c", IGNORE, name="direct"), link("a>b"),
             link("b>c", name="via-b"), link("c>d")]
    result = cascade(links, "src", "out")
    assert summary(links) == {"a": (1, "redeploy", False), "b": (2, "redeploy", False),
                              "c": (3, "redeploy", False), "d": (4, "redeploy", False)}
    assert [(w, t.name) for w, t in result["c"].via] == [(2, "direct"), (3, "via-b")]


def test_each_enver_once_even_on_a_cycle_back_to_the_source() -> None:
    links = [link("src>a"), link("a>src"), link("src>b", product="other")]
    # src redeploys (it consumes a), republishing `other` too: b follows.
    assert summary(links) == {"a": (1, "redeploy", False), "src": (2, "redeploy", False),
                              "b": (3, "redeploy", False)}


def test_nothing_consumes_it() -> None:
    assert cascade([link("x>y")], "src", "out") == {}


CONTRACTS = """\
build net : cdk {
  repo = "acme/net"
  enver main = branch "main" in workspace1 "us-east-1" {
    produces { zone: string { name: string }  nat: string }
  }
}
build logs : cdk {
  repo = "acme/logs"
  enver main = branch "main" in workspace2 "us-east-1" {
    consumes { zone = net.main.zone }
    produces { group: string }
  }
}
build eks : cdk {
  repo = "acme/eks"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes {
      nat = net.main.nat on_change approve("arn:aws:iam::111111111111:role/oncall")
      zone-name = net.main.zone.name on_change notify
      group = logs.main.group on_change ignore
    }
    produces { endpoint: url }
  }
}
build app : cdk {
  repo = "acme/app"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes { api = eks.main.endpoint }
  }
}
clone feature of app.main = branch "feature"
"""


def test_impact_json_through_the_checker() -> None:
    result = impact(compile_ok(CONTRACTS), "net.main.nat")
    assert json.loads(result.model_dump_json()) == {
        "product": "net.main.nat", "path": "/odmd-share/net/b..main/nat",
        "waves": [
            {"index": 1, "envers": [
                {"enver": "eks.main", "account": "222222222222", "region": "us-east-1",
                 "reaction": {"kind": "approve", "roles": [OK]}, "gated": False,
                 "via": [{"wave": 1, "producer": "net.main", "product": "nat",
                          "consumer": "nat", "reaction": {"kind": "approve", "roles": [OK]}}],
                 "account_alias": "workspace1"},
            ]},
            {"index": 2, "envers": [
                {"enver": f"app.{name}", "account": "222222222222", "region": "us-east-1",
                 "reaction": {"kind": "redeploy", "roles": []}, "gated": True,
                 "via": [{"wave": 2, "producer": "eks.main", "product": "endpoint",
                          "consumer": "api", "reaction": {"kind": "redeploy", "roles": []}}],
                 "account_alias": "workspace1"}
                for name in ("feature", "main")
            ]},
        ],
    }


def test_child_products_are_values_of_their_own() -> None:
    ir = compile_ok(CONTRACTS)
    zone = impact(ir, "net.main.zone")
    assert [[(e.enver, e.reaction.kind) for e in w.envers] for w in zone.waves] == [
        [("logs.main", "redeploy")], [("eks.main", "ignore")]]
    child = impact(ir, "net.main.zone.name")
    assert [[(e.enver, e.reaction.kind) for e in w.envers] for w in child.waves] == [
        [("eks.main", "notify")]]


def test_impact_text() -> None:
    text = impact_text(impact(compile_ok(CONTRACTS), "net.main.nat"))
    assert text == f"""\
impact of a change to net.main.nat (/odmd-share/net/b..main/nat): 3 envers in 2 waves

wave 1
  eks.main     redeploys once approved by {OK}
      nat <- net.main.nat  [approve({OK})]

wave 2
  app.feature  redeploys (after an upstream approval)
      api <- eks.main.endpoint  [redeploy]
  app.main     redeploys (after an upstream approval)
      api <- eks.main.endpoint  [redeploy]

2 redeploy, 1 approve; 2 behind an upstream approval
"""
    lone = impact_text(impact(compile_ok(CONTRACTS), "eks.main.endpoint"))
    assert lone.splitlines()[-1] == "2 redeploy"
    nobody = impact_text(impact(compile_ok(CONTRACTS), "logs.main.group"))
    assert "wave 1\n  eks.main  ignores the change\n" in nobody


@pytest.mark.parametrize(("target", "message"), [
    ("net.main.nta", "unknown product `nta` of enver `net.main`; did you mean `net.main.nat`?"),
    ("net.mian.nat", "unknown enver `net.mian`; did you mean `net.main`?"),
    ("nt.main.nat", "unknown enver `nt.main`; did you mean `net.main`?"),
    ("net.main", "`net.main` is an enver; name one of its products: `net.main.nat`, "
                 "`net.main.zone`, `net.main.zone.name`"),
    ("app.main", "`app.main` is not a product: write BUILD.ENVER.PRODUCT"),
    ("net..zone", "is not a product"),
    ("app.main.x", "enver `app.main` publishes no products"),
])
def test_unknown_targets(target: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        impact(compile_ok(CONTRACTS), target)
    assert message in str(info.value)
