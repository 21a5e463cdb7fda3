"""The resolve step, run: which enver a push, a manual run or a dispatch deploys.

Each test runs the step from a generated workflow with bash (after the job's "set up odmd"
step, which writes the helper it calls), with the environment a runner gives it and `aws`
faked (fake_aws.py), and asserts its outputs, its workflow commands and the AWS calls it made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from odmdc.backends.github_actions.dispatch import APPROVED_EVENT_TYPE, REDEPLOY_EVENT_TYPE
from odmdc.compiler import naming
from tests.backends.github_actions.runner import Result, Runner, compile_org, step, workflow

WEST = "ODMD_api-CdkGHus-west-1-workspace1.yaml"
EAST = "ODMD_api-CdkGHus-east-1-workspace2.yaml"
SHA = "0123456789abcdef0123456789abcdef01234567"
RECORDS = naming.clone_records_path("api")
CENTER = "arn:aws:iam::111111111111:role/api/api-us-west-1222222222222-centerRole"


def resolve(runner: Runner, files: dict[str, str], *, event: str = "push", ref: str = "master",
            ref_type: str = "branch", message: str = "", payload: dict[str, str] | None = None,
            action: str = "", name: str = WEST, aws: str = "success") -> Result:
    job, s = step(workflow(files, name), "resolve", "resolve the ref to an enver")
    payload = payload or {}
    expressions = {
        "github.event.head_commit.message": message,
        "github.event.action": action,
        "steps.aws.outcome": aws,
        **{f"github.event.client_payload.{k}": payload.get(k, "")
           for k in ("enver", "ref", "workflow")},
    }
    env = {"GITHUB_EVENT_NAME": event, "GITHUB_REF_TYPE": ref_type, "GITHUB_REF_NAME": ref,
           "GITHUB_SHA": SHA}
    return runner.run(job, s, expressions, env)


def deployed(r: Result) -> dict[str, Any]:
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.outputs["action"] == "deploy", r.stdout
    return r.plan()


def skipped(r: Result) -> str:
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.outputs["action"] == "none"
    assert r.outputs["plan"] == "{}"
    notices = [m for c, m in r.commands if c == "notice"]
    assert len(notices) == 1, r.stdout
    return notices[0]


def failed(r: Result) -> str:
    assert r.returncode == 1, r.stdout + r.stderr
    errors = [m for c, m in r.commands if c == "error"]
    assert len(errors) == 1, r.stdout
    assert "action" not in r.outputs
    return errors[0]


# ---- declared refs ---------------------------------------------------------------------------
def test_declared_branch_deploys_its_enver_without_aws(runner: Runner,
                                                       allkinds: dict[str, str]) -> None:
    r = resolve(runner, allkinds, ref="master")
    plan = deployed(r)
    assert r.outputs["enver"] == "api.master"
    assert r.outputs["revision"] == "b..master"
    assert r.outputs["checkout"] == SHA
    assert r.outputs["create"] == "false"
    assert plan["stacks"] == ["api--master", "api-data--master"]
    assert {p["name"]: p["path"] for p in plan["products"]} == {
        "config-table": "/odmd-share/api/b..master/config-table",
        "endpoint": "/odmd-share/api/b..master/endpoint",
        "endpoint.schema": "/odmd-share/api/b..master/endpoint/schema",
    }
    assert {p["name"]: p["output_key"] for p in plan["products"]}["endpoint.schema"] == \
        "endpointSchema"
    consumers = {c["name"]: (c["path"], c["default"]) for c in plan["consumers"]}
    assert consumers["queue"] == ("/odmd-share/worker/b..main/queue",
                                  "arn:aws:sqs:us-west-1:222222222222:bootstrap")
    assert consumers["digest"] == ("/odmd-share/img/b..master/web/latestSha", None)
    assert "clone_templates" not in plan
    assert plan["center_role_arn"] == CENTER  # the enver document the helper deploys from
    assert r.calls == []


def test_declared_tag_deploys_the_tag_enver(runner: Runner, allkinds: dict[str, str]) -> None:
    r = resolve(runner, allkinds, ref="2.0.0", ref_type="tag")
    plan = deployed(r)
    assert r.outputs["enver"] == "api.rel"
    assert plan["revision"] == {"kind": "tag", "value": "2.0.0", "path": "t..2.0.0"}
    assert plan["stacks"] == ["api--t--2-0-0"]  # `stacks` is set on master only


def test_declared_clone_branch_deploys_the_clone(runner: Runner,
                                                 allkinds: dict[str, str]) -> None:
    plan = deployed(r := resolve(runner, allkinds, ref="feature-x"))
    assert r.outputs["enver"] == "api.feature-x"
    assert plan["clone_of"] == "api.master"
    assert plan["revision"]["path"] == "b..master-_b..feature-x"
    assert plan["stacks"] == ["api--feature-x", "api-data--feature-x"]


def test_manual_run_on_a_declared_ref(runner: Runner, allkinds: dict[str, str]) -> None:
    r = resolve(runner, allkinds, event="workflow_dispatch", ref="master")
    deployed(r)
    assert r.outputs["checkout"] == SHA


def test_a_command_on_a_declared_branch_is_ignored_with_a_warning(
        runner: Runner, allkinds: dict[str, str]) -> None:
    # e.g. a merge commit whose message quotes the clone's creating commit
    r = resolve(runner, allkinds, ref="master",
                message="Merge pull request #7 from kitchen/feat\n\nodmd: create@master\n")
    deployed(r)
    assert ("warning", "`odmd: create` ignored: branch `master` deploys a declared enver") in \
        r.commands


def test_branch_of_another_workflow_is_left_to_it(runner: Runner,
                                                  allkinds: dict[str, str]) -> None:
    assert skipped(resolve(runner, allkinds, ref="east")) == \
        f"branch `east` is deployed by workflow {EAST}: nothing to deploy"
    plan = deployed(resolve(runner, allkinds, ref="east", name=EAST))
    assert plan["id"] == "api.east"


def test_undeclared_tag_deploys_nothing(runner: Runner, allkinds: dict[str, str]) -> None:
    assert skipped(resolve(runner, allkinds, ref="9.9.9", ref_type="tag")) == \
        "tag `9.9.9` is not declared in the contracts: nothing to deploy"


# ---- clones made by commit commands ----------------------------------------------------------
def test_unknown_branch_without_record_deploys_nothing(runner: Runner,
                                                       allkinds: dict[str, str]) -> None:
    r = resolve(runner, allkinds, ref="wip")
    assert skipped(r).startswith("branch `wip` is not declared and is no clone")
    [call] = r.calls
    assert call["profile"] == "odmd-center"
    assert call["role"] == ("arn:aws:iam::111111111111:role/api/"
                            "api-us-west-1222222222222-centerRole")
    assert call["args"][:2] == ["--name", f"{RECORDS}/wip"]


def test_create_command_makes_a_clone_named_like_a_declared_one(
        runner: Runner, allkinds: dict[str, str]) -> None:
    r = resolve(runner, allkinds, ref="feat-y", message="Try a thing\n\nodmd: create@master\n")
    plan = deployed(r)
    assert r.outputs["create"] == "true" and plan["create"] is True
    assert r.outputs["enver"] == "api.feat-y"
    assert plan["clone_origin"] == "b..master"
    # the names a declared `clone feat-y of api.master = branch "feat-y"` gets from the compiler
    declared = compile_org({**_allkinds_sources(),
                            "more.odmd": 'clone feat-y of api.master = branch "feat-y"\n'})
    expected = deployed(resolve(Runner(runner.root / "declared"), declared, ref="feat-y"))
    for key in ("id", "clone_of", "revision", "stacks", "products", "images", "consumers"):
        assert plan[key] == expected[key], key
    assert [c["operation"] for c in r.calls] == ["get-parameter", "get-parameters-by-path"]


def _allkinds_sources() -> dict[str, str]:
    folder = Path(__file__).parent / "orgs" / "allkinds"
    return {p.name: p.read_text() for p in sorted(folder.glob("*.odmd"))}


def test_create_by_revision_path_and_of_a_tag(runner: Runner, allkinds: dict[str, str]) -> None:
    plan = deployed(resolve(runner, allkinds, ref="hotfix", message="odmd: create@t..2.0.0"))
    assert plan["revision"]["path"] == "t..2.0.0-_b..hotfix"
    assert plan["clone_of"] == "api.rel"
    assert plan["stacks"] == ["api--hotfix"]


def test_existing_record_deploys_the_clone(runner: Runner, allkinds: dict[str, str]) -> None:
    runner.ssm[f"{RECORDS}/feat-y"] = "b..master"
    r = resolve(runner, allkinds, ref="feat-y", message="more work")
    plan = deployed(r)
    assert r.outputs["create"] == "false"
    assert plan["revision"]["path"] == "b..master-_b..feat-y"
    assert plan["products"][0]["path"].startswith("/odmd-share/api/b..master-_b..feat-y/")


def test_record_of_an_origin_in_another_workflow(runner: Runner,
                                                 allkinds: dict[str, str]) -> None:
    runner.ssm[f"{RECORDS}/feat-e"] = "b..east"
    assert skipped(resolve(runner, allkinds, ref="feat-e")) == \
        "branch `feat-e` is a clone of `b..east`, deployed by another workflow: nothing to deploy"
    assert deployed(resolve(runner, allkinds, ref="feat-e", name=EAST))["clone_of"] == "api.east"


def test_create_of_an_origin_in_another_workflow(runner: Runner,
                                                 allkinds: dict[str, str]) -> None:
    assert skipped(resolve(runner, allkinds, ref="feat-e", message="odmd: create@east")) == \
        f"origin `east` is deployed by workflow {EAST}: nothing to deploy"


def test_delete_command(runner: Runner, allkinds: dict[str, str]) -> None:
    runner.ssm[f"{RECORDS}/feat-y"] = "b..master"
    r = resolve(runner, allkinds, ref="feat-y", message="odmd: delete")
    assert r.returncode == 0 and r.outputs["action"] == "delete"
    assert r.plan()["revision"]["path"] == "b..master-_b..feat-y"
    assert skipped(resolve(runner, allkinds, ref="wip", message="odmd: delete")) == \
        "`odmd: delete`: branch `wip` is no clone: nothing to deploy"


@pytest.mark.parametrize(("message", "error"), [
    ("odmd: create@nowhere", "unknown branch or tag `nowhere` in build `api`: "
     "`odmd: create@nowhere` names no enver (E201)"),
    ("odmd: create@feature-x", "`feature-x` is the revision of clone `api.feature-x`: "
     "a clone cannot be cloned (E402)"),
    ("odmd: create@master\nodmd: delete", "conflicting `odmd:` commands `create@master` and "
     "`delete` in one commit message: keep exactly one (E406)"),
    ("odmd: create@ master", "malformed `odmd:` command `odmd: create@ master`: write "
     "`odmd: create@<branch or tag>` or `odmd: delete` alone on its line (E406)"),
    ("  odmd: deleted", "malformed `odmd:` command `odmd: deleted`: write "
     "`odmd: create@<branch or tag>` or `odmd: delete` alone on its line (E406)"),
])
def test_bad_commands_fail(runner: Runner, allkinds: dict[str, str], message: str,
                           error: str) -> None:
    assert failed(resolve(runner, allkinds, ref="feat-y", message=message)) == error


def test_commands_are_read_like_odmdc_clone_reads_them(runner: Runner,
                                                       allkinds: dict[str, str]) -> None:
    # CRLF, indented (git log), repeated (squash), blanks after `odmd:` or none
    for message in ("Add retries\r\n\r\nodmd: create@master\r\n",
                    "    odmd:create@master  ", "odmd: create@master\n\nodmd: create@master\n"):
        assert deployed(resolve(runner, allkinds, ref="feat-y", message=message))["create"]
    # prose, not commands
    for message in ("* odmd: create@master", "ODMD: create@master", "see odmd: delete"):
        assert skipped(resolve(runner, allkinds, ref="feat-y", message=message)).startswith(
            "branch `feat-y` is not declared")


def test_create_on_a_branch_no_clone_can_have(runner: Runner,
                                              allkinds: dict[str, str]) -> None:
    for ref in ("feature..x", "fix_-it", "v2-hotfix"):
        assert "(E102, E103)" in failed(resolve(runner, allkinds, ref=ref,
                                               message="odmd: create@master"))
        assert skipped(resolve(runner, allkinds, ref=ref)) == \
            f"branch `{ref}` is not a revision the contracts could name: nothing to deploy"


def test_create_on_a_branch_another_enver_deploys(runner: Runner,
                                                  allkinds: dict[str, str]) -> None:
    assert failed(resolve(runner, allkinds, ref="east", message="odmd: create@master")) == (
        "`odmd: create` on branch `east`, which deploys `api.east`: clones live on branches "
        "of their own (E403, E406)")


def test_max_clones_counts_declared_and_recorded_clones(runner: Runner,
                                                        allkinds: dict[str, str]) -> None:
    # max_clones = 3; master has the declared clone feature-x
    runner.ssm[f"{RECORDS}/one"] = "b..master"
    runner.ssm[f"{RECORDS}/other"] = "t..2.0.0"
    assert deployed(resolve(runner, allkinds, ref="two", message="odmd: create@master"))
    runner.ssm[f"{RECORDS}/two"] = "b..master"
    assert failed(resolve(runner, allkinds, ref="three", message="odmd: create@master")) == \
        "`b..master` already has 3 clones, the org's max_clones is 3 (E401)"
    # re-pushing the command on an existing clone is not a new clone
    assert deployed(resolve(runner, allkinds, ref="two", message="odmd: create@master"))


def test_create_on_a_clone_of_something_else(runner: Runner, allkinds: dict[str, str]) -> None:
    runner.ssm[f"{RECORDS}/feat-y"] = "t..2.0.0"
    assert failed(resolve(runner, allkinds, ref="feat-y", message="odmd: create@master")) == \
        "branch `feat-y` is already a clone of `t..2.0.0`: push `odmd: delete` first"


def test_clone_names_must_not_take_over_another_envers(runner: Runner,
                                                       allkinds: dict[str, str]) -> None:
    # `feature.x` sanitises to the declared clone feature-x's stack names
    assert failed(resolve(runner, allkinds, ref="feature.x", message="odmd: create@master")) == (
        "a clone on branch `feature.x` would take over `api--feature-x` of api.feature-x (E105): "
        "choose another branch name")
    runner.ssm[f"{RECORDS}/feat_y"] = "b..master"
    assert "`api--feat-y` of the clone on branch feat_y (E105)" in failed(
        resolve(runner, allkinds, ref="feat.y", message="odmd: create@t..2.0.0"))


def test_record_read_errors_fail_rather_than_skip(runner: Runner,
                                                  allkinds: dict[str, str]) -> None:
    runner.env["FAKE_AWS_DENY"] = "1"
    r = resolve(runner, allkinds, ref="wip")
    assert failed(r) == f"could not read the clone record {RECORDS}/wip"
    assert "AccessDenied" in r.stderr


# ---- repository_dispatch -------------------------------------------------------------------
def dispatch(runner: Runner, files: dict[str, str], enver: str, ref: str = "",
             workflow_file: str = WEST, event_type: str = REDEPLOY_EVENT_TYPE,
             name: str = WEST) -> Result:
    """A dispatch as the cloudformation backend's central template sends it."""
    return resolve(runner, files, event="repository_dispatch", ref="main", action=event_type,
                   payload={"enver": enver, "ref": ref, "workflow": workflow_file}, name=name)


def test_dispatch_runs_the_workflow_again_on_the_envers_ref(
        runner: Runner, allkinds: dict[str, str]) -> None:
    for enver, ref, event_type in (
            ("api.master", "refs/heads/master", REDEPLOY_EVENT_TYPE),
            ("api.rel", "refs/tags/2.0.0", APPROVED_EVENT_TYPE),
            ("api.feature-x", "refs/heads/feature-x", REDEPLOY_EVENT_TYPE)):
        r = dispatch(runner, allkinds, enver, ref, event_type=event_type)
        assert r.returncode == 0 and r.outputs["action"] == "redispatch", r.stdout
        assert (r.outputs["enver"], r.outputs["checkout"]) == (enver, ref)
        assert r.calls == [] and r.commands == []


def test_dispatch_trusts_the_contracts_over_the_payload_ref(
        runner: Runner, allkinds: dict[str, str]) -> None:
    r = dispatch(runner, allkinds, "api.master", "refs/heads/main")
    assert r.outputs["checkout"] == "refs/heads/master"
    assert r.commands == [("warning", "the dispatch names ref `refs/heads/main` for "
                           "`api.master`, whose ref is `refs/heads/master`: running on "
                           "`refs/heads/master`")]


def test_dispatches_for_other_workflows_and_junk(runner: Runner,
                                                 allkinds: dict[str, str]) -> None:
    # a dispatch reaches every workflow of the repository
    assert skipped(dispatch(runner, allkinds, "api.east", workflow_file=EAST)) == \
        f"the dispatch is for workflow {EAST}: nothing to deploy"
    assert dispatch(runner, allkinds, "api.east", workflow_file=EAST,
                    name=EAST).outputs["action"] == "redispatch"
    assert skipped(dispatch(runner, allkinds, "api.nope")) == \
        "enver `api.nope` is not deployed by this workflow: nothing to deploy"
    assert skipped(dispatch(runner, allkinds, "api.master; rm -rf /")) == \
        "enver `api.master; rm -rf /` is not deployed by this workflow: nothing to deploy"
    assert failed(dispatch(runner, allkinds, "")) == \
        f"repository_dispatch `{REDEPLOY_EVENT_TYPE}` without `client_payload.enver`"


def test_redispatch_step_starts_the_workflow_on_the_ref(runner: Runner,
                                                        allkinds: dict[str, str]) -> None:
    r = dispatch(runner, allkinds, "api.rel", "refs/tags/2.0.0")
    doc = workflow(allkinds, WEST)
    job, s = step(doc, "redispatch", "start this workflow on the enver's ref")
    # and, with clones, it reads their records through the build and center roles
    assert job["permissions"] == {"actions": "write", "id-token": "write"}
    assert [x["name"] for x in job["steps"]] == [
        "start this workflow on the enver's ref", "assume the build role", "set up odmd",
        "start it on the branches of the enver's clones"]
    needs = {f"needs.resolve.outputs.{k}": v for k, v in r.outputs.items()}
    done = runner.run(job, s, {**needs, "github.token": "t0ken"})
    assert done.returncode == 0, done.stderr
    assert [t[1:] for t in done.tools] == [
        ["gh", "workflow", "run", WEST, "--repo", "kitchen/api", "--ref", "refs/tags/2.0.0"]]
    # that run is a workflow_dispatch on the tag: it deploys
    r = resolve(runner, allkinds, event="workflow_dispatch", ref="2.0.0", ref_type="tag")
    assert deployed(r)["id"] == "api.rel"


def redispatch_clones(runner: Runner, files: dict[str, str], enver: str, ref: str,
                      env: dict[str, str] | None = None) -> Result:
    """A dispatch for `enver`, then the redispatch job's step that reaches its clones."""
    r = dispatch(runner, files, enver, ref)
    assert r.outputs["action"] == "redispatch"
    job, s = step(workflow(files, WEST), "redispatch",
                  "start it on the branches of the enver's clones")
    needs = {f"needs.resolve.outputs.{k}": v for k, v in r.outputs.items()}
    return runner.run(job, s, {**needs, "github.token": "t0ken"}, env)


def test_a_dispatch_reaches_the_clones_made_by_commit_commands(
        runner: Runner, allkinds: dict[str, str]) -> None:
    runner.ssm.update({
        f"{RECORDS}/feat-a": "b..master", f"{RECORDS}/feat-b": "b..master",
        f"{RECORDS}/hotfix": "t..2.0.0",  # a clone of another enver
        f"{RECORDS}/feature-x": "b..master",  # a declared clone's branch: its own rules
        f"{RECORDS}/east-try": "b..east",  # another workflow's (same build, same region)
        f"{RECORDS}/v2-bad..name": "b..master",  # no branch a clone can live on
        "/odmd-config/img/clones/feat-a": "b..master",  # another build's
    })
    done = redispatch_clones(runner, allkinds, "api.master", "refs/heads/master")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [t[1:] for t in done.tools] == [
        ["gh", "workflow", "run", WEST, "--repo", "kitchen/api", "--ref", f"refs/heads/{b}"]
        for b in ("feat-a", "feat-b")]
    # the records are listed through the center role, read-only
    [call] = done.calls
    assert (call["profile"], call["role"], call["operation"]) == (
        "odmd-center", CENTER, "get-parameters-by-path")
    assert call["args"][call["args"].index("--path") + 1] == RECORDS
    assert done.commands == [
        ("warning", "clone record `v2-bad..name` names no branch a clone can live on: "
                    "skipped"),
        ("notice", "`api.master`: 2 of 3 clones made by commit commands will redeploy")]
    # the run on a clone's branch finds its record and deploys the clone
    r = resolve(runner, allkinds, event="workflow_dispatch", ref="feat-b")
    assert deployed(r)["id"] == "api.feat-b"
    # a tag enver's clones are reached the same way
    done = redispatch_clones(runner, allkinds, "api.rel", "refs/tags/2.0.0")
    assert [t[-1] for t in done.tools] == ["refs/heads/hotfix"]


def test_a_clone_branch_gone_does_not_hold_up_the_others(runner: Runner,
                                                         allkinds: dict[str, str]) -> None:
    runner.ssm.update({f"{RECORDS}/gone": "b..master", f"{RECORDS}/here": "b..master"})
    done = redispatch_clones(runner, allkinds, "api.master", "refs/heads/master",
                             {"FAKE_GH_FAIL": "refs/heads/gone"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert [t[-1] for t in done.tools] == ["refs/heads/gone", "refs/heads/here"]
    assert done.commands == [
        ("warning", f"could not start {WEST} on branch `gone` (clone of `api.master`): is the "
                    "branch gone without `odmd: delete`?"),
        ("notice", "`api.master`: 1 of 2 clones made by commit commands will redeploy")]


def test_no_clones_no_records_read(runner: Runner, allkinds: dict[str, str]) -> None:
    done = redispatch_clones(runner, allkinds, "api.master", "refs/heads/master")
    assert done.returncode == 0 and done.tools == []
    assert done.commands == [
        ("notice", "`api.master`: 0 of 0 clones made by commit commands will redeploy")]
    # a singleton has no clones: its redispatch job neither assumes a role nor lists records
    job = workflow(allkinds, "ODMD_contracts-CmdsGHus-west-1-workspace1.yaml")["jobs"][
        "redispatch"]
    assert job["permissions"] == {"actions": "write"}
    assert [x["name"] for x in job["steps"]] == ["start this workflow on the enver's ref"]


# ---- a build role that does not trust the branch -------------------------------------------
def test_untrusted_branch_is_no_clone_but_commands_fail(runner: Runner,
                                                        allkinds: dict[str, str]) -> None:
    r = resolve(runner, allkinds, ref="wip", aws="failure")
    assert skipped(r) == "branch `wip` is not declared: nothing to deploy"
    assert ("warning", "the build role could not be assumed on this branch, so its clone "
            "records cannot be read") in r.commands
    assert r.calls == []
    assert "`odmd: create` is not carried out" in failed(
        resolve(runner, allkinds, ref="wip", message="odmd: create@master", aws="failure"))
    # declared refs never needed the role here
    assert deployed(resolve(runner, allkinds, ref="master", aws="skipped"))


def test_other_events_deploy_nothing(runner: Runner, allkinds: dict[str, str]) -> None:
    assert skipped(resolve(runner, allkinds, event="schedule")) == \
        "event `schedule`: nothing to deploy"


# ---- untrusted input stays data ---------------------------------------------------------------
def test_hostile_refs_and_messages_are_data(runner: Runner, allkinds: dict[str, str],
                                            tmp_path: Path) -> None:
    pwned = tmp_path / "pwned"
    hostile = [f"$(touch {pwned})", f"`touch {pwned}`", f"x;touch {pwned}", "a'b\"c"]
    for text in hostile:
        r = resolve(runner, allkinds, ref=text, message=f"odmd: create@{text}\n{text}")
        assert r.returncode in (0, 1)
        assert r.outputs.get("action", "none") == "none"
        r = resolve(runner, allkinds, ref="wip", message=f"{text}\n::set-output name=action::x")
        assert r.outputs["action"] == "none"
        r = resolve(runner, allkinds, event="repository_dispatch",
                    payload={"enver": text, "ref": text, "workflow": WEST})
        assert r.outputs["action"] == "none"
    assert not pwned.exists()


def test_messages_cannot_forge_workflow_commands(runner: Runner,
                                                 allkinds: dict[str, str]) -> None:
    r = resolve(runner, allkinds, ref="wip", message="odmd: create@x\n::error::forged\n%0A")
    assert [c for c, _ in r.commands] == ["error"]
    assert "::error::forged" not in r.stdout.replace("%0A::error::forged", "")


# ---- a singleton build has no clones ---------------------------------------------------------
def test_singleton_build_resolves_declared_refs_only(runner: Runner,
                                                     allkinds: dict[str, str]) -> None:
    name = "ODMD_contracts-CmdsGHus-west-1-workspace1.yaml"
    doc = workflow(allkinds, name)
    assert doc["on"]["push"] == {"branches": ["main"]}
    assert doc["jobs"]["resolve"]["permissions"] == {}
    assert [s["name"] for s in doc["jobs"]["resolve"]["steps"]] == [
        "set up odmd", "resolve the ref to an enver"]
    assert "delete" not in doc["jobs"]
    assert deployed(resolve(runner, allkinds, ref="main", name=name))["id"] == \
        "contracts.west"
    r = resolve(runner, allkinds, ref="wip", message="odmd: create@main", name=name)
    assert skipped(r) == ("branch `wip` is not declared, and build `contracts` has no clones: "
                          "nothing to deploy")
    assert r.calls == []
