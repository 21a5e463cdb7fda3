"""A backend's `check` reports exactly what its `emit` reports (`odmdc check` runs `check`, so
that contracts that check clean compile), on every org the backend tests compile."""

from __future__ import annotations

from pathlib import Path

import pytest

from odmdc import api
from odmdc.compiler.ir import IR
from odmdc.compiler.planner.plan import plan
from tests.helpers import PRELUDE, emit_context, unit_of

ROOT = Path(__file__).resolve().parents[2]
ORGS = sorted([*(ROOT / "examples").iterdir(),
               *(ROOT / "tests" / "backends" / "cloudformation" / "orgs").iterdir()])
BACKENDS = ["cloudformation", "codepipeline", "github_actions", "ssm"]
CONNECTIONS = {"connections": [  # codepipeline's one required option, for orgs without it
    f"arn:aws:codeconnections:{r}:111111111111:connection/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    for r in ("us-east-1", "us-west-1", "eu-west-1", "ap-northeast-1", "ap-southeast-2")]}


def _chain(n: int) -> str:
    """An org whose builds each read the one before: n + 1 plan phases (the release pipeline
    has a stage per phase, and CodePipeline allows 50)."""
    builds = [f'build b{i} : cdk {{\n  repo = "acme/b{i}"\n  enver main = branch "main" in '
              f'workspace1 "us-east-1" {{\n    produces {{ out: string }}\n'
              + (f"    consumes {{ up = b{i - 1}.main.out }}\n" if i else "") + "  }\n}\n"
              for i in range(n)]
    return _with_connection(PRELUDE) + "".join(builds)


def _with_connection(prelude: str) -> str:
    """The prelude's org deploying with CodePipeline, with a connection in us-east-1 only."""
    connection = CONNECTIONS["connections"][0]
    block = f'  ci = codepipeline\n  backend codepipeline {{ connections = ["{connection}"] }}\n'
    return prelude.replace("\n}\n", "\n" + block + "}\n", 1)


# what each backend reports: a repository GitHub cannot name, consumers that map to one
# variable, a notify topic in another region, no CodeStar connection in a region
FAULTS = _with_connection(PRELUDE).replace(
    '  enver main = branch "main" in central "us-east-1"\n',
    '  enver main = branch "main" in central "us-east-1"\n'
    '  enver eu = branch "eu" in central "eu-west-1"\n') + """
build Orders : cdk {
  repo = "orders"
  enver main = branch "main" in workspace1 "us-east-1" {
    consumes {
      db-url = Db.main.url
      db_url = Db.main.url on_change notify("arn:aws:sns:eu-west-1:111111111111:t")
    }
  }
}
build Db : cdk {
  repo = "acme/db"
  enver main = branch "main" in workspace1 "us-east-1" { produces { url: url } }
  enver eu = branch "eu" in workspace1 "eu-west-1" { produces { url: url } }
}
"""
CRAFTED = {"faults": FAULTS, "deep": _chain(51)}


def _ir(org: Path | str) -> IR:
    unit = api.load([str(org)]) if isinstance(org, Path) else unit_of({"org.odmd": org})
    checked = api.check(unit, run_backends=False)
    assert checked.ir is not None, [d.message for d in checked.diagnostics]
    return checked.ir


@pytest.mark.parametrize("org", [*(o for o in ORGS if o.is_dir()), *CRAFTED],
                         ids=lambda o: o.name if isinstance(o, Path) else o)
@pytest.mark.parametrize("backend", BACKENDS)
def test_check_reports_what_emit_reports(org: Path | str, backend: str) -> None:
    checked_ir = _ir(org if isinstance(org, Path) else CRAFTED[org])
    ir = checked_ir
    options = ir.org.backend_options.get(backend)
    if backend == "codepipeline" and not options:
        options = CONNECTIONS
    b, emitting = emit_context(ir, backend, options)
    list(b.emit(ir, emitting))
    b, checking = emit_context(ir, backend, options)
    b.check(ir, checking)
    assert checking.diagnostics == emitting.diagnostics
    if org == "faults" or (org, backend) == ("deep", "codepipeline"):  # its release stages
        assert emitting.diagnostics, "a crafted org whose faults this backend does not see"
    assert plan(ir).plan == checking.plan.plan  # the plan handed to them is the IR's
