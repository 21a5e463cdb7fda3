"""A CI engine from another distribution, installed with pip, deploys an org like a built-in:
the cloudformation backend builds its trust and its reactions without knowing its name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.backends.cloudformation.test_cfn_lint import lint
from tests.backends.plugins import install, odmdc
from tests.helpers import PRELUDE

FIXTURE = Path(__file__).parent / "fixtures" / "relay_engine"
QUEUE = "arn:aws:sqs:us-east-1:111111111111:relay-work"
APPROVER = "arn:aws:iam::111111111111:role/release-managers"

ORG = PRELUDE.replace("\n}\n", f"""
  ci       = relay
  backends = [cloudformation, ssm]
  backend relay {{ queue_arn = "{QUEUE}" }}
}}
""", 1) + f"""
build db : cdk {{
  repo = "acme/db"
  enver main = branch "main" in workspace1 "us-east-1" {{
    produces {{ url: url }}
  }}
}}
build orders : cdk {{
  repo = "acme/orders"
  enver main = branch "main" in workspace1 "us-east-1" {{
    consumes {{
      db-url = db.main.url
      db-url-held = db.main.url on_change approve("{APPROVER}")
    }}
  }}
}}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install(FIXTURE, tmp_path_factory.mktemp("site"))


def _template(out: Path, path: str) -> Any:
    return json.loads((out / "cloudformation" / path).read_text())


def test_backends_lists_the_engine(site: Path, tmp_path: Path) -> None:
    out = odmdc(site, "backends", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    engines = out.stdout.split("CI engines")[1].splitlines()
    assert any(ln.split()[:3] == ["relay", "odmdc-relay", "0.4.0"] for ln in engines)


def test_an_org_deploys_with_it(site: Path, tmp_path: Path) -> None:
    (tmp_path / "org.odmd").write_text(ORG)
    checked = odmdc(site, "check", ".", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    done = odmdc(site, "compile", ".", "-o", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"

    target = _template(out, "workspace1/us-east-1/orders.template.json")
    role = target["Resources"]["BuildRole"]
    trust = {s["Sid"]: s for s in role["Properties"]["AssumeRolePolicyDocument"]["Statement"]}
    agents = "arn:aws:iam::111111111111:role/relay-agents"
    assert trust["RelayAgents"]["Condition"] == {"ArnEquals": {"aws:PrincipalArn": agents}}
    assert trust["RelayAgents"]["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}
    assert role["Metadata"]["odmdc"]["relay-agents"] == agents
    assert "Relay agents of acme/orders" in role["Properties"]["Description"]

    central = _template(out, "central/us-east-1/builds/orders.template.json")
    rules = {lid: r for lid, r in central["Resources"].items()
             if r["Type"] == "AWS::Events::Rule"}
    targets = {lid.rstrip("0123456789ABCDEF"): [t["Arn"] for t in r["Properties"]["Targets"]]
               for lid, r in rules.items()}
    assert targets == {"OnChangeOrdersMain": [QUEUE], "OnApproveOrdersMain": [QUEUE]}
    held = next(r for lid, r in rules.items() if lid.startswith("OnApprove"))
    message = held["Properties"]["Targets"][0]["InputTransformer"]["InputTemplate"]
    assert json.loads(message)["approvers"] == [APPROVER]
    # the engine needs nothing of the stack's own: no EventBridge role, no root stack
    assert "EventsRole" not in central["Resources"]
    assert not (out / "cloudformation" / "central" / "us-east-1.template.json").exists()

    for path in sorted((out / "cloudformation").rglob("*.template.json")):
        doc = json.loads(path.read_text())
        assert lint(path.read_text(), doc["Metadata"]["odmdc"]["region"]) == [], path


def test_its_options_are_checked(site: Path, tmp_path: Path) -> None:
    (tmp_path / "org.odmd").write_text(ORG.replace(f'queue_arn = "{QUEUE}"', "colour = 1"))
    out = odmdc(site, "check", ".", cwd=tmp_path)
    assert out.returncode == 1
    assert "error[E004]: backend `relay` needs option `queue_arn`" in out.stderr
    assert "error[E003]: backend `relay` has no option `colour`" in out.stderr


def test_without_it_the_engine_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "org.odmd").write_text(ORG)
    out = odmdc(None, "check", ".", cwd=tmp_path)
    assert out.returncode == 1
    assert "error[E003]: no CI engine named `relay` is installed" in out.stderr
