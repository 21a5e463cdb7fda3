"""Test orgs for the codepipeline backend: every kind, branch and tag envers, branch and tag
clones, approvals with one and with several role sets (approvers in two accounts), a
placeholder cycle, several accounts and two regions, work_dirs."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from odmdc import api
from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.compiler.ir import IR
from odmdc.compiler.unit import load
from tests.helpers import compile_ok, emit

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
CONNECTION_ID = "0b7d6b8f-6c4e-4b8e-9c1a-3c1f6a2d7e55"

MULTI = {
    "org.odmd": """
org multi {
  accounts {
    central = "111111111111"
    dev     = "222222222222"
    prod    = "333333333333"
  }
  ci = codepipeline
  backends = [codepipeline]
  max_clones = 3
  backend codepipeline {
    connections = [
      "arn:aws:codeconnections:eu-west-1:111111111111:connection/0b7d6b8f-6c4e-4b8e-9c1a-3c1f6a2d7e55",
      "arn:aws:codeconnections:us-east-1:111111111111:connection/0b7d6b8f-6c4e-4b8e-9c1a-3c1f6a2d7e55",
    ]
    npm_token_secret = "odmd/npm-token"
  }
}
build contracts : contracts_lib {
  repo = "multi/contracts"
  enver main = branch "main" in central "us-east-1"
  enver main-eu = branch "main-eu" in central "eu-west-1"
}
""",
    "platform.odmd": """
// a tag enver and its branch, in two accounts; `dev` has a tag clone (all its inputs are tags)
build net : cdk {
  repo = "multi/net"
  work_dirs = ["infra"]
  enver main = branch "main" in dev "us-east-1" {
    produces { vpc-id: string  cidr: cidr }
  }
  enver r1 = tag "r1.0" in prod "us-east-1" {
    produces { vpc-id: string  cidr: cidr }
  }
  enver eu = branch "eu" in prod "eu-west-1" {
    produces { vpc-id: string }
  }
}
build images : container_image {
  repo = "multi/images"
  enver main = branch "main" in dev "us-east-1" {
    image api = "multi-api:1.2.3"
    image worker = "multi-worker:latest" repo "jobs"
  }
}
""",
    "apps.odmd": """
// two role sets: two approval actions; approvers in two accounts
build app : cdk {
  repo = "multi/app"
  enver main = branch "main" in dev "us-east-1" {
    stacks = ["{build}--{rev}", "{build}-data--{rev}"]
    consumes {
      vpc = net.main.vpc-id on_change approve("arn:aws:iam::111111111111:role/net-admins")
      cidr = net.main.cidr
        on_change approve("arn:aws:iam::111111111111:role/net-admins",
                          "arn:aws:iam::333333333333:role/ops/release")
      api-image = images.main.api
      api-digest = images.main.api.latestSha on_change ignore
      tool = tools.main.tool-url default "https://tools.example.com/x" on_change notify
    }
    produces { endpoint: url { schema: schema s3artifact } }
  }
  enver release = tag "2.0.1" in prod "us-east-1" {
    consumes { vpc = net.r1.vpc-id on_change approve("arn:aws:iam::333333333333:role/ops/release") }
    produces { endpoint: url }
  }
}
clone spike of app.main = branch "spike"

// cmd with two work dirs, consuming the app (a placeholder edge back to it closes a cycle)
build tools : cmd {
  repo = "multi/tools"
  work_dirs = ["scripts", "ops/jobs"]
  enver main = branch "main" in dev "us-east-1" {
    consumes {
      endpoint = app.main.endpoint on_change approve("arn:aws:iam::111111111111:role/net-admins")
    }
    produces { tool-url: url }
  }
}

// npm packages, a branch and a tag, and a tag clone of the tag
build sdk : npm_package {
  repo = "multi/sdk"
  enver main = branch "main" in dev "us-east-1" {
    consumes { schema = app.main.endpoint.schema }
    produces { version: string }
  }
  enver stable = tag "1.4.0" in prod "us-east-1" {
    consumes {
      endpoint = app.release.endpoint
        on_change approve("arn:aws:iam::333333333333:role/ops/release")
    }
    produces { version: string }
  }
}
clone hotfix of sdk.stable = tag "1.4.1"

build eu-app : cdk {
  repo = "multi/eu-app"
  enver main = branch "main" in prod "eu-west-1" {
    consumes { vpc = net.eu.vpc-id }
  }
}
""",
}


def compile_multi() -> IR:
    return compile_ok(MULTI, prelude=False)


def compile_example(name: str) -> IR:
    result = api.check(load([str(EXAMPLES / name)]), run_backends=False)
    assert result.ir is not None, [d.message for d in result.diagnostics]
    return result.ir


def connection(region: str, account: str) -> str:
    return f"arn:aws:codeconnections:{region}:{account}:connection/{CONNECTION_ID}"


def options_for(ir: IR, **extra: Any) -> dict[str, Any]:
    """Options with a connection in every region of `ir` and an npm token secret."""
    regions = sorted({e.region for e in ir.envers()})
    central = ir.org.central_account_id
    return {"connections": [connection(r, central) for r in regions],
            "npm_token_secret": "odmd/npm-token", **extra}


def run(ir: IR, options: Mapping[str, Any] | None = None) -> dict[str, bytes]:
    """The backend's files (paths below `codepipeline/`), asserting it reported nothing."""
    opts = dict(options if options is not None else options_for(ir))
    CodePipelineOptions.model_validate(opts)
    out = emit(ir, ["codepipeline"], {"codepipeline": opts})
    assert out.errors == []
    # the one warning: an org deploying with another engine (the shop) hears about it
    expected = [] if ir.org.ci == "codepipeline" else ["W601"]
    assert [d.code for d in out.diagnostics] == expected, [d.message for d in out.diagnostics]
    return {k.removeprefix("codepipeline/"): v for k, v in out.files.items()}


ORGS = ("multi", *sorted(p.name for p in EXAMPLES.iterdir() if (p / "org.odmd").is_file()))


@functools.cache
def compiled(org: str) -> IR:
    return compile_multi() if org == "multi" else compile_example(org)


@functools.cache
def outputs(org: str) -> dict[str, bytes]:
    return run(compiled(org))


def files(suffix: str) -> list[tuple[str, str]]:
    """(org, path) of every generated file ending in `suffix`, for parametrising."""
    return [(org, path) for org in ORGS for path in sorted(outputs(org)) if path.endswith(suffix)]


def load_json(org: str, path: str) -> Any:
    return json.loads(outputs(org)[path])
