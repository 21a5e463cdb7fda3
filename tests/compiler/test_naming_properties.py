"""Properties of the names of docs/names.md over random build ids, revision values and templates.

Each property was seen to fail, under the `ci` profile, with the code it guards broken on
purpose: the stack limit moved to 129; the leading `-` → `A` dropped; a stack or ECR sanitiser
that collapses one `--` or `//` (not idempotent); E105 keying stacks or ECR repositories by the
raw revision; E105 pairing every enver with itself.
"""

from __future__ import annotations

import re

from hypothesis import assume, event, example, given, settings
from hypothesis import strategies as st

from odmdc.compiler import naming
from odmdc.compiler.checker.validity import revision_problem
from odmdc.compiler.name_limits import limit_problems
from tests.helpers import codes

STACK = re.compile(r"[A-Za-z][A-Za-z0-9-]*")

build_ids = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,30}", fullmatch=True)
revision_values = st.from_regex(r"[A-Za-z0-9_.-]{1,30}", fullmatch=True).filter(
    lambda v: revision_problem(v) is None)
kinds = st.sampled_from(["branch", "tag"])
templates = st.lists(
    st.one_of(st.just("{build}"), st.just("{rev}"), st.text(max_size=4)), max_size=5,
).map("".join)


def stack_of(template: str, build: str, kind: naming.RevisionKind, value: str) -> str:
    path = naming.revision_path(kind, value)
    return naming.stack_name(template, build, naming.stack_rev(kind, value, path))


# ---- stack names ---------------------------------------------------------------------------
@given(build_ids, revision_values, templates, kinds)
def test_every_stack_name_is_valid_or_limit_problems_says_why(
    build: str, value: str, template: str, kind: naming.RevisionKind,
) -> None:
    name = stack_of(template, build, kind, value)
    valid = STACK.fullmatch(name) is not None and len(name) <= 128
    assert (limit_problems("stack name", name) is None) == valid
    # what sanitising guarantees, whatever the template
    assert re.fullmatch(r"[A-Za-z0-9-]*", name)
    assert not name.startswith("-") and not name.endswith("-")


@given(build_ids, revision_values, kinds, st.integers(min_value=124, max_value=132))
@example("orders", "main", "branch", 128)
@example("orders", "main", "branch", 129)
def test_default_stack_names_are_wrong_only_by_their_length(
    build: str, value: str, kind: naming.RevisionKind, target: int,
) -> None:
    """Steered to lengths around 128: `{build}--{rev}` from a valid build id and revision
    always starts with a letter and holds only `[A-Za-z0-9-]`; only its length can be wrong,
    and it is wrong exactly past 128."""
    short = stack_of("{build}--{rev}", build, kind, value)
    build += "x" * max(0, target - len(short))
    name = stack_of("{build}--{rev}", build, kind, value)
    why = limit_problems("stack name", name)
    event("128 or less" if len(name) <= 128 else "longer than 128")
    event(f"length {len(name)}" if len(name) in (128, 129) else "other length")
    if len(name) <= 128:
        assert why is None
    else:
        assert why == f"is {len(name)} characters long, more than the 128 CloudFormation allows"


# ---- sanitising ----------------------------------------------------------------------------
# raw names crowded with the characters sanitising is about, and any text at all
_PIECES = ["a", "Z", "0", "Ü", " ", ":", "-", "_", ".", "/", "--", "__", "..", "//"]
raw_names = st.one_of(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join), st.text())
# a pure function of microseconds: worth many more examples than the profile's default
many = settings(max_examples=max(settings().max_examples, 300))


@many
@given(raw_names)
def test_stack_name_sanitising_is_idempotent(raw: str) -> None:
    once = naming.sanitise_stack_name(raw)
    assert naming.sanitise_stack_name(once) == once


@many
@given(raw_names)
def test_ecr_sanitising_is_idempotent(raw: str) -> None:
    once = naming.sanitise_ecr(raw)
    assert naming.sanitise_ecr(once) == once
    assert re.fullmatch(r"[a-z0-9/-]*", once)


# ---- collisions are E105 -------------------------------------------------------------------
segments = st.lists(st.from_regex(r"[A-Za-z0-9]{1,3}", fullmatch=True), min_size=1, max_size=4)


@st.composite
def look_alike_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two revision values made of the same letters and digits, joined (and maybe ended) by
    separators drawn independently: they collide in stack names iff the positions of their
    separators agree."""
    parts = draw(segments)
    seps = st.sampled_from(["-", "_", "."])
    ends = st.sampled_from(["", "-", "_", "."])

    def join() -> str:
        inner = [draw(seps) for _ in parts[1:]]
        return "".join(p + s for p, s in zip(parts, [*inner, ""], strict=True)) + draw(ends)

    return join(), join()


@st.composite
def case_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two revision values differing in case, `_` and `.`: they may collide in ECR names."""
    base = draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True))

    def variant() -> str:
        out = ""
        for c in base:
            out += c.upper() if draw(st.booleans()) else c
            out += draw(st.sampled_from(["", "", "_", "."]))
        return out

    return variant(), variant()


def usable(value: str) -> bool:
    return revision_problem(value) is None and value[:1] not in ("v", "V")


@given(st.one_of(look_alike_pairs(), st.tuples(revision_values, revision_values)), kinds)
def test_envers_whose_stack_names_collide_get_e105(
    pair: tuple[str, str], kind: naming.RevisionKind,
) -> None:
    a, b = pair
    assume(a != b and usable(a) and usable(b))
    src = f"""
        build orders : cdk {{
          repo = "acme/orders"
          enver a = {kind} "{a}" in workspace1 "us-east-1"
          enver b = {kind} "{b}" in workspace1 "us-east-1"
        }}
    """
    collide = stack_of("{build}--{rev}", "orders", kind, a) == \
        stack_of("{build}--{rev}", "orders", kind, b)
    event("stack names collide" if collide else "stack names differ")
    assert codes(src) == (["E105"] if collide else [])


@given(case_pairs())
def test_envers_whose_ecr_repositories_collide_get_e105(pair: tuple[str, str]) -> None:
    a, b = pair
    assume(a != b and usable(a) and usable(b))
    src = f"""
        build app : container_image {{
          repo = "acme/app"
          enver a = branch "{a}" in workspace1 "us-east-1" {{ image web = "web:1" }}
          enver b = branch "{b}" in workspace1 "us-east-1" {{ image web = "web:1" }}
        }}
    """
    collide = naming.ecr_repository("app", naming.revision_path("branch", a), "web") == \
        naming.ecr_repository("app", naming.revision_path("branch", b), "web")
    event("repositories collide" if collide else "repositories differ")
    found = codes(src)
    assert found.count("E105") == (1 if collide else 0)
    assert set(found) <= {"E105", "E106"}  # a repository may also be invalid (`b..x-`)
