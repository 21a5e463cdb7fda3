"""Compiling the test orgs with the cloudformation backend, and reading what it generated.

Orgs: every `examples/*` org of the repository (when that folder exists) and every folder of
`tests/backends/cloudformation/orgs/`. Compiled once per test session.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from odmdc import api
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.ir import IR, Enver
from odmdc.compiler.unit import load
from tests.helpers import emit

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
ORGS = HERE / "orgs"
BACKEND = "cloudformation"

Json = Any


def org_dirs() -> list[Path]:
    found = []
    for parent in (ROOT / "examples", ORGS):
        if parent.is_dir():
            found += [d for d in sorted(parent.iterdir())
                      if d.is_dir() and any(d.rglob("*.odmd"))]
    return found


def org_id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@dataclass(frozen=True)
class Compiled:
    ir: IR
    files: dict[str, bytes]  # below cloudformation/
    diagnostics: list[Diagnostic]

    @functools.cached_property
    def templates(self) -> dict[str, Json]:
        return {p: json.loads(b) for p, b in self.files.items()}

    def target(self, e: Enver) -> Json:
        return self.templates[f"{e.account_alias}/{e.region}/{e.build}.template.json"]

    def central(self, region: str) -> Json:
        """The region's root stack (what its build stacks share)."""
        return self.templates[f"central/{region}.template.json"]

    def central_build(self, region: str, build: str) -> Json:
        """The build's central stack in the region."""
        return self.templates[f"central/{region}/builds/{build}.template.json"]

    def central_builds(self, region: str) -> dict[str, Json]:
        """Every build stack of the region, by build id."""
        prefix = f"central/{region}/builds/"
        return {p.removeprefix(prefix).removesuffix(".template.json"): t
                for p, t in self.templates.items() if p.startswith(prefix)}


def compile_paths(paths: list[str], options: dict[str, Any] | None = None,
                  engine: dict[str, Any] | None = None) -> Compiled:
    """The cloudformation output of the contracts at `paths`, with `options` instead of the
    org's, and `engine`: the options of the org's CI engine instead of the org's."""
    result = api.check(load(paths), run_backends=False)
    errors = [f"{d.code} {d.span.short()} {d.message}" for d in result.diagnostics]
    assert result.ir is not None, "\n".join(errors)
    given = {**result.ir.org.backend_options, BACKEND: options or {}}
    if engine is not None:
        given[result.ir.org.ci] = engine
    out = emit(result.ir, [BACKEND], given)
    assert not out.errors, out.errors
    files = {k.removeprefix(f"{BACKEND}/"): v for k, v in out.files.items()}
    return Compiled(result.ir, files, out.diagnostics)


@functools.cache
def compiled(org: Path) -> Compiled:
    c = compile_paths([str(org)])
    assert c.diagnostics == [], [f"{d.code} {d.message}" for d in c.diagnostics]
    return c


# --- reading templates ------------------------------------------------------------------------
def resources(t: Json, type_: str) -> dict[str, Json]:
    return {k: r for k, r in t["Resources"].items() if r["Type"] == type_}


def role_by_name(t: Json, name: str) -> str:
    found = [k for k, r in resources(t, "AWS::IAM::Role").items()
             if r["Properties"].get("RoleName") == name]
    assert len(found) == 1, f"role {name}: {found}"
    return found[0]


def role_statements(t: Json, role: str) -> list[Json]:
    """Every statement granted to the role: inline policies and managed policies attached."""
    r = t["Resources"][role]["Properties"]
    out = [s for p in r.get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
    for p in resources(t, "AWS::IAM::ManagedPolicy").values():
        if {"Ref": role} in p["Properties"].get("Roles", []):
            out += p["Properties"]["PolicyDocument"]["Statement"]
    return out


def as_list(v: Json) -> list[Json]:
    return v if isinstance(v, list) else [v]


def policy_documents(t: Json) -> Iterator[tuple[str, str, Json]]:
    """(logical id, where, document) of every IAM-language document in a template."""
    for lid, r in t["Resources"].items():
        props = r["Properties"]
        for key in ("AssumeRolePolicyDocument", "PolicyDocument", "KeyPolicy"):
            if key in props:
                yield lid, key, props[key]
        for p in props.get("Policies", []):
            yield lid, f"Policies/{p['PolicyName']}", p["PolicyDocument"]


# --- evaluating policies ----------------------------------------------------------------------
def iam_match(pattern: str, value: str) -> bool:
    """IAM's matching of an action or ARN against a policy's pattern: `*` any run of
    characters (`/` included), `?` one; case-sensitive. Written independently of the
    backend's `globs` module, with the regex engine."""
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, value, re.DOTALL) is not None


def allowed(statements: list[Json], action: str, arn: str) -> bool:
    """Whether identity-policy statements allow `action` on `arn`: some Allow matches both
    and no Deny does (no conditions occur in the policies this is used on)."""
    def hits(s: Json) -> bool:
        assert "Condition" not in s and "NotResource" not in s and "NotAction" not in s, s
        return any(iam_match(a, action) for a in as_list(s["Action"])) and any(
            iam_match(r, arn) for r in as_list(s["Resource"]))

    return any(s["Effect"] == "Allow" and hits(s) for s in statements) and not any(
        s["Effect"] == "Deny" and hits(s) for s in statements)
