"""The catalogue itself: every code odmdc reports, each documented, each example real.

`bad.odmd` marks offending lines with `// [CODE]`; checking it must give exactly those codes on
exactly those lines. `good.odmd` must check clean. (pylint's tested message docs, rustc's
doctested error-code explanations.) E406's examples are commit messages, `bad.msg` and
`good.msg`: read with the marks cut off, they must give the same.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from odmdc import api
from odmdc.compiler.clones.commit_message import parse as parse_message
from odmdc.compiler.rules import Rule, all_rules, catalogue, explain
from odmdc.compiler.rules.catalogue import EXAMPLE_KINDS
from odmdc.compiler.unit import load

# The product definition's codes, verbatim (docs/rules.md); E000 (unusable input files) and
# E601/W601 (what a backend cannot express) are odmdc's own.
SPEC_CODES = [
    "E001", "E002", "E003", "E004", "E101", "E102", "E103", "E104", "E105", "E106", "E107",
    "E108", "E201", "E202", "E203", "E301", "E302", "E303", "E304", "E305", "E306", "E307",
    "E308", "E309", "E401", "E402", "E403", "E404", "E405", "E406", "E407", "E501", "W301",
    "W310",
]
EXTRA_CODES = ["E000", "E601", "W601"]
MARK = re.compile(r"//\s*\[([EW]\d{3}(?:\s*,\s*[EW]\d{3})*)\]")
RULES = catalogue()
ROOT = Path(__file__).resolve().parents[3]
EXPLAIN_ROOT = ROOT / "odmdc" / "compiler" / "rules" / "explain"


def test_every_code_is_in_the_catalogue_once() -> None:
    assert sorted(RULES) == sorted(SPEC_CODES + EXTRA_CODES)
    assert sorted(p.name for p in EXPLAIN_ROOT.iterdir() if p.is_dir()) == sorted(RULES)


def _reported_codes() -> dict[str, list[str]]:
    """Every code the sources can report: each string literal that is a code, in every module
    of the package (the explanations' folder aside), with where it is written."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "odmdc").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    re.fullmatch(r"[EW]\d{3}", node.value):
                found.setdefault(node.value, []).append(
                    f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_code_reported_anywhere_is_in_the_catalogue() -> None:
    # make(...), ctx.report(...), EmitContext.unsupported (E601/W601) and name_limit (E106)
    # all take their code as a literal or a rule's `code`: every one must be explainable
    unknown = {c: where for c, where in _reported_codes().items() if c not in RULES}
    assert unknown == {}, f"reported but not in the catalogue: {unknown}"


def test_every_catalogue_entry_is_reported_somewhere() -> None:
    reported = _reported_codes()
    for code, entry in RULES.items():
        if entry.reported_by == "rule":
            assert all_rules()[code].check is not Rule.check, f"{code}'s rule checks nothing"
        else:
            module = entry.reported_by.split()[0]
            sites = [w for w in reported.get(code, []) if "rules/catalogue.py" not in w]
            folder = module.replace(".", "/")
            assert any(w.startswith(folder) for w in sites), (code, module, sites)


def test_codes_titles_and_summaries_are_well_formed() -> None:
    titles = [r.title for r in RULES.values()]
    summaries = [r.summary for r in RULES.values()]
    assert len(set(titles)) == len(titles), "two rules share a title"
    assert len(set(summaries)) == len(summaries), "two rules share a summary"
    for code, rule in RULES.items():
        assert re.fullmatch(r"[EW]\d{3}", code)
        assert rule.title and rule.title == rule.title.lower()[:1] + rule.title[1:]
        assert not rule.title.endswith(".")
        assert rule.summary.endswith(".")


@pytest.mark.parametrize("code", sorted(RULES))
def test_explanation_exists(code: str) -> None:
    e = explain(code)
    assert e is not None
    assert e.text.startswith(f"# {code}: ")
    assert MARK.search(e.bad), f"{code}/bad.odmd marks no line"


def _expected(path: Path) -> set[tuple[str, int]]:
    out = set()
    for lineno, line in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), 1):
        m = MARK.search(line)
        if m:
            out |= {(c.strip(), lineno) for c in m.group(1).split(",")}
    return out


def _example(code: str, which: str) -> Path:
    found = [p for s in EXAMPLE_KINDS if (p := EXPLAIN_ROOT / code / f"{which}.{s}").is_file()]
    assert len(found) == 1, f"{code} needs exactly one {which}.* example, found {found}"
    return found[0]


def _message_diagnostics(path: Path) -> set[tuple[str, int]]:
    lines = path.read_text("utf-8").split("\n")
    unmarked = "\n".join(re.sub(r"\s*" + MARK.pattern + r"\s*$", "", line) for line in lines)
    return {(d.code, d.span.line) for d in parse_message(unmarked).diagnostics}


def _diagnostics(path: Path) -> set[tuple[str, int]]:
    if path.suffix == ".msg":
        return _message_diagnostics(path)
    code = path.parent.name
    unit = load([str(path)])
    rule = RULES[code]
    enable = [code] if not rule.enabled_by_default else []
    result = api.check(unit, enable=enable)  # the backends' checks too: E601, W601, E106
    return {(d.code, d.span.line) for d in result.diagnostics}


@pytest.mark.parametrize("code", sorted(RULES))
def test_bad_example_fails_with_exactly_its_marks(code: str) -> None:
    path = _example(code, "bad")
    expected = _expected(path)
    assert code in {c for c, _ in expected}
    assert _diagnostics(path) == expected


@pytest.mark.parametrize("code", sorted(RULES))
def test_good_example_is_clean(code: str) -> None:
    assert _diagnostics(_example(code, "good")) == set()


def test_docs_rules_md_is_current() -> None:
    from odmdc.compiler.rules.doc import markdown

    committed = (Path(__file__).resolve().parents[3] / "docs" / "rules.md").read_text()
    assert committed == markdown(), "docs/rules.md is stale: run `make docs`"

def test_e003_unknown_backend_in_the_org_list() -> None:
    from tests.helpers import PRELUDE, diagnose

    prelude = PRELUDE.replace("  }\n}", "  }\n  backends = [ssm, cloudformaton]\n}", 1)
    (d,) = diagnose({"prelude.odmd": prelude}, prelude=False)
    assert (d.code, d.message) == ("E003", "no backend named `cloudformaton` is installed")
    assert d.help == "did you mean `cloudformation`?"
