"""A stand-in for the `aws`, `docker` and `npm` commands odmd's helper runs in CodeBuild, for
tests.

Invoked as `python fake_cli.py TOOL ARGS...` (through small wrapper scripts on PATH). State is
a JSON file, `$FAKE_STATE`: parameters (the central config store; `target_parameters`, the
build role's own account), uploaded S3 objects, stack outputs, ECR repositories and images,
pipeline executions (`executions`, one list for any pipeline, or `pipelines`: per pipeline name
its own list, the first started, the last listed as the newest; `throttle`: per pipeline how
many calls about it are refused next), published npm packages and local docker images. Every
call is appended to `calls` with the environment facts the tests check (which credentials and
profile it used). Calls may come at once (the batch runner polls in threads): each holds a lock
on the state for its whole read-modify-write, after waiting `$FAKE_DELAY` seconds (if set) as a
real call's latency would, outside the lock; each call records when it began (`at`). Errors
look like the real CLI's: a message on stderr and exit status 254 (aws) or 1.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from typing import Any


def arg(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


def positional(args: list[str]) -> list[str]:
    """`args` without `--output X`, `--region X`, `--profile X` and other `--flags`."""
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
        elif a in ("--output", "--region", "--profile"):
            skip = True
        elif not a.startswith("--"):
            out.append(a)
    return out


def main(argv: list[str]) -> int:
    path = os.environ["FAKE_STATE"]
    began = time.time()
    time.sleep(float(os.environ.get("FAKE_DELAY", "0")))
    with open(path + ".lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return locked(path, argv, began)


def locked(path: str, argv: list[str], began: float) -> int:
    with open(path, encoding="utf-8") as f:
        state: dict[str, Any] = json.load(f)
    tool, args = argv[0], argv[1:]
    call = {"tool": tool, "args": args,
            "key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "profile": arg(args, "--profile") if "--profile" in args else None, "at": began}
    if call["profile"]:
        with open(os.environ["AWS_CONFIG_FILE"], encoding="utf-8") as f:
            call["config"] = f.read()
    state["calls"].append(call)
    try:
        out, status = run(tool, args, state, sys.stdin.read() if tool == "docker" and
                          "--password-stdin" in args else "")
    finally:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(state, f)
    if isinstance(out, str) and status:
        print(out, file=sys.stderr)
    elif out is not None:
        print(out if isinstance(out, str) else json.dumps(out))
    return status


def run(tool: str, args: list[str], state: dict[str, Any], stdin: str) -> tuple[Any, int]:
    if tool == "docker":
        if args[:2] == ["image", "inspect"]:
            return None, 0 if args[2] in state["local_images"] else 1
        if args[0] == "login":
            return None, 0 if stdin.strip() == "ecr-password" else 1
        if args[0] == "tag":
            state["tags"][args[2]] = args[1]
            return None, 0
        if args[0] == "push":
            repo_uri, tag = args[1].rsplit(":", 1)
            repo = repo_uri.split("/", 1)[1]
            state["ecr"].setdefault(repo, {})[tag] = state["digests"][state["tags"][args[1]]]
            return None, 0
    if tool == "npm":
        if args[0] == "view":
            return (state["npm"][args[1]], 0) if args[1] in state["npm"] else ("E404", 1)
        if args[0] == "publish":
            state["published"].append(os.path.basename(args[1]))
            state.setdefault("dist_tags", []).append(arg(args, "--tag"))
            return None, 0
    if args[:1] == ["--profile"]:  # a global option, before the command as well as after
        args = [*args[2:], *args[:2]]
    service, op = args[0], args[1]
    if (service, op) == ("sts", "assume-role"):
        return {"Credentials": {"AccessKeyId": "BUILDROLEKEY", "SecretAccessKey": "s",
                                "SessionToken": "t"}}, 0
    # the config store is the central account's (the center role's profile, or the release
    # pipeline's own role there); the build role without a profile reads its own account's
    # (the artefact bucket's name)
    as_build_role = "--profile" not in args and \
        os.environ.get("AWS_ACCESS_KEY_ID") == "BUILDROLEKEY"
    params = state.setdefault("target_parameters", {}) if as_build_role else \
        state["parameters"]
    if (service, op) == ("ssm", "get-parameter"):
        name = arg(args, "--name")
        if name not in params:
            return ("An error occurred (ParameterNotFound) when calling the GetParameter "
                    "operation: Parameter " + name + " not found."), 254
        return {"Parameter": {"Name": name, "Value": params[name]}}, 0
    if (service, op) == ("ssm", "get-parameters"):
        names = positional(args[2:])
        assert 1 <= len(names) <= 10, names
        return {"Parameters": [{"Name": n, "Value": params[n]} for n in names if n in params],
                "InvalidParameters": [n for n in names if n not in params]}, 0
    if (service, op) == ("s3", "cp"):
        source, target = positional(args[2:])
        with open(source, encoding="utf-8") as f:
            state.setdefault("s3", {})[target] = f.read()
        return None, 0
    if (service, op) == ("ssm", "put-parameter"):
        spec = json.loads(arg(args, "--cli-input-json"))
        assert spec["Type"] == "String" and spec["Overwrite"] is True, spec
        state["parameters"][spec["Name"]] = spec["Value"]
        return {"Version": 2}, 0
    if (service, op) == ("cloudformation", "describe-stacks"):
        name = arg(args, "--stack-name")
        outputs = [{"OutputKey": k, "OutputValue": v}
                   for k, v in state["stacks"].get(name, {}).items()]
        return {"Stacks": [{"StackName": name, "Outputs": outputs}]}, 0
    if (service, op) == ("ecr", "get-authorization-token"):
        return {"authorizationData": [{"proxyEndpoint": f"https://{state['registry']}"}]}, 0
    if (service, op) == ("ecr", "describe-images"):
        tag = arg(args, "--image-ids").removeprefix("imageTag=")
        digest = state["ecr"][arg(args, "--repository-name")][tag]
        return {"imageDetails": [{"imageDigest": digest}]}, 0
    if (service, op) == ("ecr", "get-login-password"):
        return "ecr-password", 0
    if service == "codepipeline":
        return codepipeline(op, args, state)
    return f"fake_cli: unexpected {tool} {' '.join(args)}", 2


def codepipeline(op: str, args: list[str], state: dict[str, Any]) -> tuple[Any, int]:
    name = arg(args, "--name" if op == "start-pipeline-execution" else "--pipeline-name")
    pipelines = state.get("pipelines")
    executions = state["executions"] if pipelines is None else pipelines.get(name)
    if not executions:
        return ("An error occurred (PipelineNotFoundException) when calling the "
                f"StartPipelineExecution operation: Account does not have a pipeline with name "
                f"{name}"), 254
    throttled = state.get("throttle", {})
    if throttled.get(name):  # the next N calls about this pipeline are refused
        throttled[name] -= 1
        return ("An error occurred (ThrottlingException) when calling the "
                f"{op.title().replace('-', '')} operation (reached max retries: 2): Rate "
                "exceeded"), 254
    if op == "start-pipeline-execution":
        return {"pipelineExecutionId": executions[0]["id"]}, 0
    if op == "get-pipeline-execution":
        wanted = arg(args, "--pipeline-execution-id")
        e = next(e for e in executions if e["id"] == wanted)
        status = e["statuses"].pop(0) if len(e["statuses"]) > 1 else e["statuses"][0]
        return {"pipelineExecution": {"pipelineExecutionId": wanted, "status": status}}, 0
    if op == "list-pipeline-executions":
        return {"pipelineExecutionSummaries": [{"pipelineExecutionId": executions[-1]["id"]}]}, 0
    return f"fake_cli: unexpected codepipeline {op}", 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
