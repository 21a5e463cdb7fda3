"""odmd's deploy-time helper: what runs inside a deployment, on either CI engine.

A GitHub workflow job (under $RUNNER_TEMP/odmd) or a CodeBuild buildspec (in a fresh temporary
folder) writes this file as `odmd.py` and runs it with the image's python3. It needs only the
standard library and reaches AWS only through the `aws` CLI v2. It reads the enver from
`ODMD_ENVER_JSON` (the enver document, `odmdc/backends/runtime/document.py`) and keeps its
files in its own folder. docs/runtime.md is its contract; in short:

    env [--assume-build-role] [--consume] [--products-file FILE] [--github-env]
        the variables a build sees (exported, or appended to $GITHUB_ENV); CodeBuild first
        becomes the build role; with --consume also every consumer's value
    consume            read the consumed values (through the center role) into consumes.json
    publish [--stack-outputs] [--images] [--products-file FILE...] [--root DIR]
                       write the products to the config store, each from exactly one source
    push-images --commit SHA
                       push the images the build made to their ECR repositories
    npm-version DIR    the version and dist-tag this enver publishes DIR's package under
    npm-publish PATH...
                       `npm publish` each package folder or tarball not published yet

Exit status: 0 done, 1 a failure (explained in one message), 2 a usage error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import tarfile
from collections.abc import Iterable, Mapping
from typing import Any

CENTER = "odmd-center"  # the AWS CLI profile of the center role (config store)
SESSION = "odmd-codepipeline"  # CodeBuild's session as the build role
VALUE_BYTES = 4096  # a standard-tier parameter's value; UTF-8 bytes, the strictest reading
NAMES_PER_READ = 10  # GetParameters takes at most 10 names
HERE = os.path.dirname(os.path.abspath(__file__))
COMMIT = re.compile(r"[0-9a-f]{7,64}")
_NOT_TAG_CHAR = re.compile(r"[^A-Za-z0-9-]")
_ERROR_CODE = re.compile(r"An error occurred \(([A-Za-z]+)\)")

#: the build role's credentials, once `env --assume-build-role` has them (CodeBuild)
_credentials: dict[str, str] = {}
#: whether this command's stdout is data for the shell: workflow commands then go to stderr,
#: which the runner reads them from too
_data_on_stdout = False


class Failure(Exception):
    """A reason to fail the step, said in one message."""


class AwsError(Failure):
    def __init__(self, args: Iterable[str], stderr: str) -> None:
        words = [a for a in args if not a.startswith("--")][:2]
        super().__init__(f"`aws {' '.join(words)}` failed")
        self.stderr = stderr
        found = _ERROR_CODE.search(stderr)
        self.code = found.group(1) if found else ""


def here(name: str) -> str:
    """A file of this run: the helper's folder is the run's own."""
    return os.path.join(HERE, name)


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise Failure(f"{name} is not set")
    return value


# ---- what the step says ------------------------------------------------------------------
def on_github() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def escape(text: str) -> str:
    """A workflow command's message: no text (a branch, a value) can start a command line."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def data_on_stdout() -> None:
    global _data_on_stdout
    _data_on_stdout = True


def say(level: str, text: str) -> None:
    """A notice, warning or error: a workflow command on GitHub, a log line elsewhere."""
    if on_github():
        print(f"::{level} title=odmd::{escape(text)}",
              file=sys.stderr if _data_on_stdout else sys.stdout, flush=True)
    else:
        prefix = "" if level == "notice" else f"{level}: "
        print(f"odmd: {prefix}{text}", file=sys.stderr, flush=True)


def log(text: str) -> None:
    print(f"odmd: {text}", file=sys.stderr, flush=True)


def summary(lines: Iterable[str]) -> None:
    """Markdown for the run's summary page (GitHub); other engines have none."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write("".join(f"{line}\n" for line in lines))


def append_github_file(variable: str, values: Mapping[str, str]) -> None:
    """Step outputs or job variables, each with a random delimiter no value can contain."""
    with open(os.environ[variable], "a", encoding="utf-8") as f:
        for name, value in values.items():
            delimiter = f"odmd_{secrets.token_hex(16)}"
            f.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def export_lines(values: Mapping[str, str]) -> str:
    return "".join(f"export {k}={shlex.quote(v)}\n" for k, v in values.items())


# ---- the enver -----------------------------------------------------------------------------
def document() -> dict[str, Any]:
    text = os.environ.get("ODMD_ENVER_JSON")
    if not text:
        raise Failure("ODMD_ENVER_JSON is not set: this step has no enver to work on")
    data: dict[str, Any] = json.loads(text)
    return data


def write_json(name: str, data: Any) -> str:
    target = here(name)
    with open(target, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    return target


# ---- AWS -----------------------------------------------------------------------------------
def center_config(doc: dict[str, Any] | None = None) -> str:
    """The AWS config whose `odmd-center` profile is the center role, assumed from the build
    role's credentials in the environment (role chaining): a profile rather than swapping the
    environment, so that builds keep the build role. The role is the enver's, or, in a job
    that has no enver yet (GitHub's resolve), ODMD_CENTER_ROLE_ARN's."""
    target = here("aws-config")
    if not os.path.exists(target):
        role, region = os.environ.get("ODMD_CENTER_ROLE_ARN"), os.environ.get("ODMD_REGION")
        if doc or not (role and region):
            doc = doc or document()
            role, region = doc["center_role_arn"], doc["region"]
        with open(target, "w", encoding="utf-8") as f:
            f.write(f"[profile {CENTER}]\nrole_arn = {role}\ncredential_source = Environment\n"
                    f"role_session_name = {CENTER}\nregion = {region}\n")
    return target


def aws_env(profile: str | None = None) -> dict[str, str]:
    env = {**os.environ, **_credentials}
    if profile == CENTER:
        env["AWS_CONFIG_FILE"] = center_config()
    return env


def aws(*args: str, region: str | None, profile: str | None = None, output: bool = True
        ) -> Any:
    """Run the AWS CLI; its JSON answer (None when it prints nothing). `region` None: the
    environment's."""
    cmd = ["aws", *(["--profile", profile] if profile else []), *args,
           *(["--output", "json"] if output else []), *(["--region", region] if region else [])]
    done = subprocess.run(cmd, capture_output=True, text=True, env=aws_env(profile),
                          check=False)
    if done.returncode != 0:
        raise AwsError(args, done.stderr.strip())
    return json.loads(done.stdout) if output and done.stdout.strip() else None


def read_parameters(names: Iterable[str], region: str,
                    profile: str | None = CENTER) -> dict[str, str]:
    """The values of those of `names` that exist (config store: the center role)."""
    wanted = sorted(set(names))
    found: dict[str, str] = {}
    for i in range(0, len(wanted), NAMES_PER_READ):
        out = aws("ssm", "get-parameters", "--names", *wanted[i:i + NAMES_PER_READ],
                  region=region, profile=profile)
        found.update({p["Name"]: p["Value"] for p in out.get("Parameters", [])})
    return found


def read_parameter(name: str, region: str, profile: str | None = CENTER) -> str | None:
    try:
        out = aws("ssm", "get-parameter", "--name", name, region=region, profile=profile)
    except AwsError as err:
        if err.code == "ParameterNotFound":
            return None
        raise
    value: str = out["Parameter"]["Value"]
    return value


def put_parameter(name: str, value: str, region: str) -> None:
    # as JSON: on the command line the CLI would read a value `file://…` as a file's content
    # and take a value starting with `-` for an option
    spec = {"Name": name, "Value": value, "Type": "String", "Overwrite": True}
    aws("ssm", "put-parameter", "--cli-input-json", json.dumps(spec), region=region,
        profile=CENTER)


def delete_parameter(name: str, region: str) -> None:
    try:
        aws("ssm", "delete-parameter", "--name", name, region=region, profile=CENTER)
    except AwsError as err:
        if err.code != "ParameterNotFound":
            raise


# ---- env -----------------------------------------------------------------------------------
def build_variables(doc: dict[str, Any], products_file: str) -> dict[str, str]:
    """What every build sees besides its engine's own variables (docs/runtime.md)."""
    return {
        "ODMD_ENVER": doc["id"],
        "ODMD_BUILD": doc["build"],
        "ODMD_KIND": doc["kind"],
        "ODMD_REVISION": doc["revision"]["path"],
        "ODMD_REV_KIND": doc["revision"]["kind"],
        "ODMD_REV_VALUE": doc["revision"]["value"],
        "ODMD_CLONE_OF": doc["clone_of"] or "",
        "ODMD_ACCOUNT": doc["account"],
        "ODMD_REGION": doc["region"],
        "ODMD_STACKS": " ".join(doc["stacks"]),
        "ODMD_ENVER_FILE": write_json("enver.json", doc),
        "ODMD_CONSUMES_FILE": here("consumes.json"),
        "ODMD_PRODUCTS_FILE": products_file,
        "ODMD_HELPER": os.path.abspath(__file__),
        "AWS_CONFIG_FILE": center_config(doc),
    }


def cmd_env(args: argparse.Namespace) -> None:
    if not args.github_env:
        data_on_stdout()
    doc = document()
    values: dict[str, str] = {}
    if args.assume_build_role:
        creds = aws("sts", "assume-role", "--role-arn", doc["build_role_arn"],
                    "--role-session-name", SESSION, region=doc["region"])["Credentials"]
        _credentials.update({"AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
                             "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
                             "AWS_SESSION_TOKEN": creds["SessionToken"]})
        values.update(_credentials)
    values.update(build_variables(doc, args.products_file or here("products.json")))
    if args.consume:
        consumed = consume(doc)
        for c in doc["consumers"]:
            values[f"{c['var']}_PATH"] = c["path"]
            if c["default"] is not None:
                values[f"{c['var']}_DEFAULT"] = c["default"]
            values[f"{c['var']}_VALUE"] = consumed[c["name"]]
    if args.github_env:
        # the job's `env:` says most of them already
        append_github_file("GITHUB_ENV", {k: v for k, v in values.items()
                                          if os.environ.get(k) != v})
    else:
        sys.stdout.write(export_lines(values))


# ---- consume -------------------------------------------------------------------------------
def consume(doc: dict[str, Any]) -> dict[str, str]:
    """Every consumer's value: the published one, else its default. Fails, naming all of
    them, when any has neither; an error reading the store is never taken for "not yet"."""
    consumers = doc["consumers"]
    published = read_parameters([c["path"] for c in consumers], doc["region"]) \
        if consumers else {}
    values: dict[str, str] = {}
    rows, missing = [], []
    for c in consumers:
        if c["path"] in published:
            values[c["name"]], source = published[c["path"]], "published"
        elif c["default"] is not None:
            values[c["name"]], source = c["default"], "default"
        else:
            source = "missing"
            missing.append(f"`{c['name']}` (`{c['path']}`)")
        rows.append(f"| `{c['name']}` | `{c['path']}` | {source} |")
    summary([f"### {doc['id']} consumes", "", "| consumer | parameter | value from |",
             "|---|---|---|", *rows])
    for c in consumers:
        if c["path"] not in published and c["default"] is not None:
            say("notice", f"consumer `{c['name']}` starts on its default: `{c['path']}` is "
                "not published yet")
    if missing:
        raise Failure(f"not published yet and without a default: {', '.join(missing)}; "
                      "deploy the producers first (odmdc plan)")
    write_json("consumes.json", values)
    return values


def cmd_consume(args: argparse.Namespace) -> None:
    consume(document())


# ---- publish -------------------------------------------------------------------------------
def _json_type(value: Any) -> str:
    return {dict: "an object", list: "an array", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def given_values(doc: dict[str, Any], args: argparse.Namespace) -> dict[str, list[
        tuple[str, Any]]]:
    """Per product, every (source, value) found for it."""
    products = {p["name"]: p for p in doc["products"]}
    given: dict[str, list[tuple[str, Any]]] = {name: [] for name in products}
    for path in args.products_file:
        if not os.path.exists(path):
            continue
        label = "$ODMD_PRODUCTS_FILE" if path == os.environ.get("ODMD_PRODUCTS_FILE") \
            else f"`{path}`"
        with open(path, encoding="utf-8") as f:
            try:
                data = json.load(f)
            except ValueError as err:
                raise Failure(f"{label} is not JSON: {err}") from err
        if not isinstance(data, dict):
            raise Failure(f"{label} must hold one JSON object, product name → value")
        unknown = sorted(set(data) - set(products))
        if unknown:
            say("warning", f"{label} names no product of `{doc['id']}`: "
                + ", ".join(f"`{u}`" for u in unknown))
        for name, value in data.items():
            if name in products:
                given[name].append((label, value))
    if args.stack_outputs:
        for stack in doc["stacks"]:
            found = aws("cloudformation", "describe-stacks", "--stack-name", stack,
                        region=doc["region"])["Stacks"][0]
            outputs = {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}
            for p in products.values():
                if p["output_key"] in outputs:
                    given[p["name"]].append((f"output `{p['output_key']}` of stack `{stack}`",
                                             outputs[p["output_key"]]))
    if args.images:
        if not os.path.exists(here("images.json")):
            raise Failure("no images were pushed: `push-images` runs first")
        with open(here("images.json"), encoding="utf-8") as f:
            for name, value in json.load(f).items():
                if name in given:
                    given[name].append(("the pushed image", value))
    return given


def value_problem(value: str) -> str | None:
    size = len(value.encode("utf-8"))
    if 1 <= size <= VALUE_BYTES:
        return None
    return (f"{size} bytes; a value is 1 to {VALUE_BYTES} bytes (Parameter Store's standard "
            "tier)")


def product_values(doc: dict[str, Any], args: argparse.Namespace) -> dict[str, str]:
    """Each product's one value. Every product needs exactly one source: a value given twice
    (by the products file and a stack output, by two stacks, by two files) fails even when
    the two agree, rather than one being picked."""
    given = given_values(doc, args)
    problems, values = [], {}
    for p in doc["products"]:
        name, found = p["name"], given[p["name"]]
        if not found:
            where = f"neither in the products file nor output `{p['output_key']}` of a stack" \
                if args.stack_outputs and p["output_key"] else "not in the products file"
            problems.append(f"`{name}`: {where}")
        elif len(found) > 1:
            problems.append(f"`{name}`: given by {' and by '.join(s for s, _ in found)}: "
                            "give it once")
        elif not isinstance(found[0][1], str):
            problems.append(f"`{name}`: {found[0][0]} gives {_json_type(found[0][1])}, not a "
                            "string")
        elif (why := value_problem(found[0][1])) is not None:
            problems.append(f"`{name}`: {why}")
        else:
            values[name] = found[0][1]
    if problems:
        raise Failure(f"cannot publish the products of `{doc['id']}`: {'; '.join(problems)}")
    return values


def artifact_file(root: str, given: str) -> str | None:
    """The file an s3artifact value names, if it is a file below `root`: relative, without
    `..`, and not leading out of `root` through a link."""
    if os.path.isabs(given) or ".." in given.replace("\\", "/").split("/"):
        return None
    path = os.path.realpath(os.path.join(root, given))
    return path if path.startswith(root + os.sep) and os.path.isfile(path) else None


def artifact_key(product_path: str, digest: str, given: str) -> str:
    """`<product path>/<sha256><extension>`: the extension of the name as given (its last
    `.suffix`; a name that only starts with a dot has none), whatever a link points at."""
    return f"{product_path.lstrip('/')}/{digest}{os.path.splitext(os.path.basename(given))[1]}"


def upload_artifacts(doc: dict[str, Any], values: dict[str, str], root: str) -> dict[str, str]:
    """`values` with each s3artifact product's file uploaded to the build's artefact bucket
    (named in the target account, read as the build role) under a content hash, and its
    value the object's s3:// URL."""
    artefacts = [p for p in doc["products"] if p["s3artifact"]]
    if not artefacts:
        return values
    root = os.path.realpath(root)
    files, problems = {}, []
    for p in artefacts:
        file = artifact_file(root, values[p["name"]])
        if file is None:
            problems.append(f"product `{p['name']}` is an s3artifact: its value must name a "
                            f"file below {root}, not `{values[p['name']]}`")
        files[p["name"]] = file
    if problems:
        raise Failure("; ".join(problems))
    bucket = read_parameter(doc["artifact_bucket_parameter"], doc["region"], profile=None)
    if bucket is None:
        raise Failure(f"no artefact bucket: {doc['artifact_bucket_parameter']} does not exist "
                      "(deploy the cloudformation backend's target template first)")
    out = dict(values)
    for p in artefacts:
        file = files[p["name"]]
        assert file is not None
        digest = hashlib.sha256()
        with open(file, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        url = f"s3://{bucket}/{artifact_key(p['path'], digest.hexdigest(), values[p['name']])}"
        if (why := value_problem(url)) is not None:
            raise Failure(f"`{p['name']}`: its URL {url} is {why}")
        aws("s3", "cp", file, url, "--only-show-errors", region=doc["region"], output=False)
        out[p["name"]] = url
    return out


def publish(doc: dict[str, Any], values: dict[str, str]) -> None:
    """Write each product unless it holds the value already: a rewrite would make a new
    version and a change event, redeploying every consumer for nothing."""
    current = read_parameters([p["path"] for p in doc["products"]], doc["region"])
    rows = []
    for p in doc["products"]:
        value = values[p["name"]]
        if current.get(p["path"]) == value:
            log(f"{p['path']} unchanged")
            rows.append(f"| `{p['name']}` | `{p['path']}` | unchanged |")
            continue
        put_parameter(p["path"], value, doc["region"])
        log(f"published {p['path']}")
        rows.append(f"| `{p['name']}` | `{p['path']}` | published |")
    summary([f"### {doc['id']} publishes", "", "| product | parameter | |", "|---|---|---|",
             *rows])


def cmd_publish(args: argparse.Namespace) -> None:
    doc = document()
    if not doc["products"]:
        return
    values = product_values(doc, args)
    publish(doc, upload_artifacts(doc, values, args.root or os.getcwd()))


# ---- images --------------------------------------------------------------------------------
def local_tag(local: str) -> str:
    name = local.rsplit("/", 1)[-1]
    return name.rsplit(":", 1)[1] if ":" in name else "latest"


def cmd_push_images(args: argparse.Namespace) -> None:
    """Push each image under the commit and its local tag; record, for publish, its
    repository URI (product NAME) and digest (NAME.latestSha)."""
    if not COMMIT.fullmatch(args.commit):
        raise Failure(f"`{args.commit}` is not a commit id")
    doc = document()
    region = doc["region"]
    absent = [f"`{i['local']}` (image `{i['name']}`)" for i in doc["images"]
              if subprocess.run(["docker", "image", "inspect", i["local"]],
                                capture_output=True, check=False).returncode != 0]
    if absent:
        raise Failure(f"the build made no image {', '.join(absent)}")
    pushed: dict[str, str] = {}
    if doc["images"]:
        # the account's registry, from the one ECR call that needs no repository
        auth = aws("ecr", "get-authorization-token", region=region)
        registry = auth["authorizationData"][0]["proxyEndpoint"].removeprefix("https://")
        password = subprocess.run(["aws", "ecr", "get-login-password", "--region", region],
                                  capture_output=True, text=True, env=aws_env(),
                                  check=True).stdout
        subprocess.run(["docker", "login", "--username", "AWS", "--password-stdin", registry],
                       input=password, text=True, check=True, stdout=subprocess.DEVNULL)
    for image in doc["images"]:
        repository = image["repository"]
        if doc["clone_origin"]:
            # a clone made by a commit command makes its own repositories; a declared
            # enver's come with its build role (the cloudformation backend's target template)
            try:
                aws("ecr", "create-repository", "--repository-name", repository,
                    "--image-scanning-configuration", "scanOnPush=true", region=region)
            except AwsError as err:
                if err.code != "RepositoryAlreadyExistsException":
                    raise
        uri = f"{registry}/{repository}"
        for tag in dict.fromkeys((args.commit, local_tag(image["local"]))):
            subprocess.run(["docker", "tag", image["local"], f"{uri}:{tag}"], check=True)
            subprocess.run(["docker", "push", f"{uri}:{tag}"], check=True)
        found = aws("ecr", "describe-images", "--repository-name", repository, "--image-ids",
                    f"imageTag={args.commit}", region=region)
        pushed[image["name"]] = uri
        pushed[f"{image['name']}.latestSha"] = found["imageDetails"][0]["imageDigest"]
    write_json("images.json", pushed)


# ---- npm -----------------------------------------------------------------------------------
def run_id() -> str:
    """This run's number among the enver's runs: GitHub's run and attempt, CodeBuild's build
    number."""
    if os.environ.get("GITHUB_RUN_NUMBER"):
        return f"{os.environ['GITHUB_RUN_NUMBER']}.{os.environ.get('GITHUB_RUN_ATTEMPT', '1')}"
    if os.environ.get("CODEBUILD_BUILD_NUMBER"):
        return os.environ["CODEBUILD_BUILD_NUMBER"]
    raise Failure("no run number: neither GITHUB_RUN_NUMBER nor CODEBUILD_BUILD_NUMBER is set")


def package_json(directory: str) -> dict[str, Any]:
    try:
        with open(os.path.join(directory, "package.json"), encoding="utf-8") as f:
            meta: dict[str, Any] = json.load(f)
    except (OSError, ValueError) as err:
        raise Failure(f"no readable package.json in `{directory}`: {err}") from err
    return meta


def dist_tag(doc: dict[str, Any]) -> str:
    """`odmd-<revision>`: every enver publishes under its own dist-tag, none moves `latest`."""
    return "odmd-" + _NOT_TAG_CHAR.sub("-", doc["revision"]["path"])


def cmd_npm_version(args: argparse.Namespace) -> None:
    """A tag enver publishes its package.json version; a branch enver (clones too)
    `<version>-<branch>.<run>`, a prerelease that never clashes with another run's."""
    data_on_stdout()
    doc = document()
    meta = package_json(args.directory)
    version = str(meta["version"])
    if doc["revision"]["kind"] != "tag":
        version = f"{version}-{_NOT_TAG_CHAR.sub('-', doc['revision']['value'])}.{run_id()}"
    sys.stdout.write(export_lines({"ODMD_NPM_PACKAGE": str(meta["name"]),
                                   "ODMD_NPM_VERSION": version}))


def _tarball_meta(path: str) -> dict[str, Any]:
    with tarfile.open(path) as tar:
        member = tar.extractfile("package/package.json")
        if member is None:
            raise Failure(f"{path} has no package/package.json")
        meta: dict[str, Any] = json.load(member)
    return meta


def cmd_npm_publish(args: argparse.Namespace) -> None:
    doc = document()
    registry = os.environ.get("ODMD_NPM_REGISTRY")
    extra = ["--registry", registry] if registry else []
    for path in args.paths:
        if not os.path.exists(path):
            raise Failure(f"no package at `{path}`")
        folder = os.path.isdir(path)
        meta = package_json(path) if folder else _tarball_meta(path)
        spec = f"{meta['name']}@{meta['version']}"
        seen = subprocess.run(["npm", "view", spec, "version", *extra], capture_output=True,
                              text=True, check=False)
        if seen.returncode == 0 and seen.stdout.strip() == meta["version"]:
            say("notice", f"{spec} is published already")
            continue
        subprocess.run(["npm", "publish", *([] if folder else [path]), "--tag", dist_tag(doc),
                        *extra], check=True, cwd=path if folder else None)


# ---- the command line ----------------------------------------------------------------------
def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="odmd.py", description="odmd's deploy-time helper "
                                "(docs/runtime.md)")
    sub = p.add_subparsers(dest="command", required=True)
    env = sub.add_parser("env", help="the variables a build sees")
    env.add_argument("--assume-build-role", action="store_true")
    env.add_argument("--consume", action="store_true")
    env.add_argument("--products-file")
    env.add_argument("--github-env", action="store_true")
    env.set_defaults(run=cmd_env)
    sub.add_parser("consume", help="read the consumed values").set_defaults(run=cmd_consume)
    pub = sub.add_parser("publish", help="publish the products")
    pub.add_argument("--stack-outputs", action="store_true")
    pub.add_argument("--images", action="store_true")
    pub.add_argument("--products-file", action="extend", nargs="+", default=[])
    pub.add_argument("--root")
    pub.set_defaults(run=cmd_publish)
    push = sub.add_parser("push-images", help="push the built images")
    push.add_argument("--commit", required=True)
    push.set_defaults(run=cmd_push_images)
    ver = sub.add_parser("npm-version", help="the version to publish a package as")
    ver.add_argument("directory")
    ver.set_defaults(run=cmd_npm_version)
    npm = sub.add_parser("npm-publish", help="publish packages not published yet")
    npm.add_argument("paths", nargs="+")
    npm.set_defaults(run=cmd_npm_publish)
    return p


def run(args: argparse.Namespace) -> int:
    """Run a parsed command; its exit status. Failures are said, never raised."""
    try:
        status: int | None = args.run(args)
    except AwsError as err:
        if err.stderr:
            print(err.stderr, file=sys.stderr)
        say("error", f"{err}{f' ({err.code})' if err.code else ''}")
        return 1
    except Failure as err:
        say("error", str(err))
        return 1
    except subprocess.CalledProcessError as err:
        say("error", f"`{' '.join(map(str, err.cmd[:2]))}` exited {err.returncode}")
        return 1
    return status or 0


def main(argv: list[str]) -> int:
    return run(parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
