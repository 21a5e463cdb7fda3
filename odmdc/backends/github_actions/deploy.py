"""What GitHub's deploy and delete jobs need beside odmd's deploy-time helper, written beside
it as `odmd_deploy.py` (docs/runtime.md).

    record-clone       record the clone an `odmd: create@…` commit made
    delete-clone       `odmd: delete`: remove the clone's stacks or repositories, products
                       and record
    work-dirs [--require SCRIPT]
                       the build's work directories, checked, one a line
    single-image SCRIPT DIR
                       the one image a container_image build without SCRIPT in DIR builds
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from odmdc.backends.runtime.helper import (
    AwsError,
    Failure,
    aws,
    data_on_stdout,
    delete_parameter,
    document,
    env,
    put_parameter,
    run,
    say,
)


# ---- clones --------------------------------------------------------------------------------
def cmd_record_clone(args: argparse.Namespace) -> None:
    """Record the clone an `odmd: create@…` commit made, before its first deployment, so that
    later pushes to its branch find it (and `odmd: delete` removes it)."""
    doc = document()
    branch = doc["revision"]["value"]
    put_parameter(f"{env('ODMD_CLONE_RECORDS')}/{branch}", doc["clone_origin"], doc["region"])
    say("notice", f"branch `{branch}` is now clone `{doc['id']}` of `{doc['clone_of']}`")


def cmd_delete_clone(args: argparse.Namespace) -> None:
    """`odmd: delete` on a clone's branch: remove what the clone deployed (its stacks, its ECR
    repositories, or what the repository's delete script removes), its products and its
    record, the record last. Published npm versions stay."""
    doc = document()
    reg, kind = doc["region"], doc["kind"]
    if kind == "cdk":
        for stack in reversed(doc["stacks"]):
            aws("cloudformation", "delete-stack", "--stack-name", stack, region=reg,
                output=False)
            aws("cloudformation", "wait", "stack-delete-complete", "--stack-name", stack,
                region=reg, output=False)
    elif kind == "container_image":
        for image in doc["images"]:
            try:
                aws("ecr", "delete-repository", "--repository-name", image["repository"],
                    "--force", region=reg)
            except AwsError as err:
                if err.code != "RepositoryNotFoundException":
                    raise
    elif kind == "cmd":
        last = work_dirs()[-1]
        script = env("ODMD_DELETE_SCRIPT")
        if os.path.isfile(os.path.join(last, script)):
            subprocess.run(["bash", f"./{script}"], cwd=last, check=True)
        else:
            say("notice", f"no `{script}` in `{last}`: nothing but the products to remove")
    else:
        say("notice", "published versions of the package stay in the registry")
    for p in doc["products"]:
        delete_parameter(p["path"], reg)
    delete_parameter(f"{env('ODMD_CLONE_RECORDS')}/{doc['revision']['value']}", reg)
    say("notice", f"clone `{doc['id']}` (branch `{doc['revision']['value']}`) deleted")


# ---- work directories ----------------------------------------------------------------------
def work_dirs(require: str | None = None) -> list[str]:
    """The build's work directories in order (its `work_dirs`, default the repository root):
    builds run in each, a CDK app deploys and a package publishes from the last."""
    dirs: list[str] = json.loads(env("ODMD_WORK_DIRS", '["."]')) or ["."]
    for d in dirs:
        if not os.path.isdir(d):
            raise Failure(f"work directory `{d}` (the build's `work_dirs`) is not in the "
                          "checkout")
        if require and not os.path.isfile(os.path.join(d, require)):
            raise Failure(f"no `{require}` in `{d}`: a `cmd` build runs that script, with the "
                          "ODMD_* variables in its environment (docs/runtime.md)")
    return dirs


def cmd_work_dirs(args: argparse.Namespace) -> None:
    data_on_stdout()
    sys.stdout.write("".join(f"{d}\n" for d in work_dirs(args.require)))


def cmd_single_image(args: argparse.Namespace) -> None:
    data_on_stdout()
    images = document()["images"]
    if len(images) != 1:
        raise Failure(f"{len(images)} images and no `{args.script}` in `{args.dir}` to build "
                      "them")
    print(images[0]["local"])


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="odmd_deploy.py", description="odmd's GitHub deploy "
                                "and delete steps (docs/runtime.md)")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("record-clone").set_defaults(run=cmd_record_clone)
    sub.add_parser("delete-clone").set_defaults(run=cmd_delete_clone)
    dirs = sub.add_parser("work-dirs")
    dirs.add_argument("--require")
    dirs.set_defaults(run=cmd_work_dirs)
    single = sub.add_parser("single-image")
    single.add_argument("script")
    single.add_argument("dir")
    single.set_defaults(run=cmd_single_image)
    return p


if __name__ == "__main__":
    sys.exit(run(parser().parse_args(sys.argv[1:])))
