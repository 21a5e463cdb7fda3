"""The inline buildspec and environment of each CodeBuild project of an enver's pipeline.

Each project writes odmd's deploy-time helper (odmdc/backends/runtime/helper.py) to a fresh
folder as `$ODMD_HELPER`, becomes the enver's build role through it (`env
--assume-build-role`), and leaves consuming, publishing and pushing to it; docs/runtime.md is
the contract with the repository (the same as under GitHub Actions). What is CodePipeline's
own:

* `cdk`: the app (in the build's one work_dir) names its stacks `ODMD_STACKS` (construct id =
  stack name) and gives each product as a stack output named by the product's output key
  (`bus-src`/`ev-src` → `busSrcEvSrc`) or in `$ODMD_PRODUCTS_FILE`, which the `Build` project
  (`npm ci`, `cdk synth`) points into the cloud assembly so that it reaches `Deploy` (`cdk
  deploy --exclusively` of exactly those stacks, with the CLI version the app used);
* `container_image`: the build script (`build_script`, run with bash in each work_dir) builds
  every declared `image` locally as `LOCAL:TAG`, which the helper pushes;
* `cmd`: the build script does the work; `npm_package`: in each work_dir `npm ci`, the version
  the helper gives the enver (`npm-version`), `npm run build --if-present`, `npm pack`; the
  `Publish` project publishes each tarball not yet published (`npm-publish`), under the enver's
  dist-tag;
* besides `$ODMD_PRODUCTS_FILE`, a build may write `odmd-products.json` in its work_dir
  (`cmd`, `container_image`, `npm_package`);
* an `s3artifact` product's value names a file below the publishing project's
  `$CODEBUILD_SRC_DIR`: the checkout for `cmd` and `container_image`, the cloud assembly for
  `cdk` (the app writes the file into its output directory while synthesising), the packages
  directory `.odmd/packages` for `npm_package`.
"""

from __future__ import annotations

import json
import shlex

from odmdc.backends.aws.cfn import Json
from odmdc.backends.codepipeline.layout import Layout, Step
from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.backends.runtime import embed
from odmdc.backends.runtime.document import ENVER_JSON, enver_document

PRODUCTS_FILE = "odmd-products.json"
ASSEMBLY_DIR = ".odmd/assembly"
PACKAGES_DIR = ".odmd/packages"
CDK_VERSION_FILE = "odmd-cdk-version"
RELEASE = embed.Module("odmdc.backends.codepipeline", "release_runtime.py", "odmd_release.py",
                       "ODMD_RELEASE_EOF")
HELPER = 'python3 "$ODMD_HELPER"'


def environment(lay: Layout, step: Step, opts: CodePipelineOptions) -> list[dict[str, str]]:
    e = lay.enver
    env = {
        ENVER_JSON: json.dumps(enver_document(e), sort_keys=True, separators=(",", ":")),
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
    return f'ODMD_HELPER="$(mktemp -d)/{embed.HELPER.name}"\n' + \
        embed.write(embed.HELPER, '"$ODMD_HELPER"')


def write_release_runner() -> str:
    """The command that writes the release runner next to the helper (written first, by
    `write_helper`) as `$ODMD_RELEASE`."""
    return f'ODMD_RELEASE="$(dirname "$ODMD_HELPER")/{RELEASE.name}"\n' + \
        embed.write(RELEASE, '"$ODMD_RELEASE"')


def _install(lay: Layout, step: Step, inputs: bool, products_file: str | None = None
             ) -> list[str]:
    flags = " --consume" if inputs else ""
    if products_file:
        flags += f' --products-file "$CODEBUILD_SRC_DIR/{products_file}"'
    cmds = [
        write_helper(),
        # an assignment fails the command when the helper fails; `eval "$(…)"` would not
        f'ODMD_EXPORTS="$({HELPER} env --assume-build-role{flags})"',
        'eval "$ODMD_EXPORTS" && unset ODMD_EXPORTS',
    ]
    if lay.clone_ref and step.input == "Source":
        cmds += [
            # the source is the head of a branch when a reaction started the run: deploy the
            # tag, always (the full clone CODEBUILD_CLONE_REF gives has the connection's git
            # credentials)
            'git fetch --no-tags origin "+refs/tags/$ODMD_TAG:refs/tags/$ODMD_TAG"',
            'git -c advice.detachedHead=false checkout --force "refs/tags/$ODMD_TAG"',
            'CODEBUILD_RESOLVED_SOURCE_VERSION="$(git rev-parse HEAD)" && '
            "export CODEBUILD_RESOLVED_SOURCE_VERSION",
        ]
    return cmds


def _in(work_dir: str, command: str) -> str:
    where = '"$CODEBUILD_SRC_DIR"' if work_dir == "." else \
        f'"$CODEBUILD_SRC_DIR"/{shlex.quote(work_dir)}'
    return f"cd {where} && {command}"


def _publish(lay: Layout, sources: str = "", files: str = "") -> list[str]:
    """The helper's publish, when the enver has products: from `sources` and the products
    files (missing ones give nothing)."""
    if not lay.enver.products:
        return []
    return [f'{HELPER} publish {sources}--products-file "$ODMD_PRODUCTS_FILE"{files} '
            '--root "$CODEBUILD_SRC_DIR"']


def _product_files(lay: Layout) -> str:
    return "".join(' "$CODEBUILD_SRC_DIR"/' + (PRODUCTS_FILE if d == "." else
                                                f"{d}/{PRODUCTS_FILE}")
                   for d in lay.work_dirs)


def buildspec(lay: Layout, step: Step, opts: CodePipelineOptions) -> dict[str, Json]:
    e = lay.enver
    script = shlex.quote(f"./{opts.build_script}")
    node = {"runtime-versions": {"nodejs": opts.nodejs_version}}
    artifacts: dict[str, Json] | None = None
    if e.kind == "cdk" and step.stage == "Build":
        d = lay.work_dirs[0]
        # the products file the app may write travels to Deploy in the cloud assembly
        install = _install(lay, step, True, f"{ASSEMBLY_DIR}/{PRODUCTS_FILE}")
        build = [
            _in(d, "npm ci"),
            f'mkdir -p "$CODEBUILD_SRC_DIR/{ASSEMBLY_DIR}"',
            f'npx cdk synth --quiet --output "$CODEBUILD_SRC_DIR/{ASSEMBLY_DIR}"',
            f'npx cdk --version | cut -d" " -f1 > "$CODEBUILD_SRC_DIR/{ASSEMBLY_DIR}/'
            f'{CDK_VERSION_FILE}"',
        ]
        artifacts = {"base-directory": ASSEMBLY_DIR, "files": ["**/*"]}
    elif e.kind == "cdk":  # Deploy, from the assembly
        install = _install(lay, step, False, PRODUCTS_FILE)
        build = [
            f'ODMD_CDK="aws-cdk@$(cat {CDK_VERSION_FILE})"',
            'read -ra stacks <<<"$ODMD_STACKS" && npx --yes "$ODMD_CDK" deploy --app . '
            '--require-approval never --exclusively "${stacks[@]}"',
            *_publish(lay, "--stack-outputs "),
        ]
    elif e.kind == "npm_package" and step.stage == "Build":
        install = _install(lay, step, True, f"{PACKAGES_DIR}/{PRODUCTS_FILE}")
        build = [f'mkdir -p "$CODEBUILD_SRC_DIR/{PACKAGES_DIR}"']
        for i, d in enumerate(lay.work_dirs, 1):
            # each package as the version the helper gives this enver (docs/runtime.md)
            build.append(_in(d, f'npm ci && ODMD_NPM_EXPORTS="$({HELPER} npm-version .)" && '
                                'eval "$ODMD_NPM_EXPORTS" && npm version --no-git-tag-version '
                                '--allow-same-version "$ODMD_NPM_VERSION" && '
                                "npm run build --if-present && npm pack "
                                f'--pack-destination "$CODEBUILD_SRC_DIR/{PACKAGES_DIR}"'))
            build.append(_in(d, f"if [ -f {PRODUCTS_FILE} ]; then cp {PRODUCTS_FILE} "
                                f'"$CODEBUILD_SRC_DIR/{PACKAGES_DIR}/products-{i}.json"; fi'))
        artifacts = {"base-directory": PACKAGES_DIR, "files": ["**/*"]}
    elif e.kind == "npm_package":  # Publish, from the packages
        install = _install(lay, step, False, PRODUCTS_FILE)
        # npm reads ${NPM_TOKEN} from the environment: the token is never written to disk
        build = [
            f"printf '%s:_authToken=%s\\n' {shlex.quote(opts.npm_registry_host)} "
            '"\\${NPM_TOKEN}" > "$HOME/.npmrc"',
            f'{HELPER} npm-publish "$CODEBUILD_SRC_DIR"/*.tgz',
            *_publish(lay, files=' "$CODEBUILD_SRC_DIR"/products-*.json'),
        ]
    else:  # cmd Run, container_image Build: the build script in each work_dir
        install = _install(lay, step, e.kind == "cmd")
        build = [_in(d, f"bash {script}") for d in lay.work_dirs]
        sources = ""
        if e.kind == "container_image":
            build.append(f'{HELPER} push-images --commit "$CODEBUILD_RESOLVED_SOURCE_VERSION"')
            sources = "--images "
        build.extend(_publish(lay, sources, _product_files(lay)))
    phases: dict[str, Json] = {"install": {"commands": install}, "build": {"commands": build}}
    if e.kind in ("cdk", "npm_package"):
        phases["install"] = {**node, "commands": install}
    spec: dict[str, Json] = {"version": 0.2, "env": {"shell": "bash"}, "phases": phases}
    if artifacts:
        spec["artifacts"] = artifacts
    return spec


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
