"""Clones made at run time by commit commands: the roles of their origin's group admit every
name such a clone gets, and nothing of another build.

* The backend's `*` matching and pattern overlap (`globs.py`) agree with brute force.
* Every name: for each group of each test org whose build may have clones, random clone
  branches of each origin get their names by the formulas of docs/names.md#clones (`naming`, which
  the workflow's resolve step reproduces exactly: github_actions test_clone_names) — stacks, ECR
  repositories, product paths, the clone record — and the generated policy of the role that acts on
  each allows every action the workflow's steps take on it.
* Nothing of another build: no resource pattern of a group's build role matches a stack or
  repository of another build in its account and region, nor a name random clones of that
  build get; its center role may write no product path but its group's and its clones', and
  read others' only where its envers consume them. Random orgs built to collide (build ids
  that sanitise alike, `stacks` templates without `{build}`, image repositories) either keep
  that, or the backend refuses them with E601.

Policies are read from the generated templates and evaluated by `support.allowed`, a matcher
written apart from the backend's.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from odmdc import api
from odmdc.backends.cloudformation.globs import matches, overlap
from odmdc.compiler import naming
from odmdc.compiler.ir import IR, Enver
from tests.backends.cloudformation.support import (
    Json,
    allowed,
    as_list,
    compiled,
    iam_match,
    org_dirs,
    org_id,
    role_by_name,
    role_statements,
)
from tests.helpers import emit, unit_of

# what the workflow's steps do to a clone's names (docs/runtime.md): deploy (build-cdk.sh
# through CDK, the stacks' outputs read by the helper's publish), delete (delete-clone), push
# (the helper's push-images), publish and delete products (publish, delete-clone), record, read
# and delete the record (record-clone, resolve, delete-clone), list the records (resolve,
# redispatch-clones)
STACK_ACTIONS = ["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet",
                 "cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents",
                 "cloudformation:DeleteStack"]
REPOSITORY_ACTIONS = ["ecr:CreateRepository", "ecr:BatchCheckLayerAvailability",
                      "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
                      "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:DescribeImages",
                      "ecr:DeleteRepository"]
PRODUCT_ACTIONS = ["ssm:GetParameters", "ssm:PutParameter", "ssm:DeleteParameter"]
RECORD_ACTIONS = ["ssm:GetParameter", "ssm:PutParameter", "ssm:DeleteParameter"]

# per org and test under `ci` (each example evaluates a few hundred statements); the profile's
# own number under `deep`
_PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _examples(ci: int) -> int:
    return ci if _PROFILE.max_examples <= 60 else _PROFILE.max_examples


# --- globs -------------------------------------------------------------------------------------
_glob = st.text("ab*", max_size=5)


@given(pattern=_glob, name=st.text("ab", max_size=6))
def test_matches_is_iam_matching(pattern: str, name: str) -> None:
    assert matches(pattern, name) == iam_match(pattern, name)


@given(a=_glob, b=_glob)
def test_overlap_is_a_common_name(a: str, b: str) -> None:
    # a shortest common name takes each character from a literal of one side: it is no
    # longer than both patterns together
    words = ("".join(w) for n in range(len(a) + len(b) + 1)
             for w in itertools.product("ab", repeat=n))
    assert overlap(a, b) == any(iam_match(a, w) and iam_match(b, w) for w in words)


# --- clone branches and their names -----------------------------------------------------------
def _valid(branch: str) -> bool:
    """A branch a clone can live on (E102, E103), as the workflow's resolve step checks."""
    return (re.fullmatch(r"[A-Za-z0-9_.-]+", branch) is not None and ".." not in branch
            and "_-" not in branch and "-_" not in branch and branch[:1] not in "vV")


branches = st.one_of(
    st.sampled_from(["-x", "x-", ".x", "x.", "_x", "x_", "-", "_", ".", "Fix.Login", "1.2",
                     "a_b-c.d", "feature-x", "UPPER", "x--y"]),
    st.from_regex(r"[A-Za-z0-9_.-]{1,16}", fullmatch=True),
).filter(_valid)


def clone_names(origin: Enver, branch: str) -> dict[str, list[str]]:
    """The names a clone of `origin` made on `branch` by a commit command gets
    (docs/names.md#clones)."""
    b = origin.build
    rev = naming.clone_revision_path(origin.revision.path, "branch", branch)
    return {
        "stacks": [naming.stack_name(t, b, naming.stack_rev("branch", branch, rev))
                   for t in origin.stack_templates if "{rev}" in t],
        "repositories": [naming.ecr_repository(b, rev, i.part) for i in origin.images],
        "products": [naming.product_path(b, rev, tuple(p.name.split(".")))
                     for p in origin.products],
        "records": [naming.clone_record(b, branch)],
    }


# --- reading a compiled org's roles -----------------------------------------------------------
def _may_have_clones(ir: IR, build: str) -> bool:
    b = ir.builds[build]
    return any(ir.enver(i).clone_of for i in b.envers) or (
        not b.singleton and ir.org.max_clones > 0)


class Roles:
    """A compiled org's build and center roles, by group (build, account id, region)."""

    def __init__(self, ir: IR, templates: dict[str, Json]) -> None:
        self.ir, self.templates = ir, templates
        self.groups: dict[tuple[str, str, str], list[Enver]] = {}
        for e in ir.envers():
            self.groups.setdefault((e.build, e.account_id, e.region), []).append(e)

    def build_role(self, key: tuple[str, str, str]) -> list[Json]:
        build, account, region = key
        e = self.groups[key][0]
        t = self.templates[f"{e.account_alias}/{region}/{build}.template.json"]
        return role_statements(t, role_by_name(t, f"{build}-{region}{account}-buildRole"))

    def center_role(self, key: tuple[str, str, str]) -> list[Json]:
        build, account, region = key
        t = self.templates[f"central/{region}/builds/{build}.template.json"]
        return role_statements(t, role_by_name(t, f"{build}-{region}{account}-centerRole"))

    def stack(self, key: tuple[str, str, str], name: str) -> str:
        e = self.groups[key][0]
        return f"arn:{e.partition}:cloudformation:{e.region}:{e.account_id}:stack/{name}/x"

    def repository(self, key: tuple[str, str, str], name: str) -> str:
        e = self.groups[key][0]
        return f"arn:{e.partition}:ecr:{e.region}:{e.account_id}:repository/{name}"

    def parameter(self, key: tuple[str, str, str], path: str) -> str:
        e = self.groups[key][0]
        return (f"arn:{e.partition}:ssm:{e.region}:{self.ir.org.central_account_id}:"
                f"parameter{path}")


@functools.cache
def _roles(org: Path) -> Roles:
    c = compiled(org)
    return Roles(c.ir, c.templates)


def _with_clones(org: Path) -> list[tuple[str, str, str]]:
    r = _roles(org)
    return [k for k in sorted(r.groups) if _may_have_clones(r.ir, k[0])]


ORGS = [org for org in org_dirs() if _with_clones(org)]


def test_the_test_orgs_have_clones_of_every_kind() -> None:
    """The property below sees stacks, repositories, products and tag origins."""
    seen = set()
    for org in ORGS:
        r = _roles(org)
        for key in _with_clones(org):
            for o in r.groups[key]:
                if o.clone_of is None:
                    seen |= {k for k, v in clone_names(o, "x").items() if v}
                    seen |= {"tag origin"} if o.revision.kind == "tag" else set()
    assert seen == {"stacks", "repositories", "products", "records", "tag origin"}


def assert_admitted(r: Roles, key: tuple[str, str, str], branch: str) -> None:
    """Every name clones of the group's origins get on `branch`: allowed for every action."""
    build_role, center_role = r.build_role(key), r.center_role(key)
    for o in r.groups[key]:
        if o.clone_of is not None:
            continue  # a clone of a clone is E402, in `odmdc clone` and in the workflow
        names = clone_names(o, branch)
        for action in STACK_ACTIONS:
            for s in names["stacks"]:
                assert allowed(build_role, action, r.stack(key, s)), (action, s)
        for action in REPOSITORY_ACTIONS:
            for x in names["repositories"]:
                assert allowed(build_role, action, r.repository(key, x)), (action, x)
        for action in PRODUCT_ACTIONS:
            for p in names["products"]:
                assert allowed(center_role, action, r.parameter(key, p)), (action, p)
        for action in RECORD_ACTIONS:
            assert allowed(center_role, action, r.parameter(key, names["records"][0]))
    records = naming.clone_records_path(key[0])
    assert allowed(center_role, "ssm:GetParametersByPath", r.parameter(key, records))


@pytest.mark.parametrize("org", ORGS, ids=org_id)
@settings(max_examples=_examples(30))
@given(data=st.data())
def test_every_name_a_runtime_clone_gets_is_admitted(org: Path, data: st.DataObject) -> None:
    r = _roles(org)
    key = data.draw(st.sampled_from(_with_clones(org)), label="group")
    assert_admitted(r, key, data.draw(branches, label="branch"))


#: actions AWS authorises on no resource: their `Resource: "*"` reaches no stack or parameter
RESOURCELESS = {"ecr:GetAuthorizationToken"}


def reaches(statements: list[Json], arn: str) -> bool:
    """Whether some Allow statement grants an action of `arn`'s service on it."""
    service = arn.split(":")[2]
    return any(s["Effect"] == "Allow" and any(
        a.split(":")[0] == service and a not in RESOURCELESS for a in as_list(s["Action"]))
        and any(iam_match(x, arn) for x in as_list(s["Resource"])) for s in statements)


def assert_nothing_of_others(r: Roles, key: tuple[str, str, str], branch: str) -> None:
    """Nothing of another build in the group's account and region (build role), no product
    path outside its group and clones but those it consumes, read only (center role)."""
    build, account, region = key
    mine = {e.id for e in r.groups[key]}
    build_role = r.build_role(key)
    center_role = r.center_role(key)
    consumed = {c.reads for e in r.groups[key] for c in e.consumers}
    for other, envers in r.groups.items():
        if other == key or other[2] != region:
            continue
        for e in envers:
            names = {k: list(v) for k, v in clone_names(e, branch).items()} \
                if e.clone_of is None and _may_have_clones(r.ir, e.build) else \
                {"stacks": [], "repositories": [], "products": [], "records": []}
            products = [p.path for p in e.products] + names["products"]
            for p in products:
                arn = r.parameter(key, p)
                for action in ("ssm:PutParameter", "ssm:DeleteParameter"):
                    assert not allowed(center_role, action, arn), (key, e.id, p)
                assert allowed(center_role, "ssm:GetParameter", arn) == (p in consumed), p
            if other[0] != build:
                for rec in names["records"]:
                    assert not reaches(center_role, r.parameter(key, rec)), (key, rec)
            if other[0] == build or other[1] != account:
                continue  # the build role's ARNs are in its own account and region
            stacks = [*e.names.stacks, *names["stacks"]]
            repos = [i.repository for i in e.images] + names["repositories"]
            for arn in [r.stack(key, s) for s in stacks] + [r.repository(key, x) for x in repos]:
                assert not reaches(build_role, arn), (key, e.id, arn)
    assert mine  # the group is not empty


@pytest.mark.parametrize("org", org_dirs(), ids=org_id)
@settings(max_examples=_examples(20))
@given(data=st.data())
def test_no_role_reaches_another_build(org: Path, data: st.DataObject) -> None:
    r = _roles(org)
    key = data.draw(st.sampled_from(sorted(r.groups)), label="group")
    assert_nothing_of_others(r, key, data.draw(branches, label="branch"))


# --- orgs built to collide --------------------------------------------------------------------
# build ids that sanitise alike (stack names map `_` to `-`, ECR drops `_` and lower-cases),
# templates whose fixed text another build's names can have, image repositories likewise
IDS = ["ab", "ab-", "ab--x", "Ab", "a_b", "ab_", "abx"]
TEMPLATES = ["{build}--{rev}", "{rev}--{build}", "ab--{rev}", "{build}-{rev}-x", "ab-{rev}",
             "{rev}-x", "{build}--{rev}-b", "{rev}"]
VALUES = ["main", "x--main", "main-b", "dev", "b", "x--dev"]
PARTS = ["web", "bmain-bx/web", "web-b", "b"]

ORG = """
org o {
  accounts { central = "111111111111"  w = "222222222222" }
  max_clones = 5
}
build contracts : contracts_lib {
  repo = "o/contracts"  enver main = branch "main" in w "us-east-1"
}
"""


@st.composite
def colliding_orgs(draw: st.DrawFn) -> str:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=2, max_size=3, unique=True))
    text = [ORG]
    for bid in ids:
        kind = draw(st.sampled_from(["cdk", "container_image"]))
        values = draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=2, unique=True))
        envers = []
        for i, value in enumerate(values):
            if kind == "cdk":
                ts = draw(st.lists(st.sampled_from(TEMPLATES), min_size=1, max_size=2,
                                   unique=True))
                body = f"stacks = {json.dumps(ts)}  produces {{ out: string }}"
            else:
                parts = draw(st.lists(st.sampled_from(PARTS), min_size=1, max_size=2,
                                      unique=True))
                body = " ".join(f'image i{j} = "i{j}:1" repo "{p}"' for j, p in enumerate(parts))
            envers.append(f'  enver e{i} = branch "{value}" in w "us-east-1" {{ {body} }}')
        text.append(f'build {bid} : {kind} {{\n  repo = "o/{bid.lower()}"\n'
                    + "\n".join(envers) + "\n}")
    return "\n".join(text)


@settings(max_examples=_examples(60))
@given(text=colliding_orgs(), data=st.data())
def test_colliding_orgs_are_refused_or_kept_apart(text: str, data: st.DataObject) -> None:
    result = api.check(unit_of({"org.odmd": text}), run_backends=False)
    assume(result.ir is not None)  # E105 and friends: colliding declared names
    assert result.ir is not None
    out = emit(result.ir, ["cloudformation"])
    refused = [d for d in out.diagnostics if "made by commit commands" in d.message]
    assert [d for d in out.diagnostics if d not in refused] == []
    if refused:
        event("refused (E601)")
        assert {d.code for d in refused} == {"E601"}
        return
    event("compiled")
    templates = {k.removeprefix("cloudformation/"): json.loads(v) for k, v in out.files.items()}
    r = Roles(result.ir, templates)
    branch = data.draw(branches, label="branch")
    for key in sorted(r.groups):
        assert_nothing_of_others(r, key, branch)
        if _may_have_clones(r.ir, key[0]):
            assert_admitted(r, key, branch)
