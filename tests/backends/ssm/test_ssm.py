"""The `ssm` backend: its map validates, every path is a valid Parameter Store name, the env
files source in a shell, and a moto Parameter Store takes every product and read path."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import boto3
import jsonschema
import pytest
from botocore.config import Config

from odmdc import api
from odmdc.backends.runtime.variables import env_var
from odmdc.backends.ssm import PathsDocument
from odmdc.compiler.ir import IR
from odmdc.compiler.unit import load
from tests.helpers import emit_context
from tests.snapshots import check_tree
from tests.validators.botocore_shapes import validate

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir())


def _ir(path: Path) -> IR:
    result = api.check(load([str(path)]), run_backends=False)
    assert result.ir is not None, [d.message for d in result.diagnostics]
    return result.ir


def _emit(ir: IR) -> dict[str, bytes]:
    backend, ctx = emit_context(ir, "ssm", {})
    files = {f.path: f.content for f in backend.emit(ir, ctx)}
    assert ctx.diagnostics == []
    return files


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_paths_json_validates_and_covers_the_graph(example: Path) -> None:
    ir = _ir(example)
    doc = json.loads(_emit(ir)["paths.json"])
    jsonschema.validate(doc, PathsDocument.model_json_schema())
    assert [p["path"] for p in doc["products"]] == sorted(
        p.path for e in ir.envers() for p in e.products)
    assert sorted((c["build"], c["enver"], c["consumer"], c["reads"]) for c in doc["consumers"]) \
        == sorted((e.consumer.split(".")[0], e.consumer.split(".")[1], e.consumer_name,
                   e.product_path) for e in ir.edges())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_path_is_a_valid_put_parameter_name(example: Path) -> None:
    doc = json.loads(_emit(_ir(example))["paths.json"])
    names = {p["path"] for p in doc["products"]} | {c["reads"] for c in doc["consumers"]}
    for name in sorted(names):
        params = {"Name": name, "Value": "v", "Type": "String", "Overwrite": True}
        assert validate("ssm", "PutParameter", params) == [], name


def test_the_validator_catches_a_bad_name() -> None:
    problems = validate("ssm", "PutParameter", {"Name": "/x/" + "y" * 2100, "Value": "v",
                                                 "Type": "Secret"})
    assert any("more than 2048" in p for p in problems)
    assert any("not in" in p for p in problems)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_env_files_source_in_a_shell(example: Path, tmp_path: Path) -> None:
    ir = _ir(example)
    files = _emit(ir)
    for e in ir.envers():
        path = tmp_path / "e.env"
        path.write_bytes(files[f"env/{e.build}/{e.revision.path}.env"])
        out = subprocess.run(["bash", "-c", f'set -a; . "{path}"; env -0'],
                             capture_output=True, check=True, env={"PATH": os.environ["PATH"]})
        env = dict(kv.split("=", 1) for kv in out.stdout.decode().split("\0") if "=" in kv)
        for c in e.consumers:
            assert env[f"{env_var(c.name)}_PATH"] == c.reads
            if c.default is not None:
                assert env[f"{env_var(c.name)}_DEFAULT"] == c.default


def test_shop_snapshot(update_snapshots: bool) -> None:
    check_tree(_emit(_ir(ROOT / "examples" / "shop")),
               Path(__file__).parent / "snapshots" / "shop", update_snapshots)


def test_moto_parameter_store_takes_every_path(moto_endpoint: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    doc = json.loads(_emit(_ir(ROOT / "examples" / "shop"))["paths.json"])
    clients = {}
    for p in doc["products"]:
        region = p["region"]
        if region not in clients:
            clients[region] = boto3.client("ssm", endpoint_url=moto_endpoint, region_name=region,
                                           config=Config(retries={"max_attempts": 1}))
        clients[region].put_parameter(Name=p["path"], Value=f"v:{p['path']}", Type="String",
                                      Overwrite=True)
    for c in doc["consumers"]:
        region = next(p["region"] for p in doc["products"] if p["path"] == c["reads"])
        got = clients[region].get_parameter(Name=c["reads"])["Parameter"]["Value"]
        assert got == f"v:{c['reads']}"
