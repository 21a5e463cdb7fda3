"""Golden snapshots of rendered diagnostics, rustc UI-test style.

Each case is `cases/<case>.odmd` (or a directory `cases/<case>/` of files) next to three
snapshots: `<case>.stderr` (text, no colour), `<case>.json` and `<case>.sarif`. CLI cases run
`odmdc check` in-process from `cases/`, so paths show as a user would type them. Renderer
cases (`RENDER_CASES`) build `Diagnostic` objects directly, for shapes no checker stage
produces yet (secondary labels in other files, notes, warnings, infos), and print them through
the same output code as `check`.

Regenerate with `.venv/bin/pytest tests/diagnostics --update-snapshots`, then read the diff:
a snapshot is only right if a person has judged it so. Every JSON and SARIF output is also
validated against its schema, whether or not it changed.
"""

from __future__ import annotations

import argparse
import difflib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from odmdc import cli
from odmdc.cli.common import finish
from odmdc.compiler.diagnostics import Diagnostic, Label, Severity, make
from odmdc.compiler.render import sarif as sarif_module
from odmdc.compiler.rules import explain
from odmdc.compiler.rules.catalogue import Entry
from odmdc.compiler.span import Span
from odmdc.compiler.unit import Unit
from tests.diagnostic_formats import assert_valid_json_report, assert_valid_sarif

CASES = Path(__file__).parent / "cases"
SUFFIX = {"text": "stderr", "json": "json", "sarif": "sarif"}


# ---- renderer-only cases -------------------------------------------------------------------

def span_of(sources: dict[str, str], file: str, needle: str, nth: int = 0) -> Span:
    text = sources[file]
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    end = at + len(needle)

    def line_col(offset: int) -> tuple[int, int]:
        return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1

    (line, col), (end_line, end_col) = line_col(at), line_col(end)
    return Span(file, at, end, line, col, end_line, end_col)


def render_labels(sources: dict[str, str]) -> list[Diagnostic]:
    orders, foundation = "render_labels/orders.odmd", "render_labels/foundation.odmd"

    def at(file: str, needle: str, nth: int = 0) -> Span:
        return span_of(sources, file, needle, nth)

    return [
        make("E201", "unknown build `foundaton`", at(orders, "foundaton"),
             "no build of this name", help="did you mean `foundation`?"),
        make("E002", "product `api` is declared twice in `orders.master`",
             at(orders, "api: url", 1), "declared again here",
             secondary=[Label(at(orders, "api: url"), "first declared here")],
             help="rename or remove one of them"),
        make("E306", "dependency cycle without a placeholder",
             at(orders, "table = foundation.master.table"),
             "`orders.master` consumes `foundation.master` here",
             secondary=[Label(at(foundation, "api = orders.master.api"),
                              "and `foundation.master` consumes `orders.master` here")],
             notes=["cycle: orders.master → foundation.master → orders.master"],
             help="give one of these consumers a `default` placeholder, so that the cycle "
             "deploys in two phases"),
        make("E305", "tag enver `orders.v1` consumes branch enver `foundation.master`",
             at(orders, 'bus = foundation.master.bus-src\n            on_change approve('
                '"arn:aws:iam::590184031795:role/release")'),
             "an immutable enver reads a mutable one",
             secondary=[Label(at(foundation, 'branch "master"'), "a branch: it moves")],
             notes=["what a tag enver deploys must never change, so it may only consume tag "
                    "envers"],
             help="consume a tag enver of `foundation`, or make `v1` a branch enver"),
        make("W310", "`orders.v1` consumes a product of a later phase",
             at(orders, "foundation.master.bus-src"), "phase `main` reads phase `dev`",
             notes=["org phases: mock, dev, main"]),
        make("W301", "no consumer reads product `unused`", at(foundation, "unused: string"),
             "produced here", severity=Severity.INFO),
    ]


RENDER_CASES: dict[str, Callable[[dict[str, str]], list[Diagnostic]]] = {
    "render_labels": render_labels,
}


def run_renderer_case(case: str, fmt: str, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    folder = CASES / case
    sources = {f"{case}/{p.name}": p.read_text("utf-8") for p in sorted(folder.glob("*.odmd"))}
    diagnostics = sorted(RENDER_CASES[case](sources), key=Diagnostic.sort_key)
    # entries of their own, so that their SARIF does not follow the real catalogue (which other
    # work changes); the real one is covered by the CLI cases
    fake = {d.code: Entry(d.code, f"test rule {d.code}", f"What {d.code} checks, in one "
                          "sentence.", Severity.of_code(d.code)) for d in diagnostics}
    monkeypatch.setattr(sarif_module, "catalogue", lambda: fake)
    monkeypatch.setattr(sarif_module, "explain", lambda code: None)
    args = argparse.Namespace(format=fmt, color="never", deny_warnings=False)
    unit = Unit(texts=sources, file_count=len(sources))
    status = finish(args, diagnostics, unit)
    out = capsys.readouterr()
    return status, out.err if fmt == "text" else out.out


# ---- CLI cases -----------------------------------------------------------------------------

def cli_cases() -> list[str]:
    names = {p.stem for p in CASES.glob("*.odmd")} | {p.name for p in CASES.iterdir()
                                                       if p.is_dir()}
    return sorted(names - RENDER_CASES.keys())


def run_cli_case(case: str, fmt: str, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.chdir(CASES)
    monkeypatch.delenv("NO_COLOR", raising=False)
    target = f"{case}.odmd" if (CASES / f"{case}.odmd").exists() else case
    status = cli.main(["check", "--format", fmt, "--color", "never", target])
    out = capsys.readouterr()
    if fmt == "text":
        assert out.out == ""
        return status, out.err
    assert out.err == ""
    return status, out.out


# ---- comparing -----------------------------------------------------------------------------

def normalise_sarif(text: str) -> str:
    """Rule help in Markdown is the `odmdc explain` text: checked here, elided in snapshots so
    they do not change with every edit of an explanation."""
    doc: dict[str, Any] = json.loads(text)
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]:
        markdown = rule["help"].get("markdown")
        if markdown is None:
            continue
        e = explain(rule["id"])
        assert e is not None and markdown.startswith(e.text.rstrip())
        assert e.bad.rstrip() in markdown and e.good.rstrip() in markdown
        rule["help"]["markdown"] = f"<odmdc explain {rule['id']}>"
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def check_snapshot(path: Path, actual: str, update: bool) -> None:
    if update:
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"no snapshot {path.name}: run pytest --update-snapshots and review it")
    expected = path.read_text("utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            f"{path.name} (snapshot)", f"{path.name} (now)"))
        pytest.fail(f"{path.name} differs from its snapshot:\n{diff}")


def outputs(case: str, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> dict[str, tuple[int, str]]:
    run = run_renderer_case if case in RENDER_CASES else run_cli_case
    return {fmt: run(case, fmt, monkeypatch, capsys) for fmt in SUFFIX}


@pytest.mark.parametrize("case", [*cli_cases(), *RENDER_CASES])
def test_golden(case: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                update_snapshots: bool) -> None:
    results = outputs(case, monkeypatch, capsys)
    report = assert_valid_json_report(results["json"][1])
    assert_valid_sarif(results["sarif"][1])
    # one exit status whatever the format: 1 when there are errors
    expected_status = 1 if report["summary"]["errors"] else 0
    assert {status for status, _ in results.values()} == {expected_status}
    for fmt, (_status, text) in results.items():
        shown = normalise_sarif(text) if fmt == "sarif" else text
        check_snapshot(CASES / f"{case}.{SUFFIX[fmt]}", shown, update_snapshots)


def test_every_snapshot_has_a_case() -> None:
    cases = {*cli_cases(), *RENDER_CASES}
    stale = sorted(p.name for p in CASES.iterdir()
                   if p.suffix in (".stderr", ".json", ".sarif") and p.stem not in cases)
    assert stale == []


def test_golden_cases_exist() -> None:
    assert len(cli_cases()) >= 5
