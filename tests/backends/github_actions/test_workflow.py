"""The workflow documents: where they go, what triggers them, what each job may do, which
actions they use, and that the same contracts always give the same bytes."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from odmdc.api.recompile import STATE
from odmdc.backends.github_actions import GithubActionsOptions, yaml_text
from odmdc.backends.github_actions.actions import PINNED
from odmdc.backends.github_actions.dispatch import APPROVED_EVENT_TYPE, REDEPLOY_EVENT_TYPE
from tests.backends.github_actions.runner import compile_folder, compile_org, workflow
from tests.helpers import check, compile_ok, emit, emit_context
from tests.snapshots import check_tree
from tests.strategies.orgs import OrgSpec, orgs

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SNAPSHOTS = Path(__file__).parent / "snapshots"


def _docs(files: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {p: yaml_text.load(t) for p, t in files.items()}


def test_one_workflow_per_build_account_and_region(allkinds: dict[str, str]) -> None:
    assert sorted(allkinds) == [
        "kitchen/api/.github/workflows/ODMD_api-CdkGHus-east-1-workspace2.yaml",
        "kitchen/api/.github/workflows/ODMD_api-CdkGHus-west-1-workspace1.yaml",
        "kitchen/contracts/.github/workflows/ODMD_contracts-CmdsGHus-east-1-workspace1.yaml",
        "kitchen/contracts/.github/workflows/ODMD_contracts-CmdsGHus-west-1-workspace1.yaml",
        "kitchen/tools/.github/workflows/ODMD_tools-NpmPackGHus-west-1-workspace1.yaml",
        "kitchen/web/.github/workflows/ODMD_img-ContainerImageEcrus-west-1-workspace1.yaml",
        "kitchen/worker/.github/workflows/ODMD_worker-CmdsGHus-west-1-workspace1.yaml",
    ]
    for path, doc in _docs(allkinds).items():
        assert doc["name"] + ".yaml" == path.rsplit("/", 1)[1]


def test_triggers(allkinds: dict[str, str]) -> None:
    west = workflow(allkinds, "ODMD_api-CdkGHus-west-1-workspace1.yaml")["on"]
    # any branch a clone could live on (no `/`, not `v…`), the declared tags
    assert west["push"] == {"branches": ["*", "!v*", "!V*"], "tags": ["2.0.0"]}
    assert west["workflow_dispatch"] == {}
    # master's `queue` consumer waits for an approval
    assert west["repository_dispatch"] == {
        "types": [APPROVED_EVENT_TYPE, REDEPLOY_EVENT_TYPE]}
    east = workflow(allkinds, "ODMD_api-CdkGHus-east-1-workspace2.yaml")["on"]
    assert east["push"] == {"branches": ["*", "!v*", "!V*"]}
    assert east["repository_dispatch"] == {"types": [REDEPLOY_EVENT_TYPE]}
    tools = workflow(allkinds, "ODMD_tools-NpmPackGHus-west-1-workspace1.yaml")["on"]
    assert tools["push"]["tags"] == ["1.4.0"]
    # a singleton: its declared branches only
    contracts = workflow(allkinds, "ODMD_contracts-CmdsGHus-east-1-workspace1.yaml")["on"]
    assert contracts["push"] == {"branches": ["main-east"]}


def test_max_clones_zero_means_declared_refs_only(allkinds: dict[str, str]) -> None:
    """An org with `max_clones = 0` can have no clones: its workflows run on the declared
    refs only, read no clone records and have no delete job — as its build roles trust only
    those refs (cloudformation backend)."""
    from tests.backends.github_actions.conftest import ORGS
    from tests.backends.github_actions.runner import org_files
    files = org_files(ORGS / "allkinds")
    files["org.odmd"] = files["org.odmd"].replace("max_clones = 3", "max_clones = 0")
    files["services.odmd"] = files["services.odmd"].replace(
        'clone feature-x of api.master = branch "feature-x"', "")
    strict = workflow(compile_org(files), "ODMD_api-CdkGHus-west-1-workspace1.yaml")
    assert strict["on"]["push"] == {"branches": ["master"], "tags": ["2.0.0"]}
    jobs = strict["jobs"]
    assert set(jobs) == {"resolve", "redispatch", "deploy"}
    assert jobs["resolve"]["permissions"] == {} and jobs["redispatch"]["permissions"] == {
        "actions": "write"}
    assert [x["name"] for x in jobs["deploy"]["steps"]].count("record the new clone") == 0
    env = jobs["resolve"]["steps"][-1]["env"]
    assert env["ODMD_CLONES"] == "false"


def test_permissions_are_minimal_per_job(allkinds: dict[str, str]) -> None:
    for path, doc in _docs(allkinds).items():
        assert doc["permissions"] == {}
        singleton = "contracts" in path
        jobs = doc["jobs"]
        assert jobs["resolve"]["permissions"] == ({} if singleton else {"id-token": "write"})
        assert jobs["redispatch"]["permissions"] == (
            {"actions": "write"} if singleton else {"actions": "write", "id-token": "write"})
        deploy = {"contents": "read", "id-token": "write"}
        if "NpmPack" in path:
            deploy["packages"] = "write"
        assert jobs["deploy"]["permissions"] == deploy
        if singleton:
            assert "delete" not in jobs
        else:
            assert jobs["delete"]["permissions"] == (
                {"contents": "read", "id-token": "write"} if "Cmds" in path
                else {"id-token": "write"})
    text = next(iter(allkinds.values()))
    assert "id-token: write  # OIDC: assume the build role" in text


def test_only_pinned_well_known_actions_with_version_comments(allkinds: dict[str, str]) -> None:
    uses = re.compile(r"^\s*(?:- )?uses: (\S+) # (\S+)$")
    seen = set()
    for text in allkinds.values():
        for line in text.splitlines():
            if "uses:" in line and not line.lstrip().startswith("#"):
                m = uses.match(line)
                assert m, line
                action = PINNED[m.group(1)]
                assert action.version == m.group(2)
                assert re.fullmatch(r"(actions|aws-actions)/[a-z-]+@[0-9a-f]{40}", action.uses)
                seen.add(action.repo)
    assert seen == {"actions/checkout", "actions/setup-node",
                    "aws-actions/configure-aws-credentials"}


def test_untrusted_input_only_through_env(allkinds: dict[str, str]) -> None:
    for doc in _docs(allkinds).values():
        for job in doc["jobs"].values():
            for s in job["steps"]:
                if "run" in s:
                    assert "${{" not in s["run"]
        resolve = next(s for s in doc["jobs"]["resolve"]["steps"] if s.get("id") == "resolve")
        assert resolve["env"]["ODMD_HEAD_MESSAGE"] == "${{ github.event.head_commit.message }}"
        assert resolve["env"]["ODMD_DISPATCH_ENVER"] == \
            "${{ github.event.client_payload.enver }}"


def test_deploy_job_builds_by_kind_with_the_build_role(allkinds: dict[str, str]) -> None:
    def steps(name: str) -> list[str]:
        return [s["name"] for s in workflow(allkinds, name)["jobs"]["deploy"]["steps"]]

    common = ["check out the enver's revision", "assume the build role", "set up odmd",
              "record the new clone", "read the consumed values"]
    assert steps("ODMD_api-CdkGHus-west-1-workspace1.yaml") == [
        common[0], "set up Node.js", *common[1:], "deploy the stacks", "publish the products"]
    assert steps("ODMD_img-ContainerImageEcrus-west-1-workspace1.yaml") == [
        *common[:4], "build and push the images", "publish the products"]
    assert steps("ODMD_tools-NpmPackGHus-west-1-workspace1.yaml") == [
        common[0], "set up Node.js", *common[1:], "build and publish the package",
        "publish the products"]
    assert steps("ODMD_contracts-CmdsGHus-west-1-workspace1.yaml") == [
        *common[:3], common[4], "run the build script", "publish the products"]
    doc = workflow(allkinds, "ODMD_api-CdkGHus-west-1-workspace1.yaml")
    deploy = doc["jobs"]["deploy"]
    aws = next(s for s in deploy["steps"] if s["name"] == "assume the build role")
    assert aws["with"] == {
        "role-to-assume": "arn:aws:iam::222222222222:role/api/api-us-west-1222222222222-buildRole",
        "role-session-name": "odmd-deploy", "aws-region": "us-west-1"}
    assert deploy["env"]["ODMD_CENTER_ROLE_ARN"] == \
        "arn:aws:iam::111111111111:role/api/api-us-west-1222222222222-centerRole"
    assert deploy["concurrency"] == {
        "group": "odmd-api-${{ needs.resolve.outputs.revision }}", "cancel-in-progress": False}
    assert doc["jobs"]["delete"]["concurrency"] == deploy["concurrency"]
    checkout = deploy["steps"][0]
    assert checkout["with"] == {"ref": "${{ needs.resolve.outputs.checkout }}",
                                "persist-credentials": False}


def test_header_says_what_the_workflow_deploys(allkinds: dict[str, str]) -> None:
    text = next(t for p, t in allkinds.items() if "ODMD_api-CdkGHus-west-1" in p)
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header[:6] == [
        "# Generated by odmdc from the contracts of org `kitchen`: do not edit, change the",
        "# contracts and recompile.",
        "#",
        "# Build `api` (cdk) of kitchen/api,",
        "# deployed to account workspace1 (222222222222) in us-west-1:",
        "#   feature-x  clone of master, branch feature-x; stacks api--feature-x, "
        "api-data--feature-x",
    ]
    assert "#   endpoint.schema <- output endpointSchema" in header


def test_options_change_what_they_say(allkinds: dict[str, str]) -> None:
    from tests.backends.github_actions.runner import org_files
    options = GithubActionsOptions(runner="self-hosted", node_version="24", timeout_minutes=90,
                                   cdk_cli_version="2.1100.0",
                                   npm_registry="https://registry.npmjs.org/")
    files = compile_org(org_files(Path(__file__).parent / "orgs" / "allkinds"), options=options)
    api = workflow(files, "ODMD_api-CdkGHus-west-1-workspace1.yaml")
    assert {j["runs-on"] for j in api["jobs"].values()} == {"self-hosted"}
    assert api["jobs"]["deploy"]["timeout-minutes"] == 90
    assert api["jobs"]["deploy"]["env"]["ODMD_CDK_CLI_VERSION"] == "2.1100.0"
    node = next(s for s in api["jobs"]["deploy"]["steps"] if s["name"] == "set up Node.js")
    assert node["with"] == {"node-version": "24", "package-manager-cache": False}
    tools = workflow(files, "ODMD_tools-NpmPackGHus-west-1-workspace1.yaml")["jobs"]["deploy"]
    assert "packages" not in tools["permissions"]
    build = next(s for s in tools["steps"] if s["name"] == "build and publish the package")
    assert build["env"] == {"NODE_AUTH_TOKEN": "${{ secrets.ODMD_SECRETS_ODMD_tools_NpmPackGHus_"
                                               "west_1_workspace1 }}"}
    node = next(s for s in tools["steps"] if s["name"] == "set up Node.js")
    assert node["with"]["registry-url"] == "https://registry.npmjs.org"


@pytest.mark.parametrize(("options", "message"), [
    ({"runner": "ubuntu latest"}, "runner label"),
    ({"node_version": "node22"}, "Node.js version"),
    ({"cdk_cli_version": "^2"}, "exact version"),
    ({"timeout_minutes": 0}, "greater than or equal to 1"),
    ({"build_script": "../build.sh"}, "file name"),
    ({"npm_registry": "http://registry.example.com"}, "https://"),
    ({"unknown": 1}, "Extra inputs are not permitted"),
])
def test_bad_options_are_rejected(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        GithubActionsOptions.model_validate(options)


def test_options_default() -> None:
    o = GithubActionsOptions()
    assert (o.runner, o.node_version, o.cdk_cli_version, o.timeout_minutes, o.build_script,
            o.delete_script, o.npm_registry) == (
        "ubuntu-24.04", "22", "2.1148.1", 60, "odmd-build.sh", "odmd-delete.sh",
        "https://npm.pkg.github.com")


def _unsupported(text: str) -> list[str]:
    ir = compile_ok(text)
    backend, ctx = emit_context(ir, "github_actions", {})
    files = list(backend.emit(ir, ctx))
    assert all("/bad/" not in f.path and not (ctx.diagnostics and "/big/" in f.path)
               for f in files)
    return [f"{d.code} {d.span.line}: {d.message}" for d in ctx.diagnostics]


def test_what_cannot_be_a_workflow_is_e601() -> None:
    assert _unsupported("""
build bad : cdk {
  repo = "not a repo"
  enver main = branch "main" in workspace1 "us-east-1"
}
""") == ['E601 2: github_actions: `repo = "not a repo"` of build `bad` is not a GitHub '
         "repository `owner/name`"]
    assert _unsupported("""
build bad : cdk {
  repo = "acme/bad"
  work_dirs = ["../outside"]
  enver main = branch "main" in workspace1 "us-east-1"
}
""") == ["E601 2: github_actions: work directory `../outside` of build `bad` is not a path "
         "inside the repository"]
    assert _unsupported("""
build bad : cdk {
  repo = "acme/bad"
  enver main = branch "main" in workspace1 "us-east-1" {
    produces { config-table: string  configTable: string }
  }
}
""") == ["E601 4: github_actions: products `config-table` and `configTable` of `bad.main` "
         "would both be read from the stack output `configTable`"]


def test_a_workflow_github_would_not_run_is_e601(monkeypatch: pytest.MonkeyPatch) -> None:
    """GitHub runs no workflow file over 512,000 bytes; each job carries the helper."""
    from odmdc.backends.github_actions import workflow as wf
    text = """
build big : cdk {
  repo = "acme/big"
  enver main = branch "main" in workspace1 "us-east-1"
}
"""
    assert _unsupported(text) == []
    size = len(next(iter(compile_org_text(text).values())).encode())
    monkeypatch.setattr(wf, "FILE_LIMIT", size - 1)
    assert _unsupported(text) == [
        f"E601 2: github_actions: the workflow of `big` in workspace1 us-east-1 would be {size} "
        f"bytes, more than GitHub runs ({size - 1})"]


def compile_org_text(text: str) -> dict[str, str]:
    ir = compile_ok(text)
    backend, ctx = emit_context(ir, "github_actions", {})
    return {f.path: f.content.decode() for f in backend.emit(ir, ctx) if "/big/" in f.path}


def test_compile_writes_the_workflows(tmp_path: Path) -> None:
    from odmdc import api
    from odmdc.compiler.unit import load
    ir = api.check(load([str(EXAMPLES / "shop")]), run_backends=False).ir
    assert ir is not None
    out = emit(ir, ["github_actions"])
    assert out.errors == [] and out.diagnostics == []
    assert len(out.files) == 9
    assert all(k.startswith("github_actions/ondemandenv/") for k in out.files)


# ---- determinism --------------------------------------------------------------------------
def _emitted(spec: OrgSpec, seed: int = 0, files: int = 1) -> dict[str, bytes]:
    result = check(spec.render(seed, files), prelude=False)
    assert result.ir is not None, [d.message for d in result.diagnostics]
    return emit(result.ir, ["github_actions"]).files


# the IR's own order property (tests/compiler/test_generated_orgs.py) runs the full count;
# this one adds the backend on top of two compilations per example
_PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@settings(max_examples=20 if _PROFILE.max_examples <= 60 else _PROFILE.max_examples)
@given(orgs(), st.integers(1, 2**31), st.integers(1, 4))
def test_same_contracts_in_any_order_give_the_same_bytes(spec: OrgSpec, seed: int,
                                                         files: int) -> None:
    assert _emitted(spec) == _emitted(spec, seed, files)


def test_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    """Set and dict iteration order must never reach the output (a fresh process per seed)."""
    import subprocess
    import sys
    for org in (EXAMPLES / "shop", Path(__file__).parent / "orgs" / "allkinds"):
        trees = []
        for seed in ("1", "2"):
            out = tmp_path / org.name / seed
            subprocess.run([sys.executable, "-m", "odmdc", "compile", str(org), "-o", str(out),
                            "--backend", "github_actions"], check=True, capture_output=True,
                           env={**os.environ, "PYTHONHASHSEED": seed})
            # the recompile cache holds mtimes; it is a cache, not output
            trees.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*")
                          if p.is_file() and p.name != STATE})
        assert len(trees[0]) > 5 and trees[0] == trees[1]


# ---- the shop's workflows, as read and approved (regenerate: pytest --update-snapshots) ----
def test_shop_snapshots(update_snapshots: bool) -> None:
    files = compile_folder(EXAMPLES / "shop")
    check_tree({p: t.encode() for p, t in files.items()}, SNAPSHOTS / "shop", update_snapshots)


def test_docs_show_real_output() -> None:
    """docs/backends.md's excerpt of the shop's order-manager workflow is generated text,
    trimmed only where it says so."""
    doc = (EXAMPLES.parent / "docs" / "backends.md").read_text()
    section = doc[doc.index("## `github_actions`"):]
    block = section[section.index("```yaml\n") + 8:]
    shown = [line for line in block[:block.index("```")].splitlines() if "… (" not in line]
    name = "ODMD_coffeeShopOrderManager-CdkGHus-west-1-workspace1.yaml"
    files = compile_folder(EXAMPLES / "shop")
    actual = iter(workflow_text(files, name).splitlines())
    for line in shown:  # a subsequence of the real file, in order
        assert any(line == a for a in actual), line
    assert len(shown) > 100


def workflow_text(files: dict[str, str], name: str) -> str:
    [path] = [p for p in files if p.endswith("/" + name)]
    return files[path]
