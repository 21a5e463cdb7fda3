"""A clone made at run time gets exactly the names `odmdc.compiler.naming` gives a declared one.

The resolve step (resolve.py) derives a commit-command clone's names from its origin's clone
templates (tables.py). For random build ids, origin revisions, `stacks` templates, products,
image repository parts and clone branches, the step's names must equal naming's: the clone
revision path, every stack name, product path and ECR repository, the clone's enver name as
`odmdc clone` gives it — or, when a stack name would break CloudFormation's rules, the step
must refuse (E106) rather than deploy. Each of those
names must also match the pattern `naming` gives the cloudformation backend for what the
origin's roles admit (`naming.clone_*_pattern`), or the clone could not deploy.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from odmdc.backends.github_actions.tables import build_entry, enver_entry
from odmdc.compiler import name_limits, naming
from odmdc.compiler.ir import Enver, Image, Product, Revision
from tests.backends.github_actions.runner import Runner, compile_org, step, workflow

ORG = """
org o { accounts { central = "111111111111" w = "222222222222" } }
build contracts : contracts_lib { repo = "o/c"  enver main = branch "main" in w "us-west-1" }
build app : cdk { repo = "o/app"  enver main = branch "main" in w "us-west-1" }
"""
FILE = "ODMD_app-CdkGHus-west-1-w.yaml"


@functools.cache
def _resolve_step() -> tuple[dict[str, Any], dict[str, Any], Enver]:
    from tests.helpers import compile_ok
    doc = workflow(compile_org({"org.odmd": ORG}), FILE)
    job, s = step(doc, "resolve", "resolve the ref to an enver")
    return job, s, compile_ok({"org.odmd": ORG}, prelude=False).enver("app.main")


def _revision_value(branch: bool) -> st.SearchStrategy[str]:
    """Values rules E102 (and for branches E103) accept, often with the edges the sanitisers
    treat specially: a non-alphanumeric first or last character, upper case, dots."""
    value = st.one_of(
        st.sampled_from(["-x", "x-", ".x", "x.", "_x", "x_", "-", "Fix.Login", "1.2", "a_b-c.d"]),
        st.from_regex(r"[A-Za-z0-9_.-]{1,12}", fullmatch=True),
    ).filter(lambda v: ".." not in v and "_-" not in v and "-_" not in v)
    return value.filter(lambda v: v[:1] not in "vV") if branch else value


_TOKENS = ["{build}", "{rev}", "-", "--", "_", ".", "x", "Z", "7", "{rev}"]
_templates = st.lists(
    st.one_of(
        st.sampled_from(["{rev}", "{build}--{rev}", "{rev}--{build}", "-{rev}-", "{rev}{rev}"]),
        st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=5).map("".join),
    ).filter(lambda t: "{rev}" in t), min_size=1, max_size=3, unique=True)
_names = st.from_regex(r"[A-Za-z0-9_-]{1,8}", fullmatch=True)
_build = _names.filter(lambda b: b.lower() != "config")
_products = st.lists(st.tuples(_names, st.none() | _names), max_size=3,
                     unique_by=lambda p: p[0])
_images = st.lists(st.tuples(_names, st.from_regex(r"[A-Za-z0-9._-]{1,8}", fullmatch=True)),
                   max_size=2, unique_by=lambda i: i[0])


def _origin(base: Enver, build: str, kind: str, value: str, templates: list[str],
            products: list[tuple[str, str | None]], images: list[tuple[str, str]]) -> Enver:
    path = naming.revision_path(kind, value)  # type: ignore[arg-type]
    rev = naming.stack_rev(kind, value, path)  # type: ignore[arg-type]
    prods = []
    for name, child in products:
        for parts in ((name,), (name, child)) if child else ((name,),):
            prods.append(Product(name=".".join(parts), path=naming.product_path(build, path, parts),
                                 type="string", s3artifact=False,
                                 output_key=naming.product_output_key(parts)))
    imgs = tuple(Image(name=n, local=f"{n}:latest", part=part,
                       repository=naming.ecr_repository(build, path, part)) for n, part in images)
    names = base.names.model_copy(update={
        "stacks": tuple(naming.stack_name(t, build, rev) for t in templates)})
    return base.model_copy(update={
        "id": f"{build}.main", "build": build,
        "revision": Revision(kind=kind, value=value, path=path),  # type: ignore[arg-type]
        "products": tuple(prods), "images": imgs, "consumers": (), "names": names,
        "stack_templates": tuple(templates)})


# each example runs bash, the helper and the fake AWS CLI (~0.2 s): fewer examples under `ci`
_PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
_EXAMPLES = 25 if _PROFILE.max_examples <= 60 else _PROFILE.max_examples


@settings(max_examples=_EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(build=_build, kind=st.sampled_from(["branch", "tag"]), data=st.data(),
       templates=_templates, products=_products, images=_images,
       branch=_revision_value(branch=True))
def test_runtime_clone_names_are_namings(tmp_path: Path, build: str, kind: str,
                                         data: st.DataObject, templates: list[str],
                                         products: list[tuple[str, str | None]],
                                         images: list[tuple[str, str]], branch: str) -> None:
    value = data.draw(_revision_value(kind == "branch"), label="origin value")
    assume(not (kind == "branch" and value == branch))  # a branch is its declared enver's
    job, s, base = _resolve_step()
    origin = _origin(base, build, kind, value, templates, products, images)
    env = {**s["env"], "ODMD_BUILD": build,
           "ODMD_CLONE_RECORDS": naming.clone_records_path(build),
           "ODMD_ENVERS": json.dumps({origin.revision.path: enver_entry(origin, True)}),
           "ODMD_BUILD_ENVERS": json.dumps([build_entry(origin)])}
    runner = Runner(tmp_path / str(len(list(tmp_path.iterdir()))))
    runner.ssm[naming.clone_record(build, branch)] = origin.revision.path
    r = runner.run(job, {**s, "env": env},
                   {"github.event.head_commit.message": "", "github.event.action": "",
                    "steps.aws.outcome": "success", "github.event.client_payload.enver": "",
                    "github.event.client_payload.ref": "",
                    "github.event.client_payload.workflow": ""},
                   {"GITHUB_EVENT_NAME": "push", "GITHUB_REF_TYPE": "branch",
                    "GITHUB_REF_NAME": branch, "GITHUB_SHA": "0" * 40})

    rev = naming.clone_revision_path(origin.revision.path, "branch", branch)
    stacks = [naming.stack_name(t, build, naming.stack_rev("branch", branch, rev))
              for t in templates]
    if any(name_limits.limit_problems("stack name", x) for x in stacks):
        assert r.returncode == 1, r.stdout
        assert "would break AWS limits (E106)" in r.stdout
        return
    assert r.returncode == 0, r.stdout + r.stderr
    plan = r.plan()
    assert plan["revision"] == {"kind": "branch", "value": branch, "path": rev}
    assert plan["stacks"] == stacks
    assert [p["path"] for p in plan["products"]] == [
        naming.product_path(build, rev, tuple(p.name.split("."))) for p in origin.products]
    assert [i["repository"] for i in plan["images"]] == [
        naming.ecr_repository(build, rev, part) for _, part in images]
    assert plan["clone_of"] == origin.id and plan["clone_origin"] == origin.revision.path
    assert plan["id"] == f"{build}.{naming.clone_enver_name(branch)}"
    # and the roles of the origin's group admit each of them (IAM's `*`: any characters)
    o = origin.revision.path
    for template, stack in zip(templates, plan["stacks"], strict=True):
        assert _iam(naming.clone_stack_pattern(template, build), stack)
    for image, repo in zip(images, plan["images"], strict=True):
        assert _iam(naming.clone_repository_pattern(build, o, image[1]), repo["repository"])
    for p, published in zip(origin.products, plan["products"], strict=True):
        assert _iam(naming.clone_product_pattern(build, o, tuple(p.name.split("."))),
                    published["path"])
    assert _iam(naming.clone_records_pattern(build), naming.clone_record(build, branch))


def _iam(pattern: str | None, name: str) -> bool:
    assert pattern is not None
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), name, re.S) is not None
