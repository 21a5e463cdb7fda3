"""The inline buildspec and environment of each CodeBuild project of an enver's pipeline.

What a repository must provide (the contract between a repository and its pipeline):

* every project gets `ODMD_ENVER` (JSON: the enver's id, revision, account, region, roles,
  stacks, products and consumers), `ODMD_BUILD`, `ODMD_REVISION` (the revision path),
  `ODMD_ACCOUNT`, `ODMD_REGION`, and runs as the enver's **build role** (assumed by the helper;
  the config store is reached through the center role, profile `odmd-center`);
* projects before the approval (and `cmd`/`container_image` ones) get each consumer `NAME` as
  `NAME_VALUE` (the producer's current value, else the `default`), `NAME_PATH` and
  `NAME_DEFAULT` (names as in the ssm backend's env files);
* `cdk`: the app (in the build's one work_dir) names its stacks `ODMD_STACKS` (construct id =
  stack name) and gives each product as a stack output named by the product's output key
  (`bus-src`/`ev-src` → `busSrcEvSrc`); `Build` runs `npm ci` and `cdk synth`, `Deploy` runs
  `cdk deploy --exclusively` of exactly those stacks with the CLI version the app used;
* `container_image`: the build script (`build_script`, run with bash in each work_dir) builds
  every declared `image` locally as `LOCAL:TAG`; the helper pushes it to the enver's ECR
  repository under the commit id and the local tag and publishes the repository URI (product
  `NAME`) and the pushed digest (`NAME.latestSha`);
* `cmd`: the build script does the work; `npm_package`: `npm ci`, `npm run build --if-present`,
  `npm pack` in each work_dir, then `npm publish` of each tarball not yet published;
* `cmd`, `npm_package` and any non-image product of a `container_image`: the build writes
  `odmd-products.json` (`{"product.child": "value"}`) in its work_dir;
* an `s3artifact` product's value (from either source) names a file below the publishing
  step's `$CODEBUILD_SRC_DIR` — the checkout for `cmd` and `container_image`, the cloud
  assembly for `cdk` (the app writes the file into its output directory while synthesising),
  the packages directory `.odmd/packages` for `npm_package` —; the helper uploads it to the
  build's artefact bucket, whose name it reads (as the build role) from
  `names.artifact_bucket_parameter_for_account` in the enver's account and region (the
  cloudformation backend's target template makes both), under a content hash, and publishes
  its `s3://` URL.
"""

from __future__ import annotations

import ast
import io
import json
import shlex
import tokenize
from functools import cache
from importlib import resources

from odmdc.backends.aws.cfn import Json
from odmdc.backends.codepipeline.layout import Layout, Step
from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.backends.ssm import env_var

PRODUCTS_FILE = "odmd-products.json"
ASSEMBLY_DIR = ".odmd/assembly"
PACKAGES_DIR = ".odmd/packages"
CDK_VERSION_FILE = "odmd-cdk-version"
HELPER_EOF = "ODMD_HELPER_EOF"


@cache
def helper_source() -> str:
    """runtime.py as embedded: without docstrings, comment lines and blank lines, which would
    otherwise be a third of every template (CloudFormation takes at most 51,200 bytes of
    template body without an S3 upload)."""
    text = resources.files("odmdc.backends.codepipeline").joinpath("runtime.py").read_text(
        encoding="utf-8")
    if HELPER_EOF in text:
        raise AssertionError("runtime.py must not contain the heredoc delimiter")
    return compact(text)


def compact(source: str) -> str:
    """`source` without docstrings and without lines that hold only a comment or nothing
    (found by the tokenizer, so a line inside a string literal is never touched)."""
    drop: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and len(node.body) > 1:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
                    isinstance(first.value.value, str):
                drop.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    code: set[int] = set()
    layout_only = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                   tokenize.DEDENT, tokenize.ENDMARKER}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in layout_only:
            code.update(range(tok.start[0], tok.end[0] + 1))
    lines = source.splitlines()
    return "\n".join(line for i, line in enumerate(lines, 1) if i in code and i not in drop) \
        + "\n"


def enver_data(lay: Layout) -> dict[str, Json]:
    e = lay.enver
    return {
        "id": e.id, "build": e.build, "kind": e.kind, "account": e.account_id,
        "region": e.region,
        "revision": {"kind": e.revision.kind, "value": e.revision.value,
                     "path": e.revision.path},
        "build_role_arn": e.names.build_role_arn,
        "center_role_arn": e.names.center_role_arn,
        "stacks": list(e.names.stacks),
        "products": [{"name": p.name, "path": p.path, "output_key": p.output_key,
                      "s3artifact": p.s3artifact} for p in e.products],
        "artifact_bucket_parameter": e.names.artifact_bucket_parameter_for_account,
        "consumers": [{"name": c.name, "var": env_var(c.name), "path": c.reads,
                       "default": c.default} for c in e.consumers],
        "images": [{"name": i.name, "local": i.local, "repository": i.repository}
                   for i in e.images],
    }


def environment(lay: Layout, step: Step, opts: CodePipelineOptions) -> list[dict[str, str]]:
    e = lay.enver
    env = {
        "ODMD_ENVER": json.dumps(enver_data(lay), sort_keys=True, separators=(",", ":")),
        "ODMD_BUILD": e.build,
        "ODMD_REVISION": e.revision.path,
        "ODMD_ACCOUNT": e.account_id,
        "ODMD_REGION": e.region,
    }
    if e.kind == "cdk":
        env["ODMD_STACKS"] = " ".join(e.names.stacks)
        env["CDK_DEFAULT_ACCOUNT"] = e.account_id
        env["CDK_DEFAULT_REGION"] = e.region
    if lay.clone_ref:
        env["ODMD_TAG"] = e.revision.value
    if e.kind == "npm_package":
        env["ODMD_NPM_REGISTRY"] = opts.npm_registry
    out = [{"Name": k, "Type": "PLAINTEXT", "Value": v} for k, v in sorted(env.items())]
    if step.stage == "Publish" and opts.npm_token_secret:
        out.append({"Name": "NPM_TOKEN", "Type": "SECRETS_MANAGER",
                    "Value": opts.npm_token_secret})
    return out


def write_helper() -> str:
    """The command that writes the helper to a fresh file named by `$ODMD_HELPER`."""
    return (f'ODMD_HELPER="$(mktemp -d)/odmd_pipeline.py"\n'
            f"cat > \"$ODMD_HELPER\" <<'{HELPER_EOF}'\n{helper_source()}{HELPER_EOF}")


#: how release_runtime.py imports the helper, and how it must once embedded beside it
_HELPER_IMPORT = ("from odmdc.backends.codepipeline.runtime import",
                  "from odmd_pipeline import")
BATCH_RUNNER_EOF = "ODMD_BATCH_RUNNER_EOF"


@cache
def batch_runner_source() -> str:
    """release_runtime.py as embedded beside the helper (`odmd_pipeline.py`): compacted, and
    importing the helper by that name."""
    text = resources.files("odmdc.backends.codepipeline").joinpath(
        "release_runtime.py").read_text(encoding="utf-8")
    if BATCH_RUNNER_EOF in text or text.count(_HELPER_IMPORT[0]) != 1:
        raise AssertionError("release_runtime.py must import the helper once, by one line, "
                             "and not contain its heredoc delimiter")
    return compact(text.replace(*_HELPER_IMPORT))


def write_batch_runner() -> str:
    """The command that writes the batch runner next to the helper (written first, by
    `write_helper`) as `$ODMD_BATCH_RUNNER`."""
    return ('ODMD_BATCH_RUNNER="$(dirname "$ODMD_HELPER")/odmd_release_batch.py"\n'
            f"cat > \"$ODMD_BATCH_RUNNER\" <<'{BATCH_RUNNER_EOF}'\n{batch_runner_source()}"
            f"{BATCH_RUNNER_EOF}")


def _install(lay: Layout, step: Step, inputs: bool) -> list[str]:
    cmds = [
        write_helper(),
        # an assignment fails the command when the helper fails; `eval "$(…)"` would not
        f'ODMD_EXPORTS="$(python3 "$ODMD_HELPER" env{"" if inputs else " --no-inputs"})"',
        'eval "$ODMD_EXPORTS" && unset ODMD_EXPORTS',
    ]
    if lay.clone_ref and step.input == "Source":
        cmds += [
            # the source is the head of a branch when a reaction started the run: deploy the
            # tag, always (the full clone CODEBUILD_CLONE_REF gives has the connection's git
            # credentials)
            'git fetch --no-tags origin "+refs/tags/$ODMD_TAG:refs/tags/$ODMD_TAG"',
            'git -c advice.detachedHead=false checkout --force "refs/tags/$ODMD_TAG"',
            'export CODEBUILD_RESOLVED_SOURCE_VERSION="$(git rev-parse HEAD)"',
        ]
    return cmds


def _in(work_dir: str, command: str) -> str:
    where = '"$CODEBUILD_SRC_DIR"' if work_dir == "." else \
        f'"$CODEBUILD_SRC_DIR"/{shlex.quote(work_dir)}'
    return f"cd {where} && {command}"


def _publish(sources: list[str]) -> list[str]:
    return [f'python3 "$ODMD_HELPER" publish {" ".join(sources)}'] if sources else []


def _product_files(lay: Layout) -> list[str]:
    return ['"$CODEBUILD_SRC_DIR"/' + (PRODUCTS_FILE if d == "." else f"{d}/{PRODUCTS_FILE}")
            for d in lay.work_dirs]


def buildspec(lay: Layout, step: Step, opts: CodePipelineOptions) -> dict[str, Json]:
    e = lay.enver
    has_products = bool(e.products)
    script = shlex.quote(f"./{opts.build_script}")
    node = {"runtime-versions": {"nodejs": opts.nodejs_version}}
    artifacts: dict[str, Json] | None = None
    if e.kind == "cdk" and step.stage == "Build":
        d = lay.work_dirs[0]
        install = _install(lay, step, inputs=True)
        build = [
            _in(d, "npm ci"),
            f'npx cdk synth --quiet --output "$CODEBUILD_SRC_DIR/{ASSEMBLY_DIR}"',
            f'npx cdk --version | cut -d" " -f1 > "$CODEBUILD_SRC_DIR/{ASSEMBLY_DIR}/'
            f'{CDK_VERSION_FILE}"',
        ]
        artifacts = {"base-directory": ASSEMBLY_DIR, "files": ["**/*"]}
    elif e.kind == "cdk":  # Deploy, from the assembly
        install = _install(lay, step, inputs=False)
        build = [
            f'ODMD_CDK="aws-cdk@$(cat {CDK_VERSION_FILE})"',
            'npx --yes "$ODMD_CDK" deploy --app . --require-approval never --exclusively '
            "$ODMD_STACKS",
            *_publish(["cdk-outputs"] if has_products else []),
        ]
    elif e.kind == "npm_package" and step.stage == "Build":
        install = _install(lay, step, inputs=True)
        build = [f'mkdir -p "$CODEBUILD_SRC_DIR/{PACKAGES_DIR}"']
        for i, d in enumerate(lay.work_dirs, 1):
            build.append(_in(d, "npm ci && npm run build --if-present && npm pack "
                                f'--pack-destination "$CODEBUILD_SRC_DIR/{PACKAGES_DIR}"'))
            build.append(_in(d, f"if [ -f {PRODUCTS_FILE} ]; then cp {PRODUCTS_FILE} "
                                f'"$CODEBUILD_SRC_DIR/{PACKAGES_DIR}/products-{i}.json"; fi'))
        artifacts = {"base-directory": PACKAGES_DIR, "files": ["**/*"]}
    elif e.kind == "npm_package":  # Publish, from the packages
        install = _install(lay, step, inputs=False)
        # npm reads ${NPM_TOKEN} from the environment: the token is never written to disk
        build = [
            f"printf '%s:_authToken=${{NPM_TOKEN}}\\n' {shlex.quote(opts.npm_registry_host)} "
            '> "$HOME/.npmrc"',
            'python3 "$ODMD_HELPER" npm-publish .',
            *_publish(['"$CODEBUILD_SRC_DIR"/products-*.json'] if has_products else []),
        ]
    else:  # cmd Run, container_image Build: the build script in each work_dir
        install = _install(lay, step, inputs=e.kind == "cmd")
        build = [_in(d, f"bash {script}") for d in lay.work_dirs]
        sources: list[str] = []
        if e.kind == "container_image":
            build.append('python3 "$ODMD_HELPER" push-images')
            sources.append("images")
        if any(p.name not in image_products(lay) for p in e.products):
            sources.extend(_product_files(lay))
        build.extend(_publish(sources if has_products else []))
    phases: dict[str, Json] = {"install": {"commands": install}, "build": {"commands": build}}
    if e.kind in ("cdk", "npm_package"):
        phases["install"] = {**node, "commands": install}
    spec: dict[str, Json] = {"version": 0.2, "env": {"shell": "bash"}, "phases": phases}
    if artifacts:
        spec["artifacts"] = artifacts
    return spec


def image_products(lay: Layout) -> set[str]:
    return {n for i in lay.enver.images for n in (i.name, f"{i.name}.latestSha")}


def render(spec: dict[str, Json]) -> str:
    """The buildspec as YAML: mappings in the order `buildspec` builds them (phases in the
    order they run), scalars as JSON strings and numbers (JSON scalars are YAML), each
    multi-line command a literal block (`|-`), so that shell and the embedded helper read as
    written and are escaped only once, by the template's JSON."""
    lines: list[str] = []
    _yaml(spec, 0, lines)
    return "\n".join(lines) + "\n"


def _yaml(value: Json, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, dict | list):
                out.append(f"{pad}{k}:")
                _yaml(v, indent + 2, out)
            else:
                out.append(f"{pad}{k}: {json.dumps(v)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str) and "\n" in item:
                if item != item.strip() or "\t" in item:
                    raise ValueError("a block command must not start or end with whitespace")
                out.append(f"{pad}- |-")
                out.extend(f"{pad}  {line}" if line else "" for line in item.split("\n"))
            elif isinstance(item, str):
                out.append(f"{pad}- {json.dumps(item)}")
            else:
                raise ValueError("buildspec lists hold strings")
