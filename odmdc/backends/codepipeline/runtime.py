"""odmd's helper inside the CodeBuild projects of the codepipeline backend.

The backend embeds this file, unchanged, in every inline buildspec (CodeBuild's standard images
have python3 and the AWS CLI; the helper needs nothing else). It reads what it deploys from
`ODMD_ENVER` (JSON written by the backend: the enver's roles, stacks, images, products and
consumers) and talks to AWS only through the `aws` CLI.

    env [--no-inputs]  print `export` lines: the build role's credentials (assumed from the
                       CodeBuild role), an AWS config whose `odmd-center` profile is the center
                       role, and per consumer NAME: NAME_PATH, NAME_DEFAULT and NAME_VALUE (the
                       value in the config store, else the default)
    push-images        tag and push each `image` of a container_image enver, built locally by
                       the build script, to its ECR repository
    publish SOURCE...  write the enver's products to the config store through the center role;
                       SOURCE: `cdk-outputs` (stack outputs named by each product's output
                       key), `images` (repository URI and digest), or a JSON file
                       {"product.child": "value"}. Every product needs a value; an
                       s3artifact product's names a file below $CODEBUILD_SRC_DIR, which is
                       uploaded to the build's artefact bucket and published as its s3:// URL
    npm-publish DIR    `npm publish` each tarball in DIR unless its version is published
    release-step       start pipeline ODMD_PIPELINE in ODMD_PIPELINE_REGION and wait for it

Untrusted text (values from the store, commit data) is only ever printed shell-quoted.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import tempfile
import time
from typing import Any

SESSION = "odmd-codepipeline"
POLL_SECONDS = float(os.environ.get("ODMD_POLL_SECONDS", "30"))
DONE = {"Succeeded": 0, "Failed": 1, "Stopped": 1, "Cancelled": 1}
USAGE = ("usage: odmd_pipeline.py env [--no-inputs] | push-images | publish SOURCE... | "
         "npm-publish DIR | release-step")


class Failure(Exception):
    """A reason to fail the build, printed as one line."""


def enver() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(os.environ["ODMD_ENVER"])
    return data


def aws(*args: str, profile: str | None = None, region: str | None = None,
        env: dict[str, str] | None = None) -> Any:
    """Run the AWS CLI and return its JSON output (None when it prints nothing)."""
    cmd = ["aws", *args, "--output", "json"]
    if profile:
        cmd += ["--profile", profile]
    if region:
        cmd += ["--region", region]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise AwsError(args, done.stderr.strip())
    return json.loads(done.stdout) if done.stdout.strip() else None


class AwsError(Failure):
    def __init__(self, args: tuple[str, ...], stderr: str) -> None:
        super().__init__(f"aws {' '.join(args[:2])} failed: {stderr}")
        self.stderr = stderr


def export(name: str, value: str) -> str:
    return f"export {name}={shlex.quote(value)}"


# ---- env -------------------------------------------------------------------------------------
def cmd_env(no_inputs: bool) -> list[str]:
    e = enver()
    creds = aws("sts", "assume-role", "--role-arn", e["build_role_arn"],
                "--role-session-name", SESSION, region=e["region"])["Credentials"]
    lines = [
        export("AWS_ACCESS_KEY_ID", creds["AccessKeyId"]),
        export("AWS_SECRET_ACCESS_KEY", creds["SecretAccessKey"]),
        export("AWS_SESSION_TOKEN", creds["SessionToken"]),
    ]
    config = os.path.join(tempfile.mkdtemp(prefix="odmd-"), "aws-config")
    with open(config, "w", encoding="utf-8") as f:
        f.write(center_profile(e))
    lines.append(export("AWS_CONFIG_FILE", config))
    if not no_inputs:
        env = {**os.environ, "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
               "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
               "AWS_SESSION_TOKEN": creds["SessionToken"], "AWS_CONFIG_FILE": config}
        for c in e["consumers"]:
            lines.extend(consumer_lines(c, read(c["path"], env)))
    return lines


def center_profile(e: dict[str, Any]) -> str:
    """The center role, assumed from the build role's credentials in the environment."""
    return (f"[profile odmd-center]\nrole_arn = {e['center_role_arn']}\n"
            f"credential_source = Environment\nrole_session_name = {SESSION}\n"
            f"region = {e['region']}\n")


def read(path: str, env: dict[str, str] | None = None) -> str | None:
    """A parameter's value through the center role, or None when it does not exist yet."""
    try:
        out = aws("ssm", "get-parameter", "--name", path, profile="odmd-center", env=env)
    except AwsError as err:
        if "ParameterNotFound" in err.stderr:
            return None
        raise
    value: str = out["Parameter"]["Value"]
    return value


def consumer_lines(c: dict[str, Any], value: str | None) -> list[str]:
    stem = c["var"]  # as the ssm backend's env files name it
    lines = [export(f"{stem}_PATH", c["path"])]
    if c.get("default") is not None:
        lines.append(export(f"{stem}_DEFAULT", c["default"]))
    if value is None:
        if c.get("default") is None:
            raise Failure(f"consumer `{c['name']}` reads {c['path']}, which its producer has "
                          "not published yet, and has no default")
        print(f"odmd: {c['path']} does not exist yet: `{c['name']}` uses its default",
              file=sys.stderr)
        value = c["default"]
    lines.append(export(f"{stem}_VALUE", value))
    return lines


# ---- products --------------------------------------------------------------------------------
def values_from_outputs(e: dict[str, Any]) -> dict[str, str]:
    outputs: dict[str, str] = {}
    for stack in e["stacks"]:
        found = aws("cloudformation", "describe-stacks", "--stack-name", stack,
                    region=e["region"])["Stacks"][0]
        for o in found.get("Outputs", []):
            outputs[o["OutputKey"]] = o["OutputValue"]
    return {p["name"]: outputs[p["output_key"]] for p in e["products"]
            if p["output_key"] in outputs}


def values_from_images(e: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for image in e["images"]:
        found = aws("ecr", "describe-images", "--repository-name", image["repository"],
                    "--image-ids", f"imageTag={image_tag()}", region=e["region"])
        out[image["name"]] = repository_uri(e, image["repository"])
        out[f"{image['name']}.latestSha"] = found["imageDetails"][0]["imageDigest"]
    return out


def values_from_file(path: str) -> dict[str, str]:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise Failure(f"{path} must hold one JSON object of product names to string values")
    return data


def cmd_publish(sources: list[str]) -> None:
    e = enver()
    values: dict[str, str] = {}
    for source in sources:
        if source == "cdk-outputs":
            found = values_from_outputs(e)
        elif source == "images":
            found = values_from_images(e)
        else:
            found = {}
            for path in sorted(glob.glob(source)):
                found.update(values_from_file(path))
        for name, value in found.items():
            if name in values and values[name] != value:
                raise Failure(f"product `{name}` is given two different values")
            values[name] = value
    missing = [p["name"] for p in e["products"] if not values.get(p["name"])]
    if missing:
        raise Failure(f"no value for product(s) {', '.join(missing)} of {e['id']} "
                      f"(looked in: {', '.join(sources)})")
    values = upload_artifacts(e, values)
    for p in e["products"]:
        publish(p["path"], values[p["name"]])


def upload_artifacts(e: dict[str, Any], values: dict[str, str]) -> dict[str, str]:
    """`values` with each s3artifact product's file uploaded to the build's artefact bucket
    (named in the target account: read with the build role's credentials) under
    `<product path>/<sha256><extension>`, and its value the object's s3:// URL."""
    artefacts = [p for p in e["products"] if p.get("s3artifact")]
    if not artefacts:
        return values
    root = os.path.realpath(os.environ.get("CODEBUILD_SRC_DIR") or os.getcwd())
    found = aws("ssm", "get-parameter", "--name", e["artifact_bucket_parameter"],
                region=e["region"])
    bucket: str = found["Parameter"]["Value"]
    out = dict(values)
    for p in artefacts:
        given = values[p["name"]]
        path = os.path.realpath(os.path.join(root, given))
        if os.path.isabs(given) or not path.startswith(root + os.sep) or \
                not os.path.isfile(path):
            raise Failure(f"product `{p['name']}` is an s3artifact: its value must name a file "
                          f"below {root}, not `{given}`")
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        key = f"{p['path'].lstrip('/')}/{digest}{os.path.splitext(path)[1]}"
        aws("s3", "cp", "--only-show-errors", path, f"s3://{bucket}/{key}", region=e["region"])
        out[p["name"]] = f"s3://{bucket}/{key}"
    return out


def publish(path: str, value: str) -> None:
    """Write a product unless it holds the value already: a rewrite would make a new version
    and a change event, redeploying every consumer for nothing."""
    if read(path) == value:
        print(f"odmd: {path} unchanged", file=sys.stderr)
        return
    aws("ssm", "put-parameter", "--name", path, "--value", value, "--type", "String",
        "--overwrite", profile="odmd-center")
    print(f"odmd: published {path}", file=sys.stderr)


# ---- container images ------------------------------------------------------------------------
def image_tag() -> str:
    """Images are pushed under the commit they were built from."""
    commit = os.environ.get("CODEBUILD_RESOLVED_SOURCE_VERSION", "")
    if not re.fullmatch(r"[0-9a-f]{7,64}", commit):
        raise Failure("CODEBUILD_RESOLVED_SOURCE_VERSION is not a commit id")
    return commit


def repository_uri(e: dict[str, Any], repository: str) -> str:
    found = aws("ecr", "describe-repositories", "--repository-names", repository,
                region=e["region"])["repositories"][0]
    uri: str = found["repositoryUri"]
    return uri


def cmd_push_images() -> None:
    e = enver()
    tag = image_tag()
    logged_in: set[str] = set()
    for image in e["images"]:
        local = image["local"]
        if subprocess.run(["docker", "image", "inspect", local], capture_output=True,
                          check=False).returncode != 0:
            raise Failure(f"the build script made no local image `{local}` (image "
                          f"`{image['name']}`)")
        uri = repository_uri(e, image["repository"])
        registry = uri.split("/", 1)[0]
        if registry not in logged_in:
            password = subprocess.run(
                ["aws", "ecr", "get-login-password", "--region", e["region"]],
                capture_output=True, text=True, check=True).stdout
            subprocess.run(["docker", "login", "--username", "AWS", "--password-stdin",
                            registry], input=password, text=True, check=True,
                           stdout=subprocess.DEVNULL)
            logged_in.add(registry)
        name = local.rsplit("/", 1)[-1]
        local_tag = name.rsplit(":", 1)[1] if ":" in name else "latest"
        for t in dict.fromkeys((tag, local_tag)):
            subprocess.run(["docker", "tag", local, f"{uri}:{t}"], check=True)
            subprocess.run(["docker", "push", f"{uri}:{t}"], check=True)


# ---- npm -------------------------------------------------------------------------------------
def cmd_npm_publish(directory: str) -> None:
    registry = os.environ["ODMD_NPM_REGISTRY"]
    for tarball in sorted(glob.glob(os.path.join(directory, "*.tgz"))):
        with tarfile.open(tarball) as tar:
            member = tar.extractfile("package/package.json")
            if member is None:
                raise Failure(f"{tarball} has no package/package.json")
            meta = json.load(member)
        spec = f"{meta['name']}@{meta['version']}"
        seen = subprocess.run(["npm", "view", spec, "version", "--registry", registry],
                              capture_output=True, text=True, check=False)
        if seen.returncode == 0 and seen.stdout.strip() == meta["version"]:
            print(f"odmd: {spec} is published already", file=sys.stderr)
            continue
        subprocess.run(["npm", "publish", tarball, "--registry", registry], check=True)


# ---- release ---------------------------------------------------------------------------------
def cmd_release_step() -> int:
    name, region = os.environ["ODMD_PIPELINE"], os.environ["ODMD_PIPELINE_REGION"]
    step = os.environ.get("ODMD_STEP", "deploy")
    started = aws("codepipeline", "start-pipeline-execution", "--name", name,
                  region=region)["pipelineExecutionId"]
    print(f"odmd: {step} {name} ({region}): execution {started}", file=sys.stderr)
    execution = started
    while True:
        status = aws("codepipeline", "get-pipeline-execution", "--pipeline-name", name,
                     "--pipeline-execution-id", execution,
                     region=region)["pipelineExecution"]["status"]
        if status in DONE:
            print(f"odmd: {name} execution {execution}: {status}", file=sys.stderr)
            return DONE[status]
        if status == "Superseded":
            # a newer run (a push, a reaction) took over: its outcome is the enver's
            execution = aws("codepipeline", "list-pipeline-executions", "--pipeline-name",
                            name, "--max-items", "1", region=region
                            )["pipelineExecutionSummaries"][0]["pipelineExecutionId"]
            print(f"odmd: superseded; following execution {execution}", file=sys.stderr)
            continue
        time.sleep(POLL_SECONDS)


def main(argv: list[str]) -> int:
    try:
        if argv[:1] == ["env"]:
            print("\n".join(cmd_env("--no-inputs" in argv[1:])))
        elif argv[:1] == ["push-images"]:
            cmd_push_images()
        elif argv[:1] == ["publish"] and len(argv) > 1:
            cmd_publish(argv[1:])
        elif argv[:1] == ["npm-publish"] and len(argv) == 2:
            cmd_npm_publish(argv[1])
        elif argv[:1] == ["release-step"]:
            return cmd_release_step()
        else:
            print(USAGE, file=sys.stderr)
            return 2
    except Failure as err:
        print(f"odmd: error: {err}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as err:
        print(f"odmd: error: {' '.join(map(str, err.cmd[:3]))} … exited {err.returncode}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
