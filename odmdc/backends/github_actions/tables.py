"""The data a workflow's resolve step works from: its envers' names, and how a clone's are made.

The resolve step holds one entry per enver of the workflow (declared envers and declared
clones), keyed by revision path: its enver document (odmdc/backends/runtime/document.py), with
every name the IR computed for it. A clone made at run time by an `odmd: create@<origin>`
commit is not in the IR, so each origin also carries *clone templates*: its names computed by
`odmdc.compiler.naming` with a marker in place of the clone's revision. The resolve step
(runtime.py) replaces the marker — with the branch in the revision path, the clone's revision
path in product paths, that path run through the ECR sanitiser in repository names, and the
branch through the stack-name sanitiser in stack names. Both
sanitisers work character by character (the stack name's first and last character aside,
which it fixes up after the substitution), so the result is exactly what naming would compute
for a declared clone on that branch; tests hold the two to it.

The marker is lower-case alphanumeric, so both sanitisers keep it, and starts with `o` and
ends with `x`, so no two occurrences can overlap; it is chosen not to occur in anything it is
combined with.
"""

from __future__ import annotations

from typing import Any

from odmdc.backends.runtime.document import enver_document
from odmdc.compiler import naming
from odmdc.compiler.ir import Enver


def _marker(e: Enver) -> str:
    taken = " ".join([
        e.build, e.revision.path, *e.stack_templates, *(p.name for p in e.products),
        *(i.part for i in e.images),
    ]).lower()
    k = 0
    while (mark := f"odmdrev{k}x") in taken:
        k += 1
    return mark


def clone_templates(e: Enver) -> dict[str, Any]:
    """Names of a clone of `e` on any branch, with a marker for the branch or revision."""
    mark = _marker(e)
    revision = naming.clone_revision_path(e.revision.path, "branch", mark)
    stacks = [naming.stack_name(t, e.build, mark) for t in e.stack_templates]
    products = {p.name: naming.product_path(e.build, mark, tuple(p.name.split(".")))
                for p in e.products}
    images = {i.name: naming.ecr_repository(e.build, mark, i.part) for i in e.images}
    unclonable = next((f"stack template `{t}` has no `{{rev}}`: a clone would deploy the "
                       "origin's stack" for t in e.stack_templates if "{rev}" not in t), None)
    expected = [(revision, 1), *((p, 1) for p in products.values()),
                *((r, 1) for r in images.values()),
                *((s, t.count("{rev}")) for s, t in zip(stacks, e.stack_templates, strict=True))]
    for text, count in expected:
        assert text.count(mark) == count, (text, mark)
    return {"mark": mark, "revision": revision, "stacks": stacks, "products": products,
            "images": images, "unclonable": unclonable}


def enver_entry(e: Enver, with_clone_templates: bool) -> dict[str, Any]:
    """`e`'s enver document (what the helper deploys from) and, for an origin of a build that
    may have clones, the templates of its clones' names."""
    entry = enver_document(e)
    if with_clone_templates and e.clone_of is None:
        entry["clone_templates"] = clone_templates(e)
    return entry


def build_entry(e: Enver) -> dict[str, Any]:
    """What every workflow of a build knows about each of the build's envers: enough to say
    which workflow deploys a revision, and to find a commit command's origin."""
    return {
        "id": e.id, "clone_of": e.clone_of, "workflow": e.names.workflow_file,
        "revision": {"kind": e.revision.kind, "value": e.revision.value, "path": e.revision.path},
        "stacks": list(e.names.stacks), "repositories": [i.repository for i in e.images],
    }
