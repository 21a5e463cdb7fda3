"""odmd's helper as the CodeBuild projects run it, and the release runner beside it — exactly as
embedded in the buildspecs (compacted) — against fake `aws`, `docker` and `npm` commands
(fake_cli.py): which role it uses for what, what it reads, starts and publishes, and how it
fails. (The rules both engines share are also in tests/backends/runtime.)"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest

from odmdc.backends.codepipeline.buildspec import RELEASE
from odmdc.backends.runtime import embed
from tests.backends.codepipeline.sandbox import Sandbox, command, enver_json

CENTER_ROLE = "arn:aws:iam::111111111111:role/app/app-us-east-1222222222222-centerRole"


INPUTS = {"/odmd-share/net/b..main/vpc-id": "vpc-123",
          "/odmd-share/net/b..main/cidr": "10.1.0.0/16",
          "/odmd-share/images/b..main/api": "reg/api",
          "/odmd-share/images/b..main/api/latestSha": "sha256:ab"}


def test_env_assumes_the_build_role_and_resolves_inputs(box: Sandbox) -> None:
    box.env["ODMD_ENVER_JSON"] = enver_json("app.main")
    box.set(parameters={**INPUTS, "/odmd-share/tools/b..main/tool-url": "it's $(rm -rf /) `x`"})
    done = box.run("env", "--assume-build-role", "--consume")
    assert done.returncode == 0, done.stderr
    env = box.env_from(done.stdout)
    assert env["AWS_ACCESS_KEY_ID"] == "BUILDROLEKEY"
    assert env["VPC_VALUE"] == "vpc-123"
    assert env["VPC_PATH"] == "/odmd-share/net/b..main/vpc-id"
    assert env["API_DIGEST_VALUE"] == "sha256:ab"
    assert env["TOOL_VALUE"] == "it's $(rm -rf /) `x`"  # data, never code
    assert env["TOOL_DEFAULT"] == "https://tools.example.com/x"
    # what every build sees, under GitHub Actions too (docs/runtime.md)
    assert env["ODMD_ENVER"] == "app.main" and env["ODMD_KIND"] == "cdk"
    assert (env["ODMD_REV_KIND"], env["ODMD_REV_VALUE"], env["ODMD_CLONE_OF"]) == (
        "branch", "main", "")
    assert env["ODMD_STACKS"] == "app--main app-data--main"
    assert json.loads(Path(env["ODMD_ENVER_FILE"]).read_text())["id"] == "app.main"
    assert json.loads(Path(env["ODMD_CONSUMES_FILE"]).read_text())["tool"] == \
        "it's $(rm -rf /) `x`"
    assume, *reads = box.calls()
    assert assume["args"][:2] == ["sts", "assume-role"]
    assert assume["key"] == "CODEBUILDKEY"  # the CodeBuild role assumes the build role …
    assert "arn:aws:iam::222222222222:role/app/app-us-east-1222222222222-buildRole" in \
        assume["args"]
    assert [command(r)[:2] for r in reads] == [["ssm", "get-parameters"]]  # one batch
    for r in reads:  # … and the config store is read through the center role
        assert r["profile"] == "odmd-center"
        assert r["key"] == "BUILDROLEKEY"
        assert f"role_arn = {CENTER_ROLE}" in r["config"]
        assert "credential_source = Environment" in r["config"]


def test_env_uses_the_default_until_the_producer_publishes(box: Sandbox) -> None:
    box.env["ODMD_ENVER_JSON"] = enver_json("app.main")
    box.set(parameters=INPUTS)
    done = box.run("env", "--assume-build-role", "--consume")
    assert done.returncode == 0, done.stderr
    assert box.env_from(done.stdout)["TOOL_VALUE"] == "https://tools.example.com/x"
    assert "odmd: consumer `tool` starts on its default: `/odmd-share/tools/b..main/tool-url` " \
        "is not published yet" in done.stderr


def test_env_fails_without_value_or_default(box: Sandbox) -> None:
    """Every consumer without a value is named, not only the first."""
    box.env["ODMD_ENVER_JSON"] = enver_json("app.main")
    done = box.run("env", "--assume-build-role", "--consume")
    assert done.returncode == 1
    assert "odmd: error: not published yet and without a default: `api-digest` " \
        "(`/odmd-share/images/b..main/api/latestSha`), `api-image` " \
        "(`/odmd-share/images/b..main/api`), `cidr` (`/odmd-share/net/b..main/cidr`), `vpc` " \
        "(`/odmd-share/net/b..main/vpc-id`); deploy the producers first (odmdc plan)" in \
        done.stderr
    assert done.stdout == ""  # nothing half-exported


def test_env_without_consume_reads_nothing(box: Sandbox) -> None:
    box.env["ODMD_ENVER_JSON"] = enver_json("app.main")
    done = box.run("env", "--assume-build-role")
    assert done.returncode == 0, done.stderr
    assert [c["args"][:2] for c in box.calls()] == [["sts", "assume-role"]]


def _as_build_role(box: Sandbox) -> dict[str, str]:
    done = box.run("env", "--assume-build-role")
    assert done.returncode == 0, done.stderr
    return box.env_from(done.stdout)


def test_publish_cdk_outputs(box: Sandbox) -> None:
    box.env["ODMD_ENVER_JSON"] = enver_json("app.main")
    env = _as_build_role(box)
    # the s3artifact product's output names a file the app wrote into its cloud assembly
    (box.root / "src" / "api").mkdir(parents=True)
    (box.root / "src" / "api" / "schema.json").write_text('{"openapi": "3.1.0"}')
    bucket_parameter = "/odmd-config/app/buildArtifactBucketName/222222222222"
    box.set(stacks={"app--main": {"endpoint": "https://api.example.com", "other": "x"},
                    "app-data--main": {"endpointSchema": "api/schema.json"}},
            parameters={"/odmd-share/app/b..main/endpoint": "https://api.example.com"},
            target_parameters={bucket_parameter: "odmd-app-us-east-1-0123456789"})
    done = box.run("publish", "--stack-outputs", "--products-file", env["ODMD_PRODUCTS_FILE"],
                   "--root", str(box.root / "src"), extra_env=env)
    assert done.returncode == 0, done.stderr
    # the unchanged value is not written again (no new version, no change event)
    assert [p["Name"] for p in box.puts()] == ["/odmd-share/app/b..main/endpoint/schema"]
    assert all(c["profile"] == "odmd-center" for c in box.aws("ssm", "put-parameter"))
    # the bucket's name is read, and the file uploaded, with the build role's credentials in
    # the target account
    [read_bucket] = [c for c in box.aws("ssm", "get-parameter") if c["profile"] is None]
    assert bucket_parameter in read_bucket["args"] and read_bucket["key"] == "BUILDROLEKEY"
    [upload] = box.aws("s3", "cp")
    assert upload["key"] == "BUILDROLEKEY"
    digest = hashlib.sha256(b'{"openapi": "3.1.0"}').hexdigest()
    url = ("s3://odmd-app-us-east-1-0123456789/odmd-share/app/b..main/endpoint/schema/"
           f"{digest}.json")
    assert box.state["parameters"]["/odmd-share/app/b..main/endpoint/schema"] == url
    assert box.state["s3"] == {url: '{"openapi": "3.1.0"}'}


def test_values_go_to_the_store_as_given(box: Sandbox) -> None:
    """As JSON, never as `--value`: the AWS CLI reads a `--value file://…` from the file and
    takes a value starting with `-` for an option."""
    box.env["ODMD_ENVER_JSON"] = enver_json("tools.main")
    env = _as_build_role(box)
    for value in ("file:///etc/hostname", "--help"):
        Path(env["ODMD_PRODUCTS_FILE"]).write_text(json.dumps({"tool-url": value}))
        done = box.run("publish", "--products-file", env["ODMD_PRODUCTS_FILE"], extra_env=env)
        assert done.returncode == 0, done.stderr
        assert box.puts()[-1]["Value"] == value
        assert "--value" not in box.aws("ssm", "put-parameter")[-1]["args"]


def test_an_s3artifact_must_name_a_file_of_the_source(box: Sandbox) -> None:
    box.env["ODMD_ENVER_JSON"] = enver_json("app.main")
    env = _as_build_role(box)
    (box.root / "src").mkdir()
    (box.root / "secret").write_text("x")
    (box.root / "src" / "link.json").symlink_to(box.root / "secret")
    box.set(target_parameters={"/odmd-config/app/buildArtifactBucketName/222222222222": "b"})
    for value in ("../secret", str(box.root / "secret"), "missing.json", "link.json",
                  "https://s3/schema.json"):
        box.set(stacks={"app--main": {"endpoint": "https://api.example.com"},
                        "app-data--main": {"endpointSchema": value}})
        done = box.run("publish", "--stack-outputs", "--root", str(box.root / "src"),
                       extra_env=env)
        assert done.returncode == 1, value
        assert "`endpoint.schema` is an s3artifact: its value must name a file below" in \
            done.stderr
    assert not box.aws("s3", "cp") and not box.aws("ssm", "put-parameter")


def test_publish_fails_on_a_missing_product(box: Sandbox) -> None:
    box.env["ODMD_ENVER_JSON"] = enver_json("app.main")
    env = _as_build_role(box)
    box.set(stacks={"app--main": {"endpoint": "https://api.example.com"}, "app-data--main": {}})
    done = box.run("publish", "--stack-outputs", extra_env=env)
    assert done.returncode == 1
    assert "odmd: error: cannot publish the products of `app.main`: `endpoint.schema`: " \
        "neither in the products file nor output `endpointSchema` of a stack" in done.stderr
    assert not box.aws("ssm", "put-parameter")


def test_publish_from_products_files(box: Sandbox) -> None:
    box.env["ODMD_ENVER_JSON"] = enver_json("tools.main")
    env = _as_build_role(box)
    (box.root / "a").mkdir()
    (box.root / "a" / "odmd-products.json").write_text('{"tool-url": "https://t/1"}')
    done = box.run("publish", "--products-file", env["ODMD_PRODUCTS_FILE"],
                   str(box.root / "a/odmd-products.json"), str(box.root / "b/odmd-products.json"),
                   extra_env=env)
    assert done.returncode == 0, done.stderr
    assert box.state["parameters"] == {"/odmd-share/tools/b..main/tool-url": "https://t/1"}
    (box.root / "a" / "odmd-products.json").write_text('{"tool-url": 5}')
    done = box.run("publish", "--products-file", str(box.root / "a/odmd-products.json"),
                   extra_env=env)
    assert done.returncode == 1
    assert "gives a number, not a string" in done.stderr


def test_push_images_and_publish_uri_and_digest(box: Sandbox) -> None:
    box.env["ODMD_ENVER_JSON"] = enver_json("images.main")
    env = _as_build_role(box)
    box.set(local_images=["multi-api:1.2.3", "multi-worker:latest"],
            digests={"multi-api:1.2.3": "sha256:a1", "multi-worker:latest": "sha256:b2"})
    done = box.run("push-images", "--commit", "abc1234def", extra_env=env)
    assert done.returncode == 0, done.stderr
    ecr = box.state["ecr"]
    assert ecr == {"images/bmain/api": {"abc1234def": "sha256:a1", "1.2.3": "sha256:a1"},
                   "images/bmain/jobs": {"abc1234def": "sha256:b2", "latest": "sha256:b2"}}
    logins = [c for c in box.calls("docker") if c["args"][0] == "login"]
    assert len(logins) == 1
    # a declared enver's repositories are the cloudformation backend's: none is created
    assert not box.aws("ecr", "create-repository")
    done = box.run("publish", "--images", "--products-file", env["ODMD_PRODUCTS_FILE"],
                   extra_env=env)
    assert done.returncode == 0, done.stderr
    reg = "222222222222.dkr.ecr.us-east-1.amazonaws.com"
    assert box.state["parameters"] == {
        "/odmd-share/images/b..main/api": f"{reg}/images/bmain/api",
        "/odmd-share/images/b..main/api/latestSha": "sha256:a1",
        "/odmd-share/images/b..main/worker": f"{reg}/images/bmain/jobs",
        "/odmd-share/images/b..main/worker/latestSha": "sha256:b2",
    }


def test_push_images_fails_when_the_build_made_none(box: Sandbox) -> None:
    box.env["ODMD_ENVER_JSON"] = enver_json("images.main")
    env = _as_build_role(box)
    box.set(local_images=["multi-worker:latest"], digests={"multi-worker:latest": "sha256:b2"})
    done = box.run("push-images", "--commit", "abc1234def", extra_env=env)
    assert done.returncode == 1
    assert "the build made no image `multi-api:1.2.3` (image `api`)" in done.stderr
    assert box.state["ecr"] == {}  # all of them, or none
    done = box.run("push-images", "--commit", "not-a-commit", extra_env=env)
    assert done.returncode == 1 and "is not a commit id" in done.stderr


def _tarball(path: Path, name: str, version: str) -> None:
    data = json.dumps({"name": name, "version": version}).encode()
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("package/package.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))


def test_npm_publish_skips_published_versions(box: Sandbox) -> None:
    box.env["ODMD_ENVER_JSON"] = enver_json("sdk.main")
    _tarball(box.root / "multi-sdk-1.4.0.tgz", "@multi/sdk", "1.4.0")
    _tarball(box.root / "multi-cli-2.0.0.tgz", "@multi/cli", "2.0.0")
    box.set(npm={"@multi/sdk@1.4.0": "1.4.0"})
    done = box.run("npm-publish", "multi-cli-2.0.0.tgz", "multi-sdk-1.4.0.tgz",
                   extra_env={"ODMD_NPM_REGISTRY": "https://r.example/"})
    assert done.returncode == 0, done.stderr
    assert box.state["published"] == ["multi-cli-2.0.0.tgz"]
    # under the enver's own dist-tag: no enver moves `latest` (under GitHub Actions either)
    assert box.state["dist_tags"] == ["odmd-b--main"]
    assert "@multi/sdk@1.4.0 is published already" in done.stderr
    done = box.run("npm-publish", "none.tgz")
    assert done.returncode == 1 and "no package at `none.tgz`" in done.stderr


@pytest.mark.parametrize(("ident", "version"), [
    ("sdk.main", "1.4.0-main.42"),  # a branch enver: a prerelease per build
    ("sdk.stable", "1.4.0"),  # a tag enver: the package's own
])
def test_npm_version_of_an_enver(box: Sandbox, ident: str, version: str) -> None:
    box.env["ODMD_ENVER_JSON"] = enver_json(ident)
    (box.root / "package.json").write_text('{"name": "@multi/sdk", "version": "1.4.0"}')
    done = box.run("npm-version", ".", extra_env={"CODEBUILD_BUILD_NUMBER": "42"})
    assert done.returncode == 0, done.stderr
    assert box.env_from(done.stdout) == {"ODMD_NPM_PACKAGE": "@multi/sdk",
                                         "ODMD_NPM_VERSION": version}


@pytest.mark.parametrize(("statuses", "code"), [
    (["InProgress", "InProgress", "Succeeded"], 0),
    (["InProgress", "Failed"], 1),
    (["Stopped"], 1),
])
def test_release_step_waits_for_the_outcome(box: Sandbox, statuses: list[str],
                                            code: int) -> None:
    box.set(executions=[{"id": "e-1", "statuses": statuses}])
    done = box.run("step", script=RELEASE.name, extra_env={
        "ODMD_PIPELINE": "ODMD_app-b..main-dev", "ODMD_PIPELINE_REGION": "us-east-1",
        "ODMD_POLL_SECONDS": "0"})
    assert done.returncode == code, done.stderr
    starts = [c for c in box.calls() if c["args"][1] == "start-pipeline-execution"]
    assert len(starts) == 1
    assert starts[0]["args"][starts[0]["args"].index("--region") + 1] == "us-east-1"


def test_release_step_follows_a_superseding_run(box: Sandbox) -> None:
    box.set(executions=[{"id": "e-1", "statuses": ["InProgress", "Superseded"]},
                        {"id": "e-2", "statuses": ["InProgress", "Succeeded"]}])
    done = box.run("step", script=RELEASE.name, extra_env={
        "ODMD_PIPELINE": "p", "ODMD_PIPELINE_REGION": "eu-west-1", "ODMD_POLL_SECONDS": "0"})
    assert done.returncode == 0, done.stderr
    assert "following execution e-2" in done.stderr


def test_unknown_command(box: Sandbox) -> None:
    for script in (embed.HELPER.name, RELEASE.name):
        done = box.run("deploy", script=script)
        assert done.returncode == 2
        assert "usage" in done.stderr


# ---- the batch runner (release_runtime.py) ----------------------------------------------------
BATCH = "/odmd-release/acme/phase-3/batch-2"


def _batch(box: Sandbox, lines: list[str], pipelines: dict[str, list[dict[str, Any]]],
           wait: str = "20", **env: str) -> subprocess.CompletedProcess[str]:
    box.set(parameters={BATCH: "\n".join(lines)}, pipelines=pipelines)
    return box.run("batch", script=RELEASE.name, extra_env={
        "ODMD_BATCH": BATCH, "ODMD_WAIT_SECONDS": wait, "ODMD_POLL_SECONDS": "0.05", **env})


def _starts(box: Sandbox) -> dict[str, str]:
    """Pipeline → the region it was started in, asserting each was started once."""
    starts = [c["args"] for c in box.calls() if c["args"][1] == "start-pipeline-execution"]
    names = [a[a.index("--name") + 1] for a in starts]
    assert len(names) == len(set(names)), names
    return {a[a.index("--name") + 1]: a[a.index("--region") + 1] for a in starts}


def _polls(box: Sandbox, pipeline: str) -> list[str]:
    """The executions of `pipeline` the runner asked about, in order."""
    return [c["args"][c["args"].index("--pipeline-execution-id") + 1] for c in box.calls()
            if c["args"][1] == "get-pipeline-execution"
            and c["args"][c["args"].index("--pipeline-name") + 1] == pipeline]


def test_release_batch_waits_for_all_and_names_what_did_not_succeed(box: Sandbox) -> None:
    """Five pipelines in two regions: one succeeds late (after another failed: a failure stops
    no one), one fails, one is superseded and the newer run succeeds, one never ends (the
    wait runs out), one does not exist."""
    done = _batch(box, [
        "deploy ODMD_late-b..main-dev us-east-1",
        "deploy ODMD_bad-b..main-dev us-east-1",
        "update ODMD_pushed-b..main-dev eu-west-1",
        "deploy ODMD_slow-b..main-dev eu-west-1",
        "deploy ODMD_gone-b..main-dev us-east-1",
    ], {
        "ODMD_late-b..main-dev": [{"id": "l-1", "statuses": ["InProgress"] * 3 + ["Succeeded"]}],
        "ODMD_bad-b..main-dev": [{"id": "b-1", "statuses": ["Failed"]}],
        "ODMD_pushed-b..main-dev": [{"id": "p-1", "statuses": ["InProgress", "Superseded"]},
                                    {"id": "p-2", "statuses": ["InProgress", "Succeeded"]}],
        "ODMD_slow-b..main-dev": [{"id": "s-1", "statuses": ["InProgress"]}],
    }, wait="4")
    assert done.returncode == 1, done.stderr
    assert done.stderr.rstrip().endswith(
        "odmd: error: 3 of 5 pipelines did not succeed: ODMD_bad-b..main-dev (Failed), "
        "ODMD_slow-b..main-dev (still running), ODMD_gone-b..main-dev (not started)")
    first = box.calls()[0]
    assert first["args"][:4] == ["ssm", "get-parameter", "--name", BATCH]
    assert first["profile"] is None  # the runner's own role reads its batch
    assert _starts(box) == {"ODMD_late-b..main-dev": "us-east-1",
                            "ODMD_bad-b..main-dev": "us-east-1",
                            "ODMD_pushed-b..main-dev": "eu-west-1",
                            "ODMD_slow-b..main-dev": "eu-west-1",
                            "ODMD_gone-b..main-dev": "us-east-1"}
    assert _polls(box, "ODMD_late-b..main-dev") == ["l-1"] * 4  # to its end, past the failure
    assert _polls(box, "ODMD_bad-b..main-dev") == ["b-1"]
    assert _polls(box, "ODMD_pushed-b..main-dev") == ["p-1", "p-1", "p-2", "p-2"]
    assert "ODMD_pushed-b..main-dev superseded; following execution p-2" in done.stderr
    assert "ODMD_pushed-b..main-dev execution p-2: Succeeded" in done.stderr
    assert len(_polls(box, "ODMD_slow-b..main-dev")) > 4  # polled until the wait ran out
    assert "ODMD_slow-b..main-dev: still running when the wait ended (execution s-1)" in \
        done.stderr
    assert "PipelineNotFoundException" in done.stderr
    assert _polls(box, "ODMD_gone-b..main-dev") == []


def test_release_batch_succeeds_when_every_pipeline_does(box: Sandbox) -> None:
    """Throttled calls (a start, then a poll) are tried again in the next round."""
    box.set(throttle={"ODMD_b-b..main-dev": 1, "ODMD_c-b..main-dev": 0})
    done = _batch(box, ["deploy ODMD_a-b..main-dev us-east-1",
                        "deploy ODMD_b-b..main-dev us-west-2",
                        "update ODMD_c-b..main-dev us-east-1"],
                  {f"ODMD_{x}-b..main-dev": [{"id": f"{x}-1", "statuses": ["InProgress",
                                                                           "Succeeded"]}]
                   for x in "abc"})
    assert done.returncode == 0, done.stderr
    assert "odmd: all 3 pipelines succeeded" in done.stderr
    assert "odmd: update ODMD_c-b..main-dev (us-east-1): execution c-1" in done.stderr
    assert "ThrottlingException" in done.stderr and "(trying again)" in done.stderr
    starts = [c["args"] for c in box.calls() if c["args"][1] == "start-pipeline-execution"]
    assert sorted(a[a.index("--name") + 1] for a in starts) == [
        "ODMD_a-b..main-dev", "ODMD_b-b..main-dev", "ODMD_b-b..main-dev", "ODMD_c-b..main-dev"]


def test_release_batch_gives_up_on_a_pipeline_throttled_again_and_again(box: Sandbox) -> None:
    box.set(throttle={"ODMD_a-b..main-dev": 1, "ODMD_b-b..main-dev": 99})
    done = _batch(box, ["deploy ODMD_a-b..main-dev us-east-1",
                        "deploy ODMD_b-b..main-dev us-east-1"],
                  {f"ODMD_{x}-b..main-dev": [{"id": f"{x}-1", "statuses": ["Succeeded"]}]
                   for x in "ab"})
    assert done.returncode == 1
    assert done.stderr.rstrip().endswith(
        "1 of 2 pipelines did not succeed: ODMD_b-b..main-dev (not started)")
    tries = [c for c in box.calls() if c["args"][1] == "start-pipeline-execution"
             and "ODMD_b-b..main-dev" in c["args"]]
    assert len(tries) == 5


def test_release_batch_starts_its_pipelines_in_parallel(box: Sandbox) -> None:
    """With every call taking 0.5 s, starting six pipelines one after another would spread
    their starts over 2.5 s or more; the runner's starts overlap."""
    names = [f"ODMD_p{i}-b..main-dev" for i in range(6)]
    done = _batch(box, [f"deploy {n} us-east-1" for n in names],
                  {n: [{"id": f"{n}-1", "statuses": ["Succeeded"]}] for n in names},
                  FAKE_DELAY="0.5")
    assert done.returncode == 0, done.stderr
    began = [c["at"] for c in box.calls() if c["args"][1] == "start-pipeline-execution"]
    assert len(began) == 6
    assert max(began) - min(began) < 0.5


def test_release_batch_refuses_a_malformed_list(box: Sandbox) -> None:
    done = _batch(box, ["deploy ODMD_a-b..main-dev"], {})
    assert done.returncode == 1
    assert "not a step (`<step> <pipeline> <region>`): 'deploy ODMD_a-b..main-dev'" in \
        done.stderr
    assert [c["args"][1] for c in box.calls()] == ["get-parameter"]  # nothing started
