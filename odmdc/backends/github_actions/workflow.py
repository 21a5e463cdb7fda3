"""One workflow: a build's envers in one account and region, from trigger to published
products.

```
on: push (the envers' branches and tags; any branch a clone could live on), workflow_dispatch,
    repository_dispatch (odmd-redeploy, odmd-approved)
jobs:
  resolve     which enver is this? (declared ref, commit command, clone record, dispatch)
  redispatch  a dispatch runs this workflow again on the enver's ref, where OIDC trusts it,
              and on the branches of the clones commit commands made of it
  deploy   check out, assume the build role, read consumed values, build by kind, publish
  delete   (builds with clones) `odmd: delete` on a clone's branch
```
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from odmdc.backends.github_actions import scripts
from odmdc.backends.github_actions.actions import CHECKOUT, CONFIGURE_AWS, SETUP_NODE
from odmdc.backends.github_actions.dispatch import APPROVED_EVENT_TYPE, REDEPLOY_EVENT_TYPE
from odmdc.backends.github_actions.options import GithubActionsOptions
from odmdc.backends.github_actions.scripts import DEPLOY, DEPLOYER, HELPER, RESOLVE, RESOLVER
from odmdc.backends.github_actions.tables import build_entry, enver_entry
from odmdc.backends.runtime.document import ENVER_JSON
from odmdc.compiler import naming
from odmdc.compiler.ir import IR, Build, Enver

BUILD_STEP = {
    "cdk": ("deploy the stacks", ("npm-install.sh", "build-cdk.sh")),
    "container_image": ("build and push the images", ("build-image.sh",)),
    "cmd": ("run the build script", ("build-cmd.sh",)),
    "npm_package": ("build and publish the package", ("npm-install.sh", "build-npm.sh")),
}
#: where each kind's build may give product values besides $ODMD_PRODUCTS_FILE
PUBLISH_SOURCES = {"cdk": "--stack-outputs ", "container_image": "--images "}
RESOLVED = ("action", "enver", "revision", "checkout", "create", "plan")
#: Linux limits each environment string to 128 KiB (MAX_ARG_STRLEN), name and `=` included
ENV_LIMIT = 131072 - 64
#: GitHub runs no workflow whose file is over 500 KB (512,000 bytes: "Actions limits")
FILE_LIMIT = 512_000


@dataclass(frozen=True)
class Group:
    """The envers one workflow file deploys (declared envers and declared clones)."""

    build: Build
    envers: tuple[Enver, ...]
    #: whether commit commands can make clones of the build (`IR.may_have_clones`: it is no
    #: singleton and the org's `max_clones` is above 0); the cloudformation backend's build
    #: role then trusts every branch of the repository, and its roles admit the clones' names
    clones: bool

    @property
    def first(self) -> Enver:
        return self.envers[0]

    @property
    def file(self) -> str:
        return self.first.names.workflow_file


def _compact(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def _json(data: Any, depth: int = 0) -> str:
    """JSON for people as well: the outer two levels of objects one key per line, arrays of
    objects one object per line, everything deeper on one line."""
    pad = "  " * depth
    if isinstance(data, dict) and data and depth < 2:
        items = [f"{pad}  {json.dumps(k)}: {_json(data[k], depth + 1)}" for k in sorted(data)]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(data, list) and data and all(isinstance(x, dict) for x in data):
        if depth == 0:
            return "[\n" + ",\n".join(f"{pad}  {_json(x, depth + 1)}" for x in data) + "\n]"
        return "[\n" + ",\n".join(f"{pad}  {_compact(x)}" for x in data) + f"\n{pad}]"
    return _compact(data)


def _refs(g: Group) -> list[str]:
    return sorted({f"refs/{'heads' if e.revision.kind == 'branch' else 'tags'}/{e.revision.value}"
                   for e in g.envers})


def triggers(g: Group, ir: IR) -> dict[str, Any]:
    branches = sorted({e.revision.value for e in g.envers if e.revision.kind == "branch"})
    tags = sorted({e.revision.value for e in g.envers if e.revision.kind == "tag"})
    push: dict[str, Any] = {}
    if g.clones:
        # a clone can live on any branch whose name is a valid revision (E102: no `/`, so `*`
        # covers them) that does not start with `v` (E103); the resolve job sorts them out
        push["branches"] = ["*", "!v*", "!V*"]
    elif branches:
        push["branches"] = branches
    if tags:
        push["tags"] = tags
    types = [REDEPLOY_EVENT_TYPE]
    if any(c.reaction.kind == "approve" for e in g.envers for c in e.consumers):
        types.append(APPROVED_EVENT_TYPE)
    return {"push": push, "workflow_dispatch": {}, "repository_dispatch": {"types": sorted(types)}}


def _configure_aws(g: Group, session: str, condition: str | None = None) -> dict[str, Any]:
    step: dict[str, Any] = {"name": "assume the build role"}
    if condition:
        # resolve: only to read clone records, and a ref the role does not trust is no error
        step |= {"id": "aws", "if": condition, "continue-on-error": True}
    step["uses"] = CONFIGURE_AWS.uses
    step["with"] = {
        "role-to-assume": g.first.names.build_role_arn,
        "role-session-name": session,
        "aws-region": g.first.region,
    }
    return step


def _names_env(g: Group, ir: IR) -> dict[str, Any]:
    e = g.first
    return {
        "ODMD_BUILD": g.build.id,
        "ODMD_KIND": g.build.kind,
        "ODMD_ACCOUNT": e.account_id,
        "ODMD_REGION": e.region,
        "ODMD_CENTER_ROLE_ARN": e.names.center_role_arn,
        "ODMD_CLONE_RECORDS": naming.clone_records_path(g.build.id),
    }


def resolve_job(g: Group, ir: IR, options: GithubActionsOptions) -> dict[str, Any]:
    ours = {e.revision.path: enver_entry(e, g.clones) for e in g.envers}
    build = sorted((build_entry(ir.enver(i)) for i in g.build.envers), key=lambda x: x["id"])
    env = {
        **_names_env(g, ir),
        "ODMD_WORKFLOW": g.file,
        "ODMD_CLONES": "true" if g.clones else "false",
        "ODMD_MAX_CLONES": str(ir.org.max_clones),
        **({"ODMD_AWS": "${{ steps.aws.outcome }}"} if g.clones else {}),
        "ODMD_HEAD_MESSAGE": "${{ github.event.head_commit.message }}",
        "ODMD_DISPATCH_TYPE": "${{ github.event.action }}",
        # the payload the cloudformation backend's central template sends (its events.py)
        "ODMD_DISPATCH_ENVER": "${{ github.event.client_payload.enver }}",
        "ODMD_DISPATCH_REF": "${{ github.event.client_payload.ref }}",
        "ODMD_DISPATCH_WORKFLOW": "${{ github.event.client_payload.workflow }}",
        "ODMD_ENVERS": _json(ours),
        "ODMD_BUILD_ENVERS": _json(build),
    }
    steps: list[dict[str, Any]] = []
    if g.clones:
        # clone records are read through the center role; declared refs and dispatches need
        # no AWS at all
        refs = json.dumps(_refs(g), separators=(",", ":"))
        condition = (f"github.event_name != 'repository_dispatch' && "
                     f"!contains(fromJSON('{refs}'), github.ref)")
        steps.append(_configure_aws(g, "odmd-resolve", condition))
    steps.append(_setup(deploys=False))
    steps.append({"name": "resolve the ref to an enver", "id": "resolve", "env": env,
                  "run": scripts.call(f"{RESOLVER} resolve")})
    return {
        "name": "resolve the enver",
        "runs-on": options.runner,
        "timeout-minutes": 10,
        "permissions": {"id-token": "write"} if g.clones else {},
        "outputs": {k: f"${{{{ steps.resolve.outputs.{k} }}}}" for k in RESOLVED},
        "steps": steps,
    }


def _job_env(g: Group, ir: IR, options: GithubActionsOptions) -> dict[str, Any]:
    env = {
        **_names_env(g, ir),
        "ODMD_ENVER": "${{ needs.resolve.outputs.enver }}",
        "ODMD_REVISION": "${{ needs.resolve.outputs.revision }}",
        ENVER_JSON: "${{ needs.resolve.outputs.plan }}",
        "ODMD_WORK_DIRS": json.dumps(list(g.build.work_dirs) or ["."]),
    }
    kind = g.build.kind
    if kind in ("cmd", "container_image"):
        env["ODMD_BUILD_SCRIPT"] = options.build_script
    if kind == "cmd":
        env["ODMD_DELETE_SCRIPT"] = options.delete_script
    if kind == "cdk":
        env["ODMD_CDK_CLI_VERSION"] = options.cdk_cli_version
    return env


def _setup(deploys: bool) -> dict[str, Any]:
    """Writes the helper once per job (RUNNER_TEMP is the job's); the deploy and delete
    jobs' also hands their later steps what a build sees."""
    part = DEPLOY if deploys else RESOLVE
    return {"name": scripts.SETUP_STEP, "run": scripts.setup(part, deploys)}


def _checkout() -> dict[str, Any]:
    return {"name": "check out the enver's revision", "uses": CHECKOUT.uses,
            "with": {"ref": "${{ needs.resolve.outputs.checkout }}", "persist-credentials": False}}


def _concurrency(g: Group) -> dict[str, Any]:
    # one deployment per enver at a time, across workflows and triggers; a newer run waits
    return {"group": f"odmd-{g.build.id}-${{{{ needs.resolve.outputs.revision }}}}",
            "cancel-in-progress": False}


def deploy_job(g: Group, ir: IR, options: GithubActionsOptions) -> dict[str, Any]:
    kind = g.build.kind
    permissions = {"contents": "read", "id-token": "write"}
    steps: list[dict[str, Any]] = [_checkout()]
    if kind in ("cdk", "npm_package"):
        # no dependency cache: a deployment must not restore what another branch saved
        node: dict[str, Any] = {"node-version": options.node_version,
                                "package-manager-cache": False}
        if kind == "npm_package":
            node["registry-url"] = options.npm_registry
        steps.append({"name": "set up Node.js", "uses": SETUP_NODE.uses, "with": node})
    steps.append(_configure_aws(g, "odmd-deploy"))
    steps.append(_setup(deploys=True))
    if g.clones:
        steps.append({"name": "record the new clone",
                      "if": "needs.resolve.outputs.create == 'true'",
                      "run": scripts.call(f"{DEPLOYER} record-clone")})
    if kind != "container_image":  # which consumes nothing (E303)
        steps.append({"name": "read the consumed values",
                      "run": scripts.call(f"{HELPER} consume")})
    title, build_scripts = BUILD_STEP[kind]
    build: dict[str, Any] = {"name": title}
    if kind == "npm_package":
        if options.github_packages:
            permissions["packages"] = "write"
            token = "${{ secrets.GITHUB_TOKEN }}"
        else:
            token = f"${{{{ secrets.{g.first.names.workflow_secret} }}}}"
        build["env"] = {"NODE_AUTH_TOKEN": token}
    build["run"] = scripts.run(*build_scripts)
    steps.append(build)
    env = _job_env(g, ir, options)
    steps.append({"name": "publish the products", "run": scripts.call(
        f"{HELPER} publish {PUBLISH_SOURCES.get(kind, '')}"
        '--products-file "$ODMD_PRODUCTS_FILE" --root "$GITHUB_WORKSPACE"')})
    return {
        "name": "deploy ${{ needs.resolve.outputs.enver }}",
        "needs": "resolve",
        "if": "needs.resolve.outputs.action == 'deploy'",
        "runs-on": options.runner,
        "timeout-minutes": options.timeout_minutes,
        "permissions": permissions,
        "concurrency": _concurrency(g),
        "env": env,
        "steps": steps,
    }


def delete_job(g: Group, ir: IR, options: GithubActionsOptions) -> dict[str, Any]:
    permissions = {"id-token": "write"}
    steps: list[dict[str, Any]] = []
    if g.build.kind == "cmd":  # the repository's delete script, in its last work directory
        permissions = {"contents": "read", **permissions}
        steps.append(_checkout())
    steps.append(_configure_aws(g, "odmd-delete"))
    steps.append(_setup(deploys=True))
    steps.append({"name": "delete the clone", "run": scripts.call(f"{DEPLOYER} delete-clone")})
    return {
        "name": "delete clone ${{ needs.resolve.outputs.enver }}",
        "needs": "resolve",
        "if": "needs.resolve.outputs.action == 'delete'",
        "runs-on": options.runner,
        "timeout-minutes": options.timeout_minutes,
        "permissions": permissions,
        "concurrency": _concurrency(g),
        "env": _job_env(g, ir, options),
        "steps": steps,
    }


def redispatch_job(g: Group, ir: IR, options: GithubActionsOptions) -> dict[str, Any]:
    """A `repository_dispatch` run starts this workflow again on the enver's ref — and, for a build
    with clones, on the branch of each clone a commit command made of that enver: they read the same
    producers with the same reactions (docs/semantics.md#clones), but no central rule names them.
    Their records (`/odmd-config/<build>/clones/<branch>`, value the origin's revision path) are
    listed through the center role (resolve.py, `redispatch-clones`)."""
    steps: list[dict[str, Any]] = [{"name": "start this workflow on the enver's ref", "env": {
        "GH_TOKEN": "${{ github.token }}",
        "ODMD_WORKFLOW": g.file,
        "ODMD_ENVER": "${{ needs.resolve.outputs.enver }}",
        "ODMD_REF": "${{ needs.resolve.outputs.checkout }}",
    }, "run": scripts.run("redispatch.sh")}]
    permissions = {"actions": "write"}
    if g.clones:
        permissions["id-token"] = "write"
        declared = sorted({ir.enver(i).revision.value for i in g.build.envers
                           if ir.enver(i).revision.kind == "branch"})
        steps.append(_configure_aws(g, "odmd-redispatch"))
        steps.append(_setup(deploys=False))
        steps.append({"name": "start it on the branches of the enver's clones", "env": {
            **_names_env(g, ir),
            "GH_TOKEN": "${{ github.token }}",
            "ODMD_WORKFLOW": g.file,
            "ODMD_ENVER": "${{ needs.resolve.outputs.enver }}",
            "ODMD_ORIGIN": "${{ needs.resolve.outputs.revision }}",
            "ODMD_DECLARED_BRANCHES": json.dumps(declared, separators=(",", ":")),
        }, "run": scripts.call(f"{RESOLVER} redispatch-clones")})
    return {
        "name": "run on ${{ needs.resolve.outputs.checkout }}",
        "needs": "resolve",
        "if": "needs.resolve.outputs.action == 'redispatch'",
        "runs-on": options.runner,
        "timeout-minutes": 5,
        "permissions": permissions,
        "steps": steps,
    }


def document(g: Group, ir: IR, options: GithubActionsOptions) -> dict[str, Any]:
    jobs = {"resolve": resolve_job(g, ir, options), "redispatch": redispatch_job(g, ir, options),
            "deploy": deploy_job(g, ir, options)}
    if g.clones:
        jobs["delete"] = delete_job(g, ir, options)
    return {
        "name": g.file.removesuffix(".yaml"),
        "on": triggers(g, ir),
        "permissions": {},
        "defaults": {"run": {"shell": "bash"}},
        "jobs": jobs,
    }


def header(g: Group, ir: IR) -> list[str]:
    e = g.first
    lines = [
        f"Generated by odmdc from the contracts of org `{ir.org.name}`: do not edit, change the",
        "contracts and recompile.",
        "",
        f"Build `{g.build.id}` ({g.build.kind}) of {g.build.repo},",
        f"deployed to account {e.account_alias} ({e.account_id}) in {e.region}:",
    ]
    width = max(len(x.name) for x in g.envers)
    for x in g.envers:
        what = f"{x.revision.kind} {x.revision.value}"
        if x.clone_of:
            what = f"clone of {x.clone_of.split('.', 1)[1]}, {what}"
        stacks = f"; stacks {', '.join(x.names.stacks)}" if x.names.stacks else ""
        lines.append(f"  {x.name.ljust(width)}  {what}{stacks}")
    if g.clones:
        lines += ["Clones: push `odmd: create@<branch or tag>` to a new branch to deploy a copy of",
                  "that enver there; `odmd: delete` on the branch removes it. A redeploy of the",
                  "enver reaches its clones too."]
    if g.build.kind == "cdk":
        keys = sorted({(p.name, p.output_key) for x in g.envers for p in x.products})
        if keys:
            lines.append("Products: the stack output named on the right, or $ODMD_PRODUCTS_FILE:")
            lines += [f"  {name} <- output {key}" for name, key in keys]
    return lines


def oversized_env(document: dict[str, Any]) -> int:
    """The size of the largest literal `env:` value if it is over ENV_LIMIT, else 0."""
    sizes = [len(v.encode()) for job in document["jobs"].values()
             for env in (job.get("env", {}), *(s.get("env", {}) for s in job["steps"]))
             for v in env.values() if isinstance(v, str)]
    biggest = max(sizes, default=0)
    return biggest if biggest > ENV_LIMIT else 0
