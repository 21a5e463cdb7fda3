"""The rule catalogue itself: one rule per SPEC §3 code, each documented, each example real.

`bad.odmd` marks offending lines with `// [CODE]`; checking it must give exactly those codes on
exactly those lines. `good.odmd` must check clean. (pylint's tested message docs, rustc's
doctested error-code explanations.) E406's examples are commit messages, `bad.msg` and
`good.msg`: read with the marks cut off, they must give the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from odmdc import api
from odmdc.compiler.clones.commit_message import parse as parse_message
from odmdc.compiler.rules import all_rules, explain
from odmdc.compiler.rules.base import EXAMPLE_KINDS
from odmdc.compiler.unit import load

# SPEC §3, verbatim codes (E000 is ours: unusable input files).
SPEC_CODES = [
    "E001", "E002", "E003", "E004", "E101", "E102", "E103", "E104", "E105", "E106", "E107",
    "E108", "E201", "E202", "E203", "E301", "E302", "E303", "E304", "E305", "E306", "E307",
    "E308", "E309", "E401", "E402", "E403", "E404", "E405", "E406", "E407", "E501", "W301",
    "W310",
]
EXTRA_CODES = ["E000"]
MARK = re.compile(r"//\s*\[([EW]\d{3}(?:\s*,\s*[EW]\d{3})*)\]")
RULES = all_rules()
EXPLAIN_ROOT = Path(__file__).resolve().parents[3] / "odmdc" / "compiler" / "rules" / "explain"


def test_every_spec_code_has_exactly_one_rule() -> None:
    assert sorted(RULES) == sorted(SPEC_CODES + EXTRA_CODES)


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
    result = api.check(unit, enable=enable, run_backends=False)
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
