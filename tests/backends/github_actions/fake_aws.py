"""A stand-in for the AWS CLI on PATH while generated workflow steps run in tests.

It answers the calls odmd's helper makes, from a JSON state file (`FAKE_AWS_STATE`): Parameter
Store (`ssm get-parameter`, `get-parameters`, `get-parameters-by-path`, `put-parameter` with
`--cli-input-json`, `delete-parameter`, `delete-parameters`), `s3 cp`, ECR repositories and
images, CloudFormation stack outputs (`stacks`: stack name -> outputs) and deletion, and
records every call with the profile it was made under. Central-store calls must go through
the `odmd-center` profile, whose config file must name a role (as the helper writes it);
without it, `ssm get-parameter` reads the target account's store (`target_ssm`). Errors look
like the CLI's (`An error occurred (ParameterNotFound) …`, exit 254). `FAKE_AWS_DENY=1` makes
every call fail with AccessDenied.
"""

from __future__ import annotations

import configparser
import json
import os
import sys
from pathlib import Path
from typing import Any


def _fail(code: str, operation: str, message: str = "") -> None:
    print(f"\nAn error occurred ({code}) when calling the {operation} operation: {message}",
          file=sys.stderr)
    sys.exit(254)


def _options(args: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    key = ""
    for a in args:
        if a.startswith("--"):
            key = a[2:]
            out.setdefault(key, [])
        else:
            out.setdefault(key, []).append(a)
    return out


def _center_profile() -> dict[str, str]:
    config = configparser.ConfigParser()
    config.read(os.environ["AWS_CONFIG_FILE"])
    section = config["profile odmd-center"]
    assert section["credential_source"] == "Environment"
    assert section["role_arn"].startswith("arn:aws:iam::")
    return dict(section)


def main(argv: list[str]) -> None:
    state_file = Path(os.environ["FAKE_AWS_STATE"])
    state: dict[str, Any] = json.loads(state_file.read_text())
    profile = None
    if argv[:1] == ["--profile"]:
        profile, argv = argv[1], argv[2:]
    service, operation, *rest = argv
    opts = _options(rest)
    call: dict[str, Any] = {"profile": profile, "service": service, "operation": operation,
                            "args": rest}
    if profile == "odmd-center":
        call["role"] = _center_profile()["role_arn"]
    state["calls"].append(call)
    state_file.write_text(json.dumps(state))
    if os.environ.get("FAKE_AWS_DENY") == "1":
        _fail("AccessDeniedException", operation, "not authorized")
    ssm: dict[str, str] = state["ssm"]
    if service == "ssm" and profile is None:
        # the build role's own account: only the artifact bucket's name is read there
        assert operation == "get-parameter", f"config store call outside the center role: {argv}"
        ssm = state.setdefault("target_ssm", {})
    if (service, operation) == ("ssm", "get-parameter"):
        name = opts["name"][0]
        if name not in ssm:
            _fail("ParameterNotFound", "GetParameter")
        assert opts.get("output") == ["json"]
        print(json.dumps({"Parameter": {"Name": name, "Value": ssm[name], "Type": "String"}}))
    elif (service, operation) == ("ssm", "get-parameters"):
        names = opts["names"]
        assert 1 <= len(names) <= 10, names
        print(json.dumps({
            "Parameters": [{"Name": n, "Value": ssm[n], "Type": "String"} for n in names
                           if n in ssm],
            "InvalidParameters": [n for n in names if n not in ssm],
        }))
    elif (service, operation) == ("ssm", "get-parameters-by-path"):
        root = opts["path"][0].rstrip("/") + "/"
        print(json.dumps({"Parameters": [
            {"Name": n, "Value": v, "Type": "String"} for n, v in sorted(ssm.items())
            if n.startswith(root) and "/" not in n[len(root):]
        ]}))
    elif (service, operation) == ("ssm", "put-parameter"):
        spec = json.loads(opts["cli-input-json"][0])
        assert spec["Type"] == "String" and spec["Overwrite"] is True, spec
        assert 1 <= len(spec["Value"]) <= 4096
        ssm[spec["Name"]] = spec["Value"]
        print(json.dumps({"Version": 1, "Tier": "Standard"}))
    elif (service, operation) == ("ssm", "delete-parameter"):
        name = opts["name"][0]
        if name not in ssm:
            _fail("ParameterNotFound", "DeleteParameter")
        del ssm[name]
    elif (service, operation) == ("ssm", "delete-parameters"):
        names = opts["names"]
        assert 1 <= len(names) <= 10, names
        for n in names:
            ssm.pop(n, None)
        print(json.dumps({"DeletedParameters": names}))
    elif (service, operation) == ("ecr", "get-authorization-token"):
        endpoint = f"https://{os.environ['FAKE_AWS_ACCOUNT']}.dkr.ecr.us-west-1.amazonaws.com"
        print(json.dumps({"authorizationData": [{"proxyEndpoint": endpoint}]}))
    elif (service, operation) == ("ecr", "create-repository"):
        [name] = opts["repository-name"]
        if name in state.setdefault("ecr", {}):
            _fail("RepositoryAlreadyExistsException", "CreateRepository")
        uri = f"{os.environ['FAKE_AWS_ACCOUNT']}.dkr.ecr.us-west-1.amazonaws.com/{name}"
        state["ecr"][name] = uri
        print(json.dumps({"repository": {"repositoryUri": uri}}))
    elif (service, operation) == ("ecr", "get-login-password"):
        print("fake-password")
    elif (service, operation) == ("ecr", "describe-images"):
        [name] = opts["repository-name"]
        [tag] = opts["image-ids"]
        digest = "sha256:" + f"{name}:{tag}".encode().hex()[:64].ljust(64, "0")
        print(json.dumps({"imageDetails": [{"imageDigest": digest}]}))
    elif (service, operation) == ("ecr", "delete-repository"):
        [name] = opts["repository-name"]
        if state.setdefault("ecr", {}).pop(name, None) is None:
            _fail("RepositoryNotFoundException", "DeleteRepository")
    elif (service, operation) == ("cloudformation", "describe-stacks"):
        [name] = opts["stack-name"]
        if name not in state.get("stacks", {}):
            _fail("ValidationError", "DescribeStacks", f"Stack with id {name} does not exist")
        outputs = [{"OutputKey": k, "OutputValue": v} for k, v in state["stacks"][name].items()]
        print(json.dumps({"Stacks": [{"StackName": name, "Outputs": outputs}]}))
    elif (service, operation) == ("cloudformation", "delete-stack"):
        state.setdefault("deleted_stacks", []).append(opts["stack-name"][0])
    elif (service, operation) == ("cloudformation", "wait"):
        assert rest[0] == "stack-delete-complete"
    elif (service, operation) == ("s3", "cp"):
        source, target = opts[""]
        state.setdefault("s3", {})[target] = Path(source).read_text()
    else:
        _fail("InvalidAction", f"{service} {operation}", "not faked")
    state_file.write_text(json.dumps(state))


if __name__ == "__main__":
    main(sys.argv[1:])
