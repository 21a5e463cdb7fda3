"""The deploy and delete jobs' steps, run one after the other as a runner would run them.

Each test resolves a ref with the generated resolve step, feeds its outputs to the next job's
steps (`needs.resolve.outputs.*`), and runs those with bash (a job's first step after its
"set up odmd" step); `aws` is faked (fake_aws.py, which also holds the stacks' outputs),
docker/npx/npm/git are fakes that log their arguments. What is asserted is what a deployment
does: which values the build sees, which stacks it deploys, what lands in Parameter Store.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from odmdc.compiler import naming
from tests.backends.github_actions.runner import Result, Runner, step, workflow

API = "ODMD_api-CdkGHus-west-1-workspace1.yaml"
IMG = "ODMD_img-ContainerImageEcrus-west-1-workspace1.yaml"
WORKER = "ODMD_worker-CmdsGHus-west-1-workspace1.yaml"
TOOLS = "ODMD_tools-NpmPackGHus-west-1-workspace1.yaml"
SHA = "0123456789abcdef0123456789abcdef01234567"
CENTER = "arn:aws:iam::111111111111:role/api/api-us-west-1222222222222-centerRole"


class Job:
    """One workflow's jobs on a runner: resolve, then the steps of deploy or delete."""

    def __init__(self, runner: Runner, files: dict[str, str], name: str) -> None:
        self.runner = runner
        self.doc = workflow(files, name)
        self.needs: dict[str, str] = {}
        self.first = True

    def resolve(self, ref: str, message: str = "", ref_type: str = "branch") -> Result:
        job, s = step(self.doc, "resolve", "resolve the ref to an enver")
        r = self.runner.run(job, s, {
            "github.event.head_commit.message": message, "github.event.action": "",
            "steps.aws.outcome": "success", "github.event.client_payload.enver": "",
            "github.event.client_payload.ref": "", "github.event.client_payload.workflow": ""},
            {"GITHUB_EVENT_NAME": "push", "GITHUB_REF_TYPE": ref_type, "GITHUB_REF_NAME": ref,
             "GITHUB_SHA": SHA})
        assert r.returncode == 0, r.stdout + r.stderr
        self.needs = {f"needs.resolve.outputs.{k}": v for k, v in r.outputs.items()}
        self.first = True
        return r

    def run(self, job: str, name: str, files: dict[str, str] | None = None,
            env: dict[str, str] | None = None) -> Result:
        j, s = step(self.doc, job, name)
        expressions = {**self.needs, "secrets.GITHUB_TOKEN": "gh-token"}
        r = self.runner.run(j, s, expressions, env, files, same_job=not self.first)
        self.first = False
        return r


def ok(r: Result) -> Result:
    assert r.returncode == 0, r.stdout + r.stderr
    assert not [m for c, m in r.commands if c == "error"]
    return r


def error(r: Result) -> str:
    assert r.returncode == 1, r.stdout + r.stderr
    [message] = [m for c, m in r.commands if c == "error"]
    return message


def puts(r: Result) -> dict[str, str]:
    out = {}
    for call in r.calls:
        if call["operation"] == "put-parameter":
            spec = json.loads(call["args"][1])
            out[spec["Name"]] = spec["Value"]
    return out


# ---- cdk ----------------------------------------------------------------------------------
API_CONSUMED = {
    "/odmd-share/img/b..master/web": "222222222222.dkr.ecr.us-west-1.amazonaws.com/img/bmaster/web",
    "/odmd-share/img/b..master/web/latestSha": "sha256:" + "a" * 64,
    "/odmd-share/contracts/b..main/contractsLibLatest": "1.2.3",
    "/odmd-share/tools/b..main/version": "0.4.0",
}


def test_cdk_enver_from_consumed_values_to_published_products(
        runner: Runner, allkinds: dict[str, str]) -> None:
    api = Job(runner, allkinds, API)
    api.resolve("master")
    missing = error(api.run("deploy", "read the consumed values"))
    assert missing.startswith("not published yet and without a default: `digest` "
                              "(`/odmd-share/img/b..master/web/latestSha`), `image` ")
    runner.ssm.update(API_CONSUMED)
    runner.aws["target_ssm"] = {
        naming.artifact_bucket_parameter("api", "222222222222"): "kitchen-artifacts"}
    api.resolve("master")
    r = ok(api.run("deploy", "read the consumed values"))
    consumed = json.loads((r.odmd_dir / "consumes.json").read_text())
    assert consumed == {
        "digest": "sha256:" + "a" * 64, "image": API_CONSUMED["/odmd-share/img/b..master/web"],
        "lib-version": "1.2.3", "tool": "0.4.0",
        "queue": "arn:aws:sqs:us-west-1:222222222222:bootstrap",  # its default
    }
    assert ("notice", "consumer `queue` starts on its default: `/odmd-share/worker/b..main/queue` "
            "is not published yet") in r.commands
    assert {c["role"] for c in r.calls} == {CENTER}
    assert "| `queue` | `/odmd-share/worker/b..main/queue` | default |" in r.summary

    runner.aws["stacks"] = {
        "api--master": {"endpoint": "https://api.example.com", "configTable": "orders"},
        "api-data--master": {"unrelated": "x"}}
    r = ok(api.run("deploy", "deploy the stacks",
                   files={"lib/package.json": "{}", "lib/package-lock.json": "{}",
                          "cdk/package.json": "{}", "openapi.json": '{"openapi": "3.1.0"}'}))
    workspace = r.odmd_dir.parent.parent / "workspace"
    assert [(t[0].removeprefix(str(workspace)), t[1:]) for t in r.tools] == [
        ("/lib", ["npm", "ci", "--no-audit", "--no-fund"]),
        ("/lib", ["npm", "run", "--if-present", "build"]),
        ("/cdk", ["npm", "install", "--no-audit", "--no-fund"]),
        ("/cdk", ["npm", "run", "--if-present", "build"]),
        ("/cdk", ["npx", "--yes", "aws-cdk@2.1148.1", "deploy", "--ci", "--require-approval",
                  "never", "--exclusively", "--progress", "events", "api--master",
                  "api-data--master"]),
    ]
    # the s3artifact product names a file of the checkout, which the build records
    (r.odmd_dir / "products.json").write_text(json.dumps({"endpoint.schema": "openapi.json"}))
    r = ok(api.run("deploy", "publish the products"))
    digest = hashlib.sha256(b'{"openapi": "3.1.0"}').hexdigest()
    key = f"odmd-share/api/b..master/endpoint/schema/{digest}.json"
    assert puts(r) == {
        "/odmd-share/api/b..master/endpoint": "https://api.example.com",
        "/odmd-share/api/b..master/config-table": "orders",
        "/odmd-share/api/b..master/endpoint/schema": f"s3://kitchen-artifacts/{key}",
    }
    assert r.s3 == {f"s3://kitchen-artifacts/{key}": '{"openapi": "3.1.0"}'}
    # the stacks' outputs, the bucket's name and the upload: the build role
    assert [(c["service"], c["profile"]) for c in r.calls if c["profile"] is None] == [
        ("cloudformation", None), ("cloudformation", None), ("ssm", None), ("s3", None)]
    # a redeploy with the same values writes nothing: consumers are not woken for nothing
    again = ok(api.run("deploy", "publish the products"))
    assert puts(again) == puts(r)  # the calls so far, none new
    assert "| `endpoint` | `/odmd-share/api/b..master/endpoint` | unchanged |" in again.summary


def _publish_problem(runner: Runner, allkinds: dict[str, str], outputs: dict[str, Any],
                     products: dict[str, str]) -> str:
    api = Job(runner, allkinds, API)
    api.resolve("2.0.0", ref_type="tag")
    runner.aws["stacks"] = {"api--t--2-0-0": outputs}
    r = ok(api.run("deploy", "read the consumed values"))
    ok(api.run("deploy", "deploy the stacks", files={"lib/x": "", "cdk/x": ""}))
    (r.odmd_dir / "products.json").write_text(json.dumps(products))
    return error(api.run("deploy", "publish the products"))


def test_products_need_exactly_one_value(runner: Runner, allkinds: dict[str, str]) -> None:
    """(Each rule against both engines and the helper itself: tests/backends/runtime.)"""
    problem = "cannot publish the products of `api.rel`: `endpoint`: "
    assert _publish_problem(runner, allkinds, {}, {}) == \
        problem + "neither in the products file nor output `endpoint` of a stack"
    assert _publish_problem(runner, allkinds, {"endpoint": "https://a"},
                            {"endpoint": "https://a"}) == \
        problem + ("given by $ODMD_PRODUCTS_FILE and by output `endpoint` of stack "
                   "`api--t--2-0-0`: give it once")
    assert _publish_problem(runner, allkinds, {}, {"endpoint": ""}) == \
        problem + "0 bytes; a value is 1 to 4096 bytes (Parameter Store's standard tier)"


def test_access_denied_is_an_error_not_a_default(runner: Runner,
                                                 allkinds: dict[str, str]) -> None:
    api = Job(runner, allkinds, API)
    api.resolve("master")
    r = api.run("deploy", "read the consumed values", env={"FAKE_AWS_DENY": "1"})
    assert r.returncode != 0 and "AccessDenied" in r.stderr
    assert not (r.odmd_dir / "consumes.json").exists()


# ---- container_image ----------------------------------------------------------------------
BUILD_IMAGES = "docker build -t web:latest . && docker build -t worker:1 jobs\n"


def test_images_are_built_pushed_and_published(runner: Runner, allkinds: dict[str, str]) -> None:
    img = Job(runner, allkinds, IMG)
    img.resolve("master")
    assert error(img.run("deploy", "build and push the images")) == \
        "2 images and no `odmd-build.sh` in `.` to build them"
    img.resolve("master")
    r = img.run("deploy", "build and push the images",
                files={"odmd-build.sh": "docker build -t web:latest .\n"})
    assert error(r) == "the build made no image `worker:1` (image `worker`)"
    assert not [t for t in r.tools if t[2] == "push"]  # all of them, or none
    img.resolve("master")
    r = ok(img.run("deploy", "build and push the images", files={"odmd-build.sh": BUILD_IMAGES}))
    registry = "222222222222.dkr.ecr.us-west-1.amazonaws.com"
    # a declared enver's repositories exist already (the cloudformation backend makes them)
    assert "ecr" not in r.aws
    assert "create-repository" not in [c["operation"] for c in r.calls]
    docker = [t[1:] for t in r.tools if t[1] == "docker"]
    # under the commit and the tag the contracts give the local image (both engines)
    assert docker == [
        ["docker", "build", "-t", "web:latest", "."], ["docker", "build", "-t", "worker:1", "jobs"],
        ["docker", "image", "inspect", "web:latest"], ["docker", "image", "inspect", "worker:1"],
        ["docker", "login", "--username", "AWS", "--password-stdin", registry],
        ["docker", "tag", "web:latest", f"{registry}/img/bmaster/web:{SHA}"],
        ["docker", "push", f"{registry}/img/bmaster/web:{SHA}"],
        ["docker", "tag", "web:latest", f"{registry}/img/bmaster/web:latest"],
        ["docker", "push", f"{registry}/img/bmaster/web:latest"],
        ["docker", "tag", "worker:1", f"{registry}/img/bmaster/jobs:{SHA}"],
        ["docker", "push", f"{registry}/img/bmaster/jobs:{SHA}"],
        ["docker", "tag", "worker:1", f"{registry}/img/bmaster/jobs:1"],
        ["docker", "push", f"{registry}/img/bmaster/jobs:1"],
    ]
    r = ok(img.run("deploy", "publish the products"))
    published = puts(r)
    assert published["/odmd-share/img/b..master/web"] == f"{registry}/img/bmaster/web"
    assert published["/odmd-share/img/b..master/worker"] == f"{registry}/img/bmaster/jobs"
    assert published["/odmd-share/img/b..master/web/latestSha"].startswith("sha256:")
    assert len(published) == 4


def test_a_single_image_needs_no_build_script(runner: Runner) -> None:
    from tests.backends.github_actions.runner import compile_org
    files = compile_org({"org.odmd": """
        org o { accounts { central = "111111111111" w = "222222222222" } }
        build contracts : contracts_lib {
          repo = "o/c"  enver main = branch "main" in w "us-west-1"
        }
        build app : container_image {
          repo = "o/app"
          work_dirs = ["docker"]
          enver main = branch "main" in w "us-west-1" { image app = "app:dev" }
        }
    """})
    app = Job(runner, files, "ODMD_app-ContainerImageEcrus-west-1-w.yaml")
    app.resolve("main")
    r = ok(app.run("deploy", "build and push the images", files={"docker/Dockerfile": ""}))
    assert r.tools[0][1:] == ["docker", "build", "--tag", "app:dev", "docker"]


# ---- cmd ------------------------------------------------------------------------------------
BUILD_SCRIPT = """\
env | grep '^ODMD_' | sort > "$RUNNER_TEMP/seen-env"
cp "$ODMD_CONSUMES_FILE" "$RUNNER_TEMP/seen-consumes"
printf '{"queue": "arn:aws:sqs:us-west-1:222222222222:%s"}' "$ODMD_REV_VALUE" >"$ODMD_PRODUCTS_FILE"
"""


def test_cmd_build_script_sees_the_enver_and_hands_back_products(
        runner: Runner, allkinds: dict[str, str]) -> None:
    worker = Job(runner, allkinds, WORKER)
    worker.resolve("main")
    ok(worker.run("deploy", "read the consumed values"))
    assert error(worker.run("deploy", "run the build script")).startswith(
        "no `odmd-build.sh` in `.`: a `cmd` build runs that script")
    worker.resolve("main")
    ok(worker.run("deploy", "read the consumed values"))
    r = ok(worker.run("deploy", "run the build script", files={"odmd-build.sh": BUILD_SCRIPT}))
    temp = r.odmd_dir.parent
    seen = dict(line.split("=", 1) for line in (temp / "seen-env").read_text().splitlines())
    assert seen["ODMD_BUILD"] == "worker" and seen["ODMD_ENVER"] == "worker.main"
    assert seen["ODMD_REVISION"] == "b..main" and seen["ODMD_REV_KIND"] == "branch"
    assert seen["ODMD_ACCOUNT"] == "222222222222" and seen["ODMD_REGION"] == "us-west-1"
    assert seen["ODMD_CLONE_OF"] == "" and seen["ODMD_KIND"] == "cmd"
    assert json.loads((temp / "seen-consumes").read_text()) == \
        {"api-endpoint": "https://bootstrap.example.com"}
    r = ok(worker.run("deploy", "publish the products"))
    assert puts(r) == {"/odmd-share/worker/b..main/queue":
                       "arn:aws:sqs:us-west-1:222222222222:main"}


# ---- npm_package ----------------------------------------------------------------------------
def test_npm_branch_enver_publishes_a_prerelease_under_its_own_dist_tag(
        runner: Runner, allkinds: dict[str, str]) -> None:
    tools = Job(runner, allkinds, TOOLS)
    tools.resolve("main")
    ok(tools.run("deploy", "read the consumed values"))
    package = json.dumps({"name": "@kitchen/tools", "version": "1.4.0"})
    r = ok(tools.run("deploy", "build and publish the package",
                     files={"package.json": package}))
    assert [t[1:] for t in r.tools] == [
        ["npm", "install", "--no-audit", "--no-fund"],
        ["npm", "version", "--no-git-tag-version", "--allow-same-version", "1.4.0-main.17.2"],
        ["npm", "run", "--if-present", "build"],
        ["npm", "view", "@kitchen/tools@1.4.0-main.17.2", "version"],
        ["npm", "publish", "--tag", "odmd-b--main"],
    ]
    doc = workflow(allkinds, TOOLS)
    [build] = [s for s in doc["jobs"]["deploy"]["steps"] if s.get("name") ==
               "build and publish the package"]
    assert build["env"] == {"NODE_AUTH_TOKEN": "${{ secrets.GITHUB_TOKEN }}"}
    assert doc["jobs"]["deploy"]["permissions"]["packages"] == "write"


def test_npm_tag_enver_publishes_the_package_version(runner: Runner,
                                                     allkinds: dict[str, str]) -> None:
    tools = Job(runner, allkinds, TOOLS)
    tools.resolve("1.4.0", ref_type="tag")
    ok(tools.run("deploy", "read the consumed values"))
    r = ok(tools.run("deploy", "build and publish the package",
                     files={"package.json": json.dumps({"name": "t", "version": "1.4.0"}),
                            "package-lock.json": "{}"}))
    assert ["npm", "version", "--no-git-tag-version", "--allow-same-version", "1.4.0"] in \
        [t[1:] for t in r.tools]
    assert ["npm", "publish", "--tag", "odmd-t--1-4-0"] in [t[1:] for t in r.tools]


# ---- clones: record, deploy, delete ---------------------------------------------------------
def test_clone_lifecycle(runner: Runner, allkinds: dict[str, str]) -> None:
    runner.ssm.update(API_CONSUMED)
    api = Job(runner, allkinds, API)
    r = api.resolve("feat-y", message="odmd: create@master")
    assert r.outputs["create"] == "true"
    r = ok(api.run("deploy", "record the new clone"))
    record = naming.clone_record("api", "feat-y")
    assert r.ssm[record] == "b..master"
    ok(api.run("deploy", "read the consumed values"))  # the origin's producers
    runner.aws["stacks"] = {
        "api--feat-y": {"endpoint": "https://feat-y.example.com", "configTable": "t"},
        "api-data--feat-y": {}}
    assert error(api.run("deploy", "deploy the stacks")) == \
        "work directory `lib` (the build's `work_dirs`) is not in the checkout"
    ok(api.run("deploy", "deploy the stacks", files={"lib/x": "", "cdk/x": ""}))
    r = api.run("deploy", "publish the products")
    assert error(r) == ("cannot publish the products of `api.feat-y`: `endpoint.schema`: "
                        "neither in the products file nor output `endpointSchema` of a stack")
    (r.odmd_dir / "products.json").write_text('{"endpoint.schema": "README"}')
    (r.odmd_dir.parent.parent / "workspace" / "README").write_text("hi")
    runner.aws["target_ssm"] = {naming.artifact_bucket_parameter("api", "222222222222"): "bucket"}
    r = ok(api.run("deploy", "publish the products"))
    clone_paths = {p for p in r.ssm if p.startswith("/odmd-share/api/b..master-_b..feat-y/")}
    assert len(clone_paths) == 3

    # the next push to the branch finds the record
    assert api.resolve("feat-y", message="wip").outputs["enver"] == "api.feat-y"
    # `odmd: delete` removes the stacks (in reverse order), the products and the record
    r = api.resolve("feat-y", message="odmd: delete")
    assert r.outputs["action"] == "delete"
    r = ok(api.run("delete", "delete the clone"))
    assert r.aws["deleted_stacks"] == ["api-data--feat-y", "api--feat-y"]
    assert not {p for p in r.ssm if "feat-y" in p}
    assert r.ssm["/odmd-share/img/b..master/web"]  # nothing else
    assert api.resolve("feat-y").outputs["action"] == "none"


def test_image_clone_delete_removes_its_repositories(runner: Runner,
                                                     allkinds: dict[str, str]) -> None:
    img = Job(runner, allkinds, IMG)
    img.resolve("feat-z", message="odmd: create@master")
    ok(img.run("deploy", "record the new clone"))
    r = ok(img.run("deploy", "build and push the images", files={"odmd-build.sh": BUILD_IMAGES}))
    assert sorted(r.aws["ecr"]) == ["img/bmaster-bfeat-z/jobs", "img/bmaster-bfeat-z/web"]
    # a re-run finds them
    img.resolve("feat-z")
    ok(img.run("deploy", "build and push the images", files={"odmd-build.sh": BUILD_IMAGES}))
    img.resolve("feat-z", message="odmd: delete")
    r = ok(img.run("delete", "delete the clone"))
    assert r.aws["ecr"] == {}
    assert naming.clone_record("img", "feat-z") not in r.ssm
