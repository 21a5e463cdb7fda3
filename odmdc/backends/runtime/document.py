"""The enver document: the one JSON object both CI engines hand the deploy-time helper
(docs/runtime.md, "The enver document"), made from the IR's `Enver`.

A GitHub workflow carries one per enver in its resolve step (plus, for origins, the templates
of run-time clones' names) and passes the resolved one on as `ODMD_ENVER_JSON`; a CodeBuild
project gets its enver's as `ODMD_ENVER_JSON` directly. The helper reads nothing else about the
enver, so both engines deploy from exactly the same facts.
"""

from __future__ import annotations

from typing import Any, Final

from odmdc.backends.runtime.variables import env_var
from odmdc.compiler.ir import Enver

#: the environment variable that holds the document, in either engine
ENVER_JSON: Final = "ODMD_ENVER_JSON"


def enver_document(e: Enver) -> dict[str, Any]:
    """Every name the helper needs to deploy `e`. `clone_origin` and `create` are the
    GitHub resolve step's to set, for a clone a commit command makes at run time (the
    origin's revision path; whether this run records it first)."""
    return {
        "id": e.id,
        "build": e.build,
        "kind": e.kind,
        "account": e.account_id,
        "region": e.region,
        "revision": {"kind": e.revision.kind, "value": e.revision.value,
                     "path": e.revision.path},
        "clone_of": e.clone_of,
        "clone_origin": None,
        "create": False,
        "build_role_arn": e.names.build_role_arn,
        "center_role_arn": e.names.center_role_arn,
        "artifact_bucket_parameter": e.names.artifact_bucket_parameter_for_account,
        "stacks": list(e.names.stacks),
        "products": [{"name": p.name, "path": p.path, "s3artifact": p.s3artifact,
                      "output_key": p.output_key if e.kind == "cdk" else None}
                     for p in e.products],
        "consumers": [{"name": c.name, "var": env_var(c.name), "path": c.reads,
                       "default": c.default} for c in e.consumers],
        "images": [{"name": i.name, "local": i.local, "repository": i.repository}
                   for i in e.images],
    }
