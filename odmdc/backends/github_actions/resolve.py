"""Which enver a GitHub workflow run deploys, and which clones a dispatch reaches: the part of
odmd's deploy-time helper only GitHub's resolve and redispatch jobs run, written beside the
helper as `odmd_resolve.py` (docs/runtime.md).

    resolve            step outputs `action` (deploy, delete, redispatch or none), `enver`,
                       `revision`, `checkout`, `create` and `plan` (the enver document)
    redispatch-clones  start the workflow on the branch of each clone of the dispatched enver

What `resolve` reads (the workflow's resolve step sets it):
    ODMD_ENVERS        this workflow's envers: revision path -> enver document, origins with
                       the templates of their run-time clones' names (tables.py)
    ODMD_BUILD_ENVERS  every enver of the build: id, revision, clone_of, workflow, names
    ODMD_CLONES        "true" when the build may have clones made by commit commands
    ODMD_AWS           the outcome of assuming the build role ("success" when it could)
    ODMD_HEAD_MESSAGE, ODMD_DISPATCH_*: untrusted, used as data only

A clone made at run time by an `odmd: create@<origin>` commit gets its origin's names with
the templates' marker replaced, character by character as `odmdc.compiler.naming` sanitises
them (tests hold the two equal). Its record, `<ODMD_CLONE_RECORDS>/<branch>` in the central
config store (value: the origin's revision path), says which enver the branch is a clone of.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from typing import Any, NoReturn

from odmdc.backends.runtime.helper import (
    CENTER,
    AwsError,
    Failure,
    append_github_file,
    aws,
    env,
    read_parameter,
    run,
    say,
)

BLANKS = " \t\n\v\f\r"  # bash's [:space:] in the C locale, as `odmdc clone` reads messages
_CLONE_BRANCH = re.compile(r"[A-Za-z0-9_.-]+")
_CREATE = re.compile(r"create@([^ \t\n\v\f\r]+)")
_NOT_STACK = re.compile(r"[^A-Za-z0-9]")
_NOT_ECR = re.compile(r"[^a-z0-9/-]")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]")
_STACK = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


def region() -> str:
    return env("ODMD_REGION")


# ---- resolve -------------------------------------------------------------------------------
class Resolved(Exception):
    """The run's outcome: what `resolve` writes as step outputs."""

    def __init__(self, action: str = "none", enver: str = "", revision: str = "",
                 checkout: str = "", plan: dict[str, Any] | None = None) -> None:
        super().__init__(action)
        self.values = {"action": action, "enver": enver, "revision": revision,
                       "checkout": checkout,
                       "create": "true" if plan and plan.get("create") else "false",
                       "plan": json.dumps(plan or {}, separators=(",", ":"))}


def skip(why: str) -> NoReturn:
    say("notice", f"{why}: nothing to deploy")
    raise Resolved()


def valid_clone_branch(branch: str) -> bool:
    """A branch a clone can live on (rules E102, E103)."""
    return bool(_CLONE_BRANCH.fullmatch(branch)) and ".." not in branch and \
        "_-" not in branch and "-_" not in branch and branch[:1] not in "vV"


def parse_command(message: str) -> tuple[str, str]:
    """(`create`, origin), (`delete`, "") or ("", ""): `odmd:` lines read as `odmdc clone`
    reads them (rule E406)."""
    first = ""
    for line in message.split("\n"):
        body = line.lstrip(BLANKS)
        if not body.startswith("odmd:"):
            continue
        rest = body[len("odmd:"):].strip(BLANKS)
        if rest == "delete":
            key = "delete"
        elif m := _CREATE.fullmatch(rest):
            key = f"create@{m.group(1)}"
        else:
            raise Failure(f"malformed `odmd:` command `{body.rstrip(BLANKS)}`: write `odmd: "
                          "create@<branch or tag>` or `odmd: delete` alone on its line (E406)")
        if not first:
            first = key
        elif key != first:
            raise Failure(f"conflicting `odmd:` commands `{first}` and `{key}` in one commit "
                          "message: keep exactly one (E406)")
    if first == "delete":
        return "delete", ""
    if first:
        return "create", first.removeprefix("create@")
    return "", ""


class Build:
    """What the resolve step knows: this workflow's envers and every enver of the build."""

    def __init__(self) -> None:
        self.ours: dict[str, dict[str, Any]] = json.loads(env("ODMD_ENVERS"))
        self.all: list[dict[str, Any]] = json.loads(env("ODMD_BUILD_ENVERS"))
        self.id = env("ODMD_BUILD")
        self.records = env("ODMD_CLONE_RECORDS")

    def lookup(self, kind: str, value: str) -> tuple[str, dict[str, Any]]:
        """Our revision path of the ref, and the build's enver on it (either may be empty)."""
        def hit(e: dict[str, Any]) -> bool:
            return bool(e["revision"]["kind"] == kind and e["revision"]["value"] == value)
        ours = next((path for path, e in self.ours.items() if hit(e)), "")
        return ours, next((e for e in self.all if hit(e)), {})

    def declared(self, path: str) -> dict[str, Any]:
        plan = {k: v for k, v in self.ours[path].items() if k != "clone_templates"}
        return {**plan, "create": False}

    def clone(self, origin: str, branch: str) -> dict[str, Any]:
        """The document of origin `origin`'s clone on `branch`, as naming makes its names."""
        o = self.ours[origin]
        t = o["clone_templates"]
        if t["unclonable"]:
            raise Failure(f"no clone of `{origin}` on branch `{branch}`: {t['unclonable']}")
        mark = t["mark"]
        rev = t["revision"].replace(mark, branch)
        stack_rev = _NOT_STACK.sub("-", branch)
        ecr_rev = _NOT_ECR.sub("", rev.lower())
        plan = {k: v for k, v in o.items() if k != "clone_templates"}
        plan |= {
            "id": f"{self.id}.{clone_enver_name(branch)}",
            "clone_of": o["id"],
            "clone_origin": origin,
            "create": False,
            "revision": {"kind": "branch", "value": branch, "path": rev},
            "stacks": [stack_ends(s.replace(mark, stack_rev)) for s in t["stacks"]],
            "products": [{**p, "path": t["products"][p["name"]].replace(mark, rev)}
                         for p in o["products"]],
            "images": [{**i, "repository": t["images"][i["name"]].replace(mark, ecr_rev)}
                       for i in o["images"]],
        }
        problems = [
            *(f"stack name `{s}` is not a valid CloudFormation stack name (at most 128 "
              "letters, digits and `-`, a letter first)" for s in plan["stacks"]
              if not _STACK.fullmatch(s) or len(s) > 128),
            *(f"ECR repository `{i['repository']}` is longer than 256" for i in plan["images"]
              if len(i["repository"]) > 256),
            *(f"parameter `{p['path']}` is longer than 1011" for p in plan["products"]
              if len(p["path"]) > 1011),
        ]
        if problems:
            raise Failure(f"a clone on branch `{branch}` would break AWS limits (E106): "
                          + "; ".join(problems))
        return plan

    def origin(self, text: str) -> str:
        """The revision path of a commit command's origin (as
        `odmdc.compiler.clones.dynamic.find_origin` finds it); fails or skips."""
        kind, value = "", text
        for prefix, k in (("b..", "branch"), ("t..", "tag")):
            if text.startswith(prefix) and len(text) > len(prefix):
                kind, value = k, text[len(prefix):]
        found = [e for e in self.all if e["revision"]["value"] == value
                 and (not kind or e["revision"]["kind"] == kind)]
        declared = [e for e in found if e["clone_of"] is None]
        found = declared or found
        if not found:
            raise Failure(f"unknown branch or tag `{value}` in build `{self.id}`: `odmd: "
                          f"create@{text}` names no enver (E201)")
        if len(found) > 1:
            raise Failure(f"`{text}` is the revision of {len(found)} envers of build "
                          f"`{self.id}`: write `odmd: create@b..{value}` or `odmd: "
                          f"create@t..{value}` (E406)")
        if found[0]["clone_of"]:
            raise Failure(f"`{text}` is the revision of clone `{found[0]['id']}`: a clone "
                          "cannot be cloned (E402)")
        path: str = found[0]["revision"]["path"]
        if path not in self.ours:
            skip(f"origin `{text}` is deployed by workflow {found[0]['workflow']}")
        return path

    def record(self, branch: str) -> str:
        """The origin's revision path the branch's clone record holds, or ""."""
        name = f"{self.records}/{branch}"
        try:
            return read_parameter(name, region()) or ""
        except AwsError as err:
            if err.stderr:
                print(err.stderr, file=sys.stderr)
            raise Failure(f"could not read the clone record {name}") from err

    def check_new_clone(self, origin: str, branch: str, plan: dict[str, Any]) -> None:
        """Rules E401 (max_clones) and E105 (no two envers share a stack or repository) for a
        new clone: against the build's envers and the other recorded clones."""
        listed = aws("ssm", "get-parameters-by-path", "--path", self.records,
                     region=region(), profile=CENTER)
        others = [r for r in listed.get("Parameters", [])
                  if r["Name"] != f"{self.records}/{branch}"]
        count = sum(1 for e in self.all if e["clone_of"] == self.ours[origin]["id"]) + \
            sum(1 for r in others if r["Value"] == origin)
        limit = int(env("ODMD_MAX_CLONES"))
        if count >= limit:
            raise Failure(f"`{origin}` already has {count} clones, the org's max_clones is "
                          f"{limit} (E401)")
        taken = [(name, e["id"]) for e in self.all
                 for name in (*e.get("stacks", []), *e.get("repositories", []))]
        ours = _NOT_STACK.sub("-", branch)
        for r in others:
            other = r["Name"].split("/")[-1]
            if _NOT_STACK.sub("-", other) == ours:  # a clone whose stacks would be the same
                taken += [(s, f"the clone on branch {other}") for s in plan["stacks"]]
        mine = {*plan["stacks"], *(i["repository"] for i in plan["images"])}
        clash = next((f"`{name}` of {owner}" for name, owner in taken if name in mine), None)
        if clash:
            raise Failure(f"a clone on branch `{branch}` would take over {clash} (E105): choose "
                          "another branch name")


def stack_ends(s: str) -> str:
    if s.startswith("-"):
        s = "A" + s[1:]
    if s.endswith("-"):
        s = s[:-1] + "Z"
    return s


def clone_enver_name(branch: str) -> str:
    name = _NOT_NAME.sub("-", branch)
    return name if name[:1].isalpha() or name[:1] == "_" else "_" + name


def need_aws(command: str, branch: str) -> None:
    """Clone records need the build role, which may not trust this branch."""
    if env("ODMD_AWS", "success") == "success":
        return
    why = "the build role could not be assumed on this branch, so its clone records cannot be " \
          "read"
    if command != "push":
        raise Failure(f"{why}: `odmd: {command}` is not carried out (does the build role trust "
                      "refs/heads/* of this repository?)")
    say("warning", why)
    skip(f"branch `{branch}` is not declared")


def resolve_ref(b: Build) -> NoReturn:
    """A push or a manual run: the ref that was pushed or chosen."""
    kind, value = env("GITHUB_REF_TYPE"), env("GITHUB_REF_NAME")
    if kind not in ("branch", "tag"):
        skip(f"ref type `{kind}`")
    checkout = env("GITHUB_SHA")
    command, origin_text = parse_command(env("ODMD_HEAD_MESSAGE", ""))
    path, owner = b.lookup(kind, value)
    if path:
        if command:
            say("warning", f"`odmd: {command}` ignored: {kind} `{value}` deploys a declared "
                "enver")
        plan = b.declared(path)
        raise Resolved("deploy", plan["id"], path, checkout, plan)
    if owner:
        if command:
            raise Failure(f"`odmd: {command}` on {kind} `{value}`, which deploys "
                          f"`{owner['id']}`: clones live on branches of their own (E403, E406)")
        skip(f"{kind} `{value}` is deployed by workflow {owner['workflow']}")
    if kind != "branch":
        skip(f"tag `{value}` is not declared in the contracts")
    if env("ODMD_CLONES") != "true":
        skip(f"branch `{value}` is not declared, and build `{b.id}` has no clones")
    if not valid_clone_branch(value):
        if command:
            raise Failure(f"branch `{value}` cannot hold a clone: a revision is letters, "
                          "digits and `_.-`, without `..`, `_-` or `-_`, and a branch may not "
                          "start with `v` (E102, E103)")
        skip(f"branch `{value}` is not a revision the contracts could name")
    need_aws(command or "push", value)
    if command == "create":
        origin = b.origin(origin_text)
        record = b.record(value)
        if record and record != origin:
            raise Failure(f"branch `{value}` is already a clone of `{record}`: push `odmd: "
                          "delete` first")
        plan = b.clone(origin, value)
        if not record:
            b.check_new_clone(origin, value, plan)
        plan["create"] = True
        raise Resolved("deploy", plan["id"], plan["revision"]["path"], checkout, plan)
    record = b.record(value)
    if not record:
        skip(f"`odmd: delete`: branch `{value}` is no clone" if command == "delete" else
             f"branch `{value}` is not declared and is no clone (push `odmd: create@<branch "
             "or tag>` to make it one)")
    if record not in b.ours:
        skip(f"branch `{value}` is a clone of `{record}`, deployed by another workflow")
    plan = b.clone(record, value)
    raise Resolved("delete" if command == "delete" else "deploy", plan["id"],
                   plan["revision"]["path"], checkout, plan)


def resolve_dispatch(b: Build) -> NoReturn:
    """repository_dispatch: a consumed product changed, or an approver released the change.
    The central template names the enver, its ref and its workflow (cloudformation backend,
    events.py). Such a run starts on the default branch, where the build role would not trust
    its OIDC token: the run starts this workflow again on the enver's own ref
    (`redispatch`), and that run deploys."""
    ident, wanted = env("ODMD_DISPATCH_ENVER", ""), env("ODMD_DISPATCH_WORKFLOW", "")
    if not ident:
        raise Failure(f"repository_dispatch `{env('ODMD_DISPATCH_TYPE', '')}` without "
                      "`client_payload.enver`")
    if wanted and wanted != env("ODMD_WORKFLOW"):
        skip(f"the dispatch is for workflow {wanted}")
    path = next((p for p, e in b.ours.items() if e["id"] == ident), "")
    if not path:
        skip(f"enver `{ident}` is not deployed by this workflow")
    plan = b.declared(path)
    rev = plan["revision"]
    ref = f"refs/{'tags' if rev['kind'] == 'tag' else 'heads'}/{rev['value']}"
    given = env("ODMD_DISPATCH_REF", "")
    if given and given != ref:
        say("warning", f"the dispatch names ref `{given}` for `{ident}`, whose ref is `{ref}`: "
            f"running on `{ref}`")
    raise Resolved("redispatch", plan["id"], path, ref, plan)


def cmd_resolve(args: argparse.Namespace) -> None:
    event = env("GITHUB_EVENT_NAME")
    try:
        if event in ("push", "workflow_dispatch"):
            resolve_ref(Build())
        elif event == "repository_dispatch":
            resolve_dispatch(Build())
        skip(f"event `{event}`")
    except Resolved as done:
        append_github_file("GITHUB_OUTPUT", done.values)


# ---- a dispatch reaches the clones ---------------------------------------------------
def cmd_redispatch_clones(args: argparse.Namespace) -> None:
    """A dispatch for an enver reaches the clones commit commands made of it too: they read
    the same producers with the same reactions, yet no central rule names them. Their records
    say which enver each is a clone of: start this workflow on the branch of every record whose
    origin is the dispatched enver. That run finds the record and deploys the clone."""
    records = env("ODMD_CLONE_RECORDS")
    listed = aws("ssm", "get-parameters-by-path", "--path", records, region=region(),
                 profile=CENTER)
    declared = set(json.loads(env("ODMD_DECLARED_BRANCHES")))
    origin, workflow, enver = env("ODMD_ORIGIN"), env("ODMD_WORKFLOW"), env("ODMD_ENVER")
    branches = sorted({r["Name"].split("/")[-1] for r in listed.get("Parameters", [])
                       if r["Value"] == origin} - declared)
    started = 0
    for branch in branches:
        # a record's name is data: only a branch a clone can live on (E102, E103) is used
        if not valid_clone_branch(branch):
            say("warning", f"clone record `{branch}` names no branch a clone can live on: "
                "skipped")
            continue
        done = subprocess.run(["gh", "workflow", "run", workflow, "--repo",
                               env("GITHUB_REPOSITORY"), "--ref", f"refs/heads/{branch}"],
                              check=False)
        # a clone whose branch is gone (deleted without `odmd: delete`) must not hold up the
        # others
        if done.returncode == 0:
            started += 1
        else:
            say("warning", f"could not start {workflow} on branch `{branch}` (clone of "
                f"`{enver}`): is the branch gone without `odmd: delete`?")
    say("notice", f"`{enver}`: {started} of {len(branches)} clones made by commit commands "
        "will redeploy")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="odmd_resolve.py", description="which enver a GitHub "
                                "workflow run deploys (docs/runtime.md)")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("resolve").set_defaults(run=cmd_resolve)
    sub.add_parser("redispatch-clones").set_defaults(run=cmd_redispatch_clones)
    return p


if __name__ == "__main__":
    sys.exit(run(parser().parse_args(sys.argv[1:])))
