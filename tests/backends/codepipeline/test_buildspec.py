"""The CodeBuild projects' buildspecs: valid YAML that reads back as the spec, shell that
bash parses and shellcheck passes, and per kind the commands the module docstring of
`buildspec.py` promises. (The embedded helper: tests/backends/runtime/test_embed.py.)"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
import yaml

from odmdc.backends.codepipeline import buildspec as bs
from odmdc.backends.codepipeline.layout import layout
from odmdc.backends.codepipeline.options import CodePipelineOptions
from tests.backends.codepipeline.orgs import ORGS, compiled, files, load_json, options_for
from tests.validators.shellcheck import shellcheck_scripts

TEMPLATES = files(".template.json")


def projects(org: str, path: str) -> list[dict[str, Any]]:
    t = load_json(org, path)
    return [r["Properties"] for r in t["Resources"].values()
            if r["Type"] == "AWS::CodeBuild::Project"]


def spec_of(org: str, ident: str, stage: str) -> dict[str, Any]:
    ir = compiled(org)
    lay = layout(ir, ir.enver(ident), CodePipelineOptions.model_validate(options_for(ir)))
    step = next(s for s in lay.steps if s.stage == stage)
    return bs.buildspec(lay, step, CodePipelineOptions.model_validate(options_for(ir)))


def commands(spec: dict[str, Any]) -> list[str]:
    return [c for phase in spec["phases"].values() for c in phase["commands"]]


@pytest.mark.parametrize(("org", "path"), TEMPLATES, ids=[f"{o}:{p}" for o, p in TEMPLATES])
def test_buildspecs_are_yaml_and_bash(org: str, path: str) -> None:
    for project in projects(org, path):
        spec = yaml.safe_load(project["Source"]["BuildSpec"])
        assert spec["version"] == 0.2
        assert spec["env"] == {"shell": "bash"}
        script = "\n".join(commands(spec))
        done = subprocess.run(["bash", "-n"], input=script, text=True, capture_output=True,
                              check=False)
        assert done.returncode == 0, done.stderr


def test_buildspecs_pass_shellcheck() -> None:
    """Each project's commands, in order, as the one bash session CodeBuild runs them in."""
    scripts: dict[str, str] = {}
    for org, path in TEMPLATES:
        for project in projects(org, path):
            script = "\n".join(commands(yaml.safe_load(project["Source"]["BuildSpec"])))
            scripts.setdefault(script + "\n", f"{org}:{path}:{project['Name']}")
    assert len(scripts) > 10
    assert shellcheck_scripts(scripts) == []


def test_render_reads_back_as_the_spec() -> None:
    for org in ORGS:
        ir = compiled(org)
        opts = CodePipelineOptions.model_validate(options_for(ir))
        for e in ir.envers():
            lay = layout(ir, e, opts)
            for step in lay.steps:
                spec = bs.buildspec(lay, step, opts)
                assert yaml.safe_load(bs.render(spec)) == spec


def test_render_refuses_what_a_block_cannot_hold() -> None:
    with pytest.raises(ValueError, match="whitespace"):
        bs.render({"phases": {"build": {"commands": [" indented\nsecond"]}}})


def test_cdk_build_and_deploy() -> None:
    build = commands(spec_of("multi", "app.main", "Build"))
    assert build[-4] == 'cd "$CODEBUILD_SRC_DIR" && npm ci'
    assert any(c.startswith("npx cdk synth --quiet --output") for c in build)
    # inputs resolved for synth; a products file the app writes travels in the assembly
    assert 'ODMD_EXPORTS="$(python3 "$ODMD_HELPER" env --assume-build-role --consume ' \
        '--products-file "$CODEBUILD_SRC_DIR/.odmd/assembly/odmd-products.json")"' in build
    deploy = commands(spec_of("multi", "app.main", "Deploy"))
    assert 'ODMD_EXPORTS="$(python3 "$ODMD_HELPER" env --assume-build-role --products-file ' \
        '"$CODEBUILD_SRC_DIR/odmd-products.json")"' in deploy
    assert 'read -ra stacks <<<"$ODMD_STACKS" && npx --yes "$ODMD_CDK" deploy --app . ' \
        '--require-approval never --exclusively "${stacks[@]}"' in deploy
    assert deploy[-1] == ('python3 "$ODMD_HELPER" publish --stack-outputs --products-file '
                          '"$ODMD_PRODUCTS_FILE" --root "$CODEBUILD_SRC_DIR"')
    assert spec_of("multi", "app.main", "Build")["artifacts"] == {
        "base-directory": ".odmd/assembly", "files": ["**/*"]}


def test_work_dirs_and_build_script() -> None:
    run = commands(spec_of("multi", "tools.main", "Run"))
    assert 'cd "$CODEBUILD_SRC_DIR"/scripts && bash ./odmd-build.sh' in run
    assert 'cd "$CODEBUILD_SRC_DIR"/ops/jobs && bash ./odmd-build.sh' in run
    assert run[-1] == ('python3 "$ODMD_HELPER" publish --products-file "$ODMD_PRODUCTS_FILE" '
                       '"$CODEBUILD_SRC_DIR"/scripts/odmd-products.json '
                       '"$CODEBUILD_SRC_DIR"/ops/jobs/odmd-products.json --root '
                       '"$CODEBUILD_SRC_DIR"')
    net = commands(spec_of("multi", "net.main", "Build"))
    assert 'cd "$CODEBUILD_SRC_DIR"/infra && npm ci' in net


def test_container_image_pushes_and_publishes() -> None:
    cmds = commands(spec_of("multi", "images.main", "Build"))
    assert cmds[-3:] == ['cd "$CODEBUILD_SRC_DIR" && bash ./odmd-build.sh',
                         'python3 "$ODMD_HELPER" push-images --commit '
                         '"$CODEBUILD_RESOLVED_SOURCE_VERSION"',
                         'python3 "$ODMD_HELPER" publish --images --products-file '
                         '"$ODMD_PRODUCTS_FILE" "$CODEBUILD_SRC_DIR"/odmd-products.json '
                         '--root "$CODEBUILD_SRC_DIR"']


def test_npm_package_packs_then_publishes_with_the_token() -> None:
    build = commands(spec_of("multi", "sdk.main", "Build"))
    # each package as the version the helper gives the enver, as under GitHub Actions
    assert any('npm ci && ODMD_NPM_EXPORTS="$(python3 "$ODMD_HELPER" npm-version .)" && eval '
               '"$ODMD_NPM_EXPORTS" && npm version --no-git-tag-version --allow-same-version '
               '"$ODMD_NPM_VERSION" && npm run build --if-present && npm pack --pack-destination'
               in c for c in build)
    publish = commands(spec_of("multi", "sdk.main", "Publish"))
    assert publish[-3:] == [
        "printf '%s:_authToken=%s\\n' //registry.npmjs.org/ \"\\${NPM_TOKEN}\" > \"$HOME/.npmrc\"",
        'python3 "$ODMD_HELPER" npm-publish "$CODEBUILD_SRC_DIR"/*.tgz',
        'python3 "$ODMD_HELPER" publish --products-file "$ODMD_PRODUCTS_FILE" '
        '"$CODEBUILD_SRC_DIR"/products-*.json --root "$CODEBUILD_SRC_DIR"',
    ]
    t = load_json("multi", "sdk/b..main.template.json")
    env = t["Resources"]["PublishProject"]["Properties"]["Environment"]["EnvironmentVariables"]
    assert {"Name": "NPM_TOKEN", "Type": "SECRETS_MANAGER", "Value": "odmd/npm-token"} in env


@pytest.mark.parametrize("ident", ["net.r1", "sdk.stable", "sdk.hotfix", "app.release"])
def test_tag_envers_build_their_tag(ident: str) -> None:
    ir = compiled("multi")
    e = ir.enver(ident)
    first = "Build"
    cmds = commands(spec_of("multi", ident, first))
    assert 'git fetch --no-tags origin "+refs/tags/$ODMD_TAG:refs/tags/$ODMD_TAG"' in cmds
    assert 'git -c advice.detachedHead=false checkout --force "refs/tags/$ODMD_TAG"' in cmds
    path = f"{e.build}/{e.revision.path}.template.json"
    t = load_json("multi", path)
    env = t["Resources"]["BuildProject"]["Properties"]["Environment"]["EnvironmentVariables"]
    assert {"Name": "ODMD_TAG", "Type": "PLAINTEXT", "Value": e.revision.value} in env
    pipeline = load_json("multi", path.replace(".template.json", ".pipeline.json"))
    source = pipeline["stages"][0]["actions"][0]["configuration"]
    assert source["OutputArtifactFormat"] == "CODEBUILD_CLONE_REF"
    assert pipeline["triggers"][0]["gitConfiguration"]["push"] == [
        {"tags": {"includes": [e.revision.value]}}]


def test_projects_carry_the_enver() -> None:
    t = load_json("multi", "app/b..main-_b..spike.template.json")
    env = {v["Name"]: v["Value"] for v in
           t["Resources"]["BuildProject"]["Properties"]["Environment"]["EnvironmentVariables"]}
    data = json.loads(env["ODMD_ENVER_JSON"])
    assert data["id"] == "app.spike"
    assert data["revision"]["path"] == "b..main-_b..spike"
    assert data["stacks"] == ["app--spike", "app-data--spike"]
    assert env["ODMD_STACKS"] == "app--spike app-data--spike"
    assert [c["name"] for c in data["consumers"]] == ["api-digest", "api-image", "cidr",
                                                       "tool", "vpc"]
    assert data["consumers"][4]["path"] == "/odmd-share/net/b..main/vpc-id"  # origin's producer
    assert [p["path"] for p in data["products"]] == [
        "/odmd-share/app/b..main-_b..spike/endpoint",
        "/odmd-share/app/b..main-_b..spike/endpoint/schema"]
    assert [p["output_key"] for p in data["products"]] == ["endpoint", "endpointSchema"]
