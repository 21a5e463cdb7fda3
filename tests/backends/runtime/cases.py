"""The publishing rules both CI engines follow, as cases every driver runs: the helper itself
(test_helper.py), a GitHub workflow's steps (github_actions/test_publish_rules.py) and a
CodeBuild project's commands (codepipeline/test_publish_rules.py). Each case is a `cdk` enver
with products `endpoint` (stack output `endpoint`) and `endpoint.schema` (an s3artifact,
output `endpointSchema`), deployed as two stacks; where the old engines disagreed, the comment
says how, and a driver that brought either back would fail.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA = '{"openapi": "3.1.0"}'
URL = "https://api.example.com"
#: a file beside the publishing root, which no value may reach
OUTSIDE = "outside.json"


@dataclass(frozen=True)
class Case:
    id: str
    #: stack outputs of the first and the second stack
    outputs: tuple[dict[str, str], dict[str, str]]
    #: the products file ($ODMD_PRODUCTS_FILE), when the build wrote one
    products: dict[str, Any] | None = None
    #: files below the publishing root, and links there (name -> target, relative to the root)
    files: dict[str, str] = field(default_factory=lambda: {"schema.json": SCHEMA})
    links: dict[str, str] = field(default_factory=dict)
    #: the failure's message, after "cannot publish the products of `<enver>`: " when it
    #: starts with "`"; None: published
    error: str | None = None
    #: the published `endpoint`, and the extension of the `endpoint.schema` object's key
    endpoint: str = URL
    extension: str = ".json"


def outputs(endpoint: str = URL, schema: str = "schema.json") -> dict[str, str]:
    return {"endpoint": endpoint, "endpointSchema": schema}


CASES = [
    Case("published", (outputs(), {})),
    # Parameter Store's standard tier: 4 KB. The bash counted characters (4,098 bytes of `é`
    # passed), the Python helper only refused an empty value (5,000 characters passed).
    Case("4096-bytes", (outputs("x" * 4096), {}), endpoint="x" * 4096),
    Case("4097-bytes", (outputs("x" * 4097), {}),
         error="`endpoint`: 4097 bytes; a value is 1 to 4096 bytes (Parameter Store's standard "
               "tier)"),
    Case("4096-characters-of-2-bytes", (outputs("é" * 2049), {}),
         error="`endpoint`: 4098 bytes; a value is 1 to 4096 bytes (Parameter Store's standard "
               "tier)"),
    Case("empty", (outputs(""), {}),
         error="`endpoint`: 0 bytes; a value is 1 to 4096 bytes (Parameter Store's standard "
               "tier)"),
    # Two stacks giving the output: the bash failed, the Python took the last stack's.
    Case("two-stacks", (outputs(), {"endpoint": "https://other.example.com"}),
         error="`endpoint`: given by output `endpoint` of stack `{stack1}` and by output "
               "`endpoint` of stack `{stack2}`: give it once"),
    Case("two-stacks-agreeing", (outputs(), {"endpoint": URL}),
         error="`endpoint`: given by output `endpoint` of stack `{stack1}` and by output "
               "`endpoint` of stack `{stack2}`: give it once"),
    # The products file and a stack output: the bash failed, the Python only when they
    # differed.
    Case("file-and-output-agreeing", (outputs(), {}), products={"endpoint": URL},
         error="`endpoint`: given by $ODMD_PRODUCTS_FILE and by output `endpoint` of stack "
               "`{stack1}`: give it once"),
    Case("from-the-file", ({"endpointSchema": "schema.json"}, {}), products={"endpoint": URL}),
    # A value that is no string: the bash published its JSON text (`5`), the Python failed.
    Case("a-number", ({"endpointSchema": "schema.json"}, {}), products={"endpoint": 5},
         error="`endpoint`: $ODMD_PRODUCTS_FILE gives a number, not a string"),
    Case("missing", ({"endpointSchema": "schema.json"}, {}),
         error="`endpoint`: neither in the products file nor output `endpoint` of a stack"),
    # The s3artifact's key ends in the extension of the name as given: the bash took
    # `.${file##*.}` of the basename (`.schema` for `.schema`), the Python that of the file a
    # link pointed at.
    Case("dotfile", (outputs(schema="api/.schema"), {}), files={"api/.schema": SCHEMA},
         extension=""),
    Case("last-suffix", (outputs(schema="schema.v1.json"), {}),
         files={"schema.v1.json": SCHEMA}),
    Case("link-inside", (outputs(schema="schema.json"), {}), files={"real.yaml": SCHEMA},
         links={"schema.json": "real.yaml"}),
    Case("dots-in-a-name", (outputs(schema="a..b.json"), {}), files={"a..b.json": SCHEMA}),
    # Only a file below the root is uploaded: the bash followed a link out of the checkout.
    Case("link-outside", (outputs(schema="schema.json"), {}), files={},
         links={"schema.json": f"../{OUTSIDE}"},
         error="product `endpoint.schema` is an s3artifact: its value must name a file below "
               "{root}, not `schema.json`"),
    Case("dot-dot", (outputs(schema="api/../schema.json"), {}),
         error="product `endpoint.schema` is an s3artifact: its value must name a file below "
               "{root}, not `api/../schema.json`"),
]
IDS = [c.id for c in CASES]


def lay_out(case: Case, root: Path) -> None:
    """The case's files and links below `root`, and a file beside it."""
    for name, text in case.files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    for name, target in case.links.items():
        (root / name).symlink_to(target)
    (root.parent / OUTSIDE).write_text(SCHEMA)


def schema_key(case: Case, product_path: str) -> str:
    """The object key the case's `endpoint.schema` file is uploaded under."""
    digest = hashlib.sha256(SCHEMA.encode()).hexdigest()
    return f"{product_path.lstrip('/')}/{digest}{case.extension}"


def message(case: Case, enver: str, stacks: list[str], root: str) -> str:
    """The case's whole error message for an enver, its stacks and its publishing root."""
    assert case.error is not None
    text = case.error.format(stack1=stacks[0], stack2=stacks[1], root=root)
    return f"cannot publish the products of `{enver}`: {text}" if text.startswith("`") \
        else text
