"""`odmdc show`: every name of an enver, as text and as JSON, and its failure modes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from odmdc import api
from odmdc.cli import main
from odmdc.cli import show as show_command
from odmdc.compiler.diagnostics import make
from odmdc.compiler.span import file_start
from odmdc.compiler.unit import Unit

ORG = """\
org acme {
  accounts {
    central    = "111111111111"
    workspace1 = "222222222222"
    workspace2 = "333333333333"
  }
}
build contracts : contracts_lib {
  repo = "acme/contracts"
  enver main = branch "main" in central "us-east-1"
  enver cn = branch "cn" in central "cn-north-1"
}
"""
NET = """\
build net : cdk {
  repo = "acme/net"
  enver main = branch "main" in workspace1 "us-east-1" {
    produces { pool: cidr }
  }
  enver china = branch "china" in workspace2 "cn-north-1"
}
"""
SHOP = """\
build orders : cdk {
  repo = "acme/orders"
  enver master = branch "ipam_west1_le" in workspace1 "us-east-1" {
    produces { api: url { schema-url: schema s3artifact } db: string }
    consumes {
      pool = net.main.pool default "10.0.0.0/16" on_change ignore
      backup: string = net.main.pool on_change notify
    }
  }
}
build app : container_image {
  repo = "acme/app"
  enver master = branch "master" in workspace2 "us-east-1" {
    image web = "web:1.0" repo "Web_UI"
  }
}
clone feature-x of orders.master = branch "feature-x"
"""


@pytest.fixture
def contracts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "org.odmd").write_text(ORG)
    (tmp_path / "net.odmd").write_text(NET)
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "shop.odmd").write_text(SHOP)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_text_shows_every_name_of_an_enver(contracts: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "--enver", "orders.master"]) == 0
    out = capsys.readouterr().out
    assert out == """\
orders.master
  revision      branch ipam_west1_le  →  b..ipam_west1_le
  account       workspace1 (222222222222)
  region        us-east-1
  kind          cdk
  stacks        orders--ipam-west1-le
  build role    orders-us-east-1222222222222-buildRole
    path        /orders/
    arn         arn:aws:iam::222222222222:role/orders/orders-us-east-1222222222222-buildRole
  center role   orders-us-east-1222222222222-centerRole
    arn         arn:aws:iam::111111111111:role/orders/orders-us-east-1222222222222-centerRole
  workflow      ODMD_orders-CdkGHus-east-1-workspace1.yaml
    secret      ODMD_SECRETS_ODMD_orders_CdkGHus_east_1_workspace1
  artefacts     /odmd-config/orders/buildArtifactBucketName
                /odmd-config/orders/buildArtifactBucketName/222222222222
  produces
    api             url     /odmd-share/orders/b..ipam_west1_le/api
    api.schema-url  schema  /odmd-share/orders/b..ipam_west1_le/api/schema-url  (s3artifact)
    db              string  /odmd-share/orders/b..ipam_west1_le/db
  consumes
    backup  string  /odmd-share/net/b..main/pool  from net.main (pool), on change: notify
    pool    cidr    /odmd-share/net/b..main/pool  from net.main (pool), on change: ignore, \
default "10.0.0.0/16"
"""


def test_text_for_a_clone_an_image_and_another_partition(
    contracts: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["show", "--enver", "orders.feature-x"]) == 0
    clone = capsys.readouterr().out.splitlines()
    assert clone[:6] == [
        "orders.feature-x",
        "  revision      branch feature-x  →  b..ipam_west1_le-_b..feature-x",
        "  clone of      orders.master",
        "  account       workspace1 (222222222222)",
        "  region        us-east-1",
        "  kind          cdk",
    ]
    assert "  stacks        orders--feature-x" in clone
    assert "  build role    orders-us-east-1222222222222-buildRole" in clone  # the origin's
    assert "    api             url     /odmd-share/orders/b..ipam_west1_le-_b..feature-x/api" \
        in clone

    assert main(["show", "--enver", "app.master"]) == 0
    app = capsys.readouterr().out.splitlines()
    assert "  kind          container_image" in app
    assert not any(line.startswith("  stacks") for line in app)
    assert "  workflow      ODMD_app-ContainerImageEcrus-east-1-workspace2.yaml" in app
    assert app[-5:] == [
        "    web            image_repo    /odmd-share/app/b..master/web",
        "    web.latestSha  image_digest  /odmd-share/app/b..master/web/latestSha",
        "  consumes      none",
        "  images",
        "    web  web:1.0  → ECR app/bmaster/webui",
    ]

    assert main(["show", "--enver", "net.china"]) == 0
    china = capsys.readouterr().out.splitlines()
    assert "  region        cn-north-1 (partition aws-cn)" in china
    assert "    arn         arn:aws-cn:iam::333333333333:role/net/" \
        "net-cn-north-1333333333333-buildRole" in china
    assert "  produces      none" in china


def test_text_shows_every_enver_in_id_order(contracts: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show"]) == 0
    out = capsys.readouterr().out
    headers = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert headers == ["app.master", "contracts.cn", "contracts.main", "net.china", "net.main",
                       "orders.feature-x", "orders.master"]
    assert "\n\norders.master\n" in out  # blocks separated by one blank line


def test_json_is_the_ir_envers(contracts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == ["envers", "backend_names"]
    assert doc["backend_names"] == {}  # no backend of this org names anything of its own
    assert [e["id"] for e in doc["envers"]] == [
        "app.master", "contracts.cn", "contracts.main", "net.china", "net.main",
        "orders.feature-x", "orders.master"]
    master = doc["envers"][-1]
    assert master["revision"] == {"kind": "branch", "value": "ipam_west1_le",
                                  "path": "b..ipam_west1_le"}
    assert (master["account_alias"], master["account_id"], master["region"],
            master["partition"]) == ("workspace1", "222222222222", "us-east-1", "aws")
    assert master["names"]["stacks"] == ["orders--ipam-west1-le"]
    assert master["names"]["center_role_arn"] == \
        "arn:aws:iam::111111111111:role/orders/orders-us-east-1222222222222-centerRole"
    assert [(p["name"], p["path"], p["type"], p["s3artifact"]) for p in master["products"]] == [
        ("api", "/odmd-share/orders/b..ipam_west1_le/api", "url", False),
        ("api.schema-url", "/odmd-share/orders/b..ipam_west1_le/api/schema-url", "schema",
         True),
        ("db", "/odmd-share/orders/b..ipam_west1_le/db", "string", False),
    ]
    backup, pool = master["consumers"]
    assert (backup["name"], backup["type"], backup["reaction"]["kind"]) == \
        ("backup", "string", "notify")
    assert (pool["reads"], pool["producer"], pool["reaction"], pool["default"]) == (
        "/odmd-share/net/b..main/pool", "net.main", {"kind": "ignore", "roles": []},
        "10.0.0.0/16")
    assert pool["location"] == {"file": "shop/shop.odmd", "line": 6, "column": 7,
                                "end_line": 6, "end_column": 66}
    app = doc["envers"][0]
    assert app["images"] == [{"name": "web", "local": "web:1.0", "part": "Web_UI",
                              "repository": "app/bmaster/webui"}]
    assert show_command.ShowDocument.model_validate(doc).envers[0].id == "app.master"


def test_output_does_not_depend_on_declaration_order(
    contracts: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["show", "--format", "json"]) == 0
    before = capsys.readouterr().out
    # products, consumers and files in another order
    reordered = SHOP.replace(
        "produces { api: url { schema-url: schema s3artifact } db: string }",
        "produces { db: string api: url { schema-url: schema s3artifact } }",
    ).replace(
        "      pool = net.main.pool default \"10.0.0.0/16\" on_change ignore\n"
        "      backup: string = net.main.pool on_change notify\n",
        "      backup: string = net.main.pool on_change notify\n"
        "      pool = net.main.pool default \"10.0.0.0/16\" on_change ignore\n",
    )
    assert reordered != SHOP
    (contracts / "shop" / "shop.odmd").unlink()
    (contracts / "a.odmd").write_text(reordered)
    (contracts / "org.odmd").write_text(NET + ORG)
    (contracts / "net.odmd").unlink()
    assert main(["show", "--format", "json"]) == 0
    after = capsys.readouterr().out
    assert before != after  # the consumers' source positions moved with the text …
    assert _without_locations(json.loads(before)) == _without_locations(json.loads(after))


def _without_locations(doc: object) -> object:
    """… and nothing else may differ."""
    if isinstance(doc, dict):
        return {k: _without_locations(v) for k, v in doc.items() if k != "location"}
    if isinstance(doc, list):
        return [_without_locations(v) for v in doc]
    return doc


def test_errors_print_diagnostics_and_exit_1(contracts: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (contracts / "shop" / "shop.odmd").write_text(SHOP.replace('"us-east-1"', '"us-east1"', 1))
    assert main(["show"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "error[E107]: unknown AWS region `us-east1`" in captured.err
    assert main(["show", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [d["code"] for d in report["diagnostics"]] == ["E107"]


def test_unknown_enver_is_a_usage_error(contracts: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "--enver", "orders.mastr"]) == 2
    assert capsys.readouterr().err == \
        "odmdc show: error: unknown enver `orders.mastr`; did you mean `orders.master`?\n"
    assert main(["show", "--enver", "zzz"]) == 2
    assert capsys.readouterr().err == "odmdc show: error: unknown enver `zzz`\n"


def test_warnings_go_to_stderr_and_the_names_still_print(
    contracts: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = api.check

    def with_warning(unit: Unit, enable: object = (), deny_warnings: bool = False,
                     run_backends: bool = True) -> api.Checked:
        result = real(unit, run_backends=run_backends)
        warning = make("W301", "product `api` is never read", file_start("org.odmd"))
        if deny_warnings:
            warning = warning.as_error()
        result.diagnostics.append(warning)
        if deny_warnings:
            result.ir = None
        return result

    monkeypatch.setattr(api, "check", with_warning)
    assert main(["show", "--format", "json", "--enver", "net.main"]) == 0
    captured = capsys.readouterr()
    assert [e["id"] for e in json.loads(captured.out)["envers"]] == ["net.main"]
    assert "warning[W301]: product `api` is never read" in captured.err
    assert main(["show", "--deny-warnings", "--enver", "net.main"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "error[W301]" in captured.err


def test_a_backends_own_names_are_shown(capsys: pytest.CaptureFixture[str]) -> None:
    # the platform example deploys with CodePipeline: each enver's pipeline is named too
    platform = str(Path(__file__).parents[2] / "examples" / "platform")
    assert main(["show", platform, "--enver", "eks.main", "--format", "json"]) == 0
    names = json.loads(capsys.readouterr().out)["backend_names"]
    role = "arn:aws:iam::111122223333:role/odmd-pipeline/eks/ODMD_eks-b..main-workspace0"
    assert names == {"eks.main": {"codepipeline": {
        "pipeline": "ODMD_eks-b..main-workspace0", "role": f"{role}-pipeline",
        "codebuild": f"{role}-codebuild", "artefacts": "odmd-eks-b-main-workspace0-c33d48360a",
    }}}
    assert main(["show", platform, "--enver", "eks.main"]) == 0
    text = capsys.readouterr().out
    assert "  codepipeline\n    pipeline    ODMD_eks-b..main-workspace0\n" in text
