"""Plans of small contracts, through the real parser and checker."""

from __future__ import annotations

import json

from odmdc.compiler.planner.plan import plan
from odmdc.compiler.planner.render import plan_text
from tests.helpers import compile_ok

NETWORKING_LOGGING = """\
build networking : cdk {
  repo = "acme/networking"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes {
      flow-log-group: arn = logging.main.flow-log-group
        default "arn:aws:logs:us-east-1:222222222222:log-group:bootstrap"
    }
    produces { hosted-zone: string }
  }
}
build logging : cdk {
  repo = "acme/logging"
  enver main = branch "main" in workspace2 "us-east-1" {
    consumes { zone = networking.main.hosted-zone }
    produces { flow-log-group: arn }
  }
}
"""


def test_spec_example_json() -> None:
    outcome = plan(compile_ok(NETWORKING_LOGGING), "networking.main")
    assert json.loads(outcome.plan.model_dump_json()) == {"phases": [
        {"index": 1, "steps": [
            {"enver": "networking.main", "action": "deploy", "account": "222222222222",
             "region": "us-east-1", "uses_placeholders": ["flow-log-group"],
             "account_alias": "workspace1"},
        ]},
        {"index": 2, "steps": [
            {"enver": "logging.main", "action": "deploy", "account": "333333333333",
             "region": "us-east-1", "uses_placeholders": [], "account_alias": "workspace2"},
        ]},
        {"index": 3, "steps": [
            {"enver": "networking.main", "action": "update", "account": "222222222222",
             "region": "us-east-1", "uses_placeholders": [], "account_alias": "workspace1"},
        ]},
    ]}


def test_whole_org_plan_includes_unrelated_envers_in_parallel() -> None:
    outcome = plan(compile_ok(NETWORKING_LOGGING))
    phases = [[(s.enver, s.action) for s in p.steps] for p in outcome.plan.phases]
    assert phases == [
        [("contracts.main", "deploy"), ("networking.main", "deploy")],
        [("logging.main", "deploy")],
        [("networking.main", "update")],
    ]
    assert [(e.consumer, e.consumer_name) for e in outcome.deferred] == [
        ("networking.main", "flow-log-group")]


def test_plan_text() -> None:
    text = plan_text(plan(compile_ok(NETWORKING_LOGGING), "logging.main"))
    assert text == """\
plan: 3 phases, 2 envers; 1 consumer starts on a placeholder

phase 1
  deploy  networking.main  workspace1 (222222222222)  us-east-1
          placeholder flow-log-group = arn:aws:logs:us-east-1:222222222222:log-group:bootstrap \
(until logging.main.flow-log-group exists)

phase 2
  deploy  logging.main     workspace2 (333333333333)  us-east-1

phase 3
  update  networking.main  workspace1 (222222222222)  us-east-1
          flow-log-group <- logging.main.flow-log-group
"""


def test_target_plans_only_what_is_upstream() -> None:
    ir = compile_ok(NETWORKING_LOGGING + """
build app : cdk {
  repo = "acme/app"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes { zone = networking.main.hosted-zone }
  }
}
build other : cdk {
  repo = "acme/other"
  enver main = branch "main" in workspace1 "us-east-1"
}
""")
    envers = {s.enver for p in plan(ir, "app.main").plan.phases for s in p.steps}
    # logging is upstream of app through the cycle with networking
    assert envers == {"app.main", "networking.main", "logging.main"}
    assert {s.enver for p in plan(ir, "other.main").plan.phases for s in p.steps} == {
        "other.main"}


def test_clones_deploy_after_their_producers_and_share_placeholders() -> None:
    ir = compile_ok(NETWORKING_LOGGING + """
clone feature-x of networking.main = branch "feature-x"
""")
    outcome = plan(ir)
    phases = [[(s.enver, s.action, s.uses_placeholders) for s in p.steps]
              for p in outcome.plan.phases]
    # Nothing consumes the clone, so it is on no cycle: it simply waits for logging.
    assert phases == [
        [("contracts.main", "deploy", ()), ("networking.main", "deploy", ("flow-log-group",))],
        [("logging.main", "deploy", ())],
        [("networking.feature-x", "deploy", ()), ("networking.main", "update", ())],
    ]


def test_account_given_by_id_has_no_alias() -> None:
    ir = compile_ok("""
build solo : cdk {
  repo = "acme/solo"
  enver main = branch "main" in "444444444444" "us-east-1"
}
""")
    (step,) = plan(ir, "solo.main").plan.phases[0].steps
    assert (step.account, step.account_alias) == ("444444444444", None)


def test_several_placeholders_on_one_enver_are_listed_sorted() -> None:
    ir = compile_ok("""
build a : cdk {
  repo = "acme/a"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes {
      zz = b.main.out default "z"
      aa = b.main.out default "a"
      mm = c.main.out default "m"
    }
    produces { out: string }
  }
}
build b : cdk {
  repo = "acme/b"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes { x = a.main.out }
    produces { out: string }
  }
}
build c : cdk {
  repo = "acme/c"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes { x = a.main.out }
    produces { out: string }
  }
}
""")
    first = plan(ir, "a.main").plan.phases[0].steps
    assert [(s.enver, s.uses_placeholders) for s in first] == [("a.main", ("aa", "mm", "zz"))]
