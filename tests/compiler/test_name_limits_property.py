"""Over orgs with wild build ids and revision values: every generated name either fits its
AWS/GitHub limit or is reported (E106, or a rule that rejected what it is made of), and two
envers never share a stack name, config-store path or ECR repository unreported (E105)."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from odmdc.compiler import name_limits
from odmdc.compiler.checker.names import enver_names
from tests.helpers import check
from tests.strategies.orgs import BuildSpec, EnverSpec, OrgSpec, ProductSpec

# codes that reject an input a name is made of (the names are then not judged again)
INPUT_CODES = {"E101", "E102", "E103", "E104", "E107"}

# short values from a small alphabet collide after sanitising often; long ones break limits
build_ids = st.one_of(
    st.from_regex(r"[ab][ab_-]{0,3}", fullmatch=True),
    st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{20,60}", fullmatch=True),
).filter(lambda s: s.lower() not in {"build", "enver", "clone", "org"})
values = st.one_of(
    st.from_regex(r"[aB][aB_.-]{0,3}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,120}", fullmatch=True),
)


@st.composite
def wild_orgs(draw: st.DrawFn) -> OrgSpec:
    accounts = {"central": "111111111111", "workspace1": "222222222222"}
    builds = [BuildSpec("contracts", "contracts_lib",
                        [EnverSpec("main", "branch", "main", "central", "us-east-1")])]
    ids = draw(st.lists(build_ids, min_size=1, max_size=3, unique_by=str.lower))
    for bid in ids:
        kind = draw(st.sampled_from(["cdk", "container_image"]))
        b = BuildSpec(bid, kind)
        vals = draw(st.lists(values, min_size=1, max_size=3, unique=True))
        if draw(st.booleans()):  # a sibling that differs only in what sanitising erases
            twin = vals[0].swapcase() if kind == "container_image" else vals[0] + "_"
            twin = twin.replace("-", "_", 1) if "-" in vals[0] else twin
            if twin not in vals:
                vals.append(twin)
        for i, v in enumerate(vals):
            rk = "tag" if draw(st.booleans()) else "branch"
            e = EnverSpec(f"e{i}", rk, v, "workspace1", "us-east-1")
            if kind == "container_image":
                e.images.append(("img", "img:1", draw(st.sampled_from([None, "Repo_X", "r"]))))
            else:
                e.products.append(ProductSpec("p", "string"))
            b.envers.append(e)
        builds.append(b)
    return OrgSpec(accounts, [], builds, [])


@given(wild_orgs())
def test_names_fit_or_are_reported(spec: OrgSpec) -> None:
    result = check(spec.render(), prelude=False)
    codes = {d.code for d in result.diagnostics}
    model = result.model
    central = model.org.central.id if model.org and model.org.central else ""
    stacks: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    paths: dict[str, set[str]] = defaultdict(set)
    repos: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for e in model.envers():
        n = enver_names(e, central)
        where = (e.account_id or "", e.region)
        judged: list[tuple[name_limits.NameKind, str]] = [
            ("role name", n.names.build_role_name), ("role name", n.names.center_role_name),
            ("workflow file", n.names.workflow_file), ("secret name", n.names.workflow_secret),
        ]
        for s in n.stacks:
            judged.append(("stack name", s.name))
            stacks[(*where, s.name)].add(e.id)
        for p in n.products:
            judged.append(("parameter name", p.path))
            paths[p.path].add(e.id)
        for i in n.images:
            judged.append(("ECR repository", i.repository))
            repos[(*where, i.repository)].add(e.id)
        for kind, name in judged:
            if name_limits.limit_problems(kind, name) is not None:
                assert codes & ({"E106"} | INPUT_CODES), f"{kind} {name!r} breaks its limit"
    for table in (stacks, paths, repos):
        for key, owners in table.items():
            if len(owners) > 1:
                assert codes & ({"E105"} | INPUT_CODES), f"{sorted(owners)} share {key}"
