"""`--format json|sarif` shapes and validity, `--color`, and the validators themselves."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from odmdc import cli
from odmdc.compiler.diagnostics import Label, make
from odmdc.compiler.render.json import report_schema
from odmdc.compiler.render.sarif import artifact_location, render_sarif
from odmdc.compiler.span import Span
from tests.diagnostic_formats import (
    assert_valid_json_report,
    assert_valid_sarif,
    github_problems,
    sarif_schema_errors,
)

BROKEN = """\
org acme {
  accounts { central = "111111111111" }
}
build contracts : contracts_lib {
  repo = "acme/contracts"
  enver main = branch "main" in central "us-west-1"
}
build b : cdk {
  repo = "x"
  owner = "y" @
  enver main = branch "main" in central "us-west-1"
}
"""
ANSI = "\x1b["


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    (tmp_path / "b.odmd").write_text(BROKEN, encoding="utf-8")
    return "b.odmd"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def check_stderr(argv: list[str], monkeypatch: pytest.MonkeyPatch, tty: bool) -> str:
    stream = _Tty() if tty else io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    assert cli.main(["check", *argv]) == 1
    return stream.getvalue()


@pytest.mark.parametrize(("argv", "env", "tty", "coloured"), [
    (["--color", "always"], {}, False, True),
    (["--color", "always"], {"NO_COLOR": "1"}, False, True),  # an explicit flag wins
    (["--color", "never"], {}, True, False),
    ([], {}, False, False),  # not a terminal
    ([], {}, True, True),
    (["--color", "auto"], {"NO_COLOR": "1"}, True, False),
    ([], {"NO_COLOR": ""}, True, True),  # NO_COLOR counts only when not empty
    ([], {"TERM": "dumb"}, True, False),
])
def test_color(broken: str, monkeypatch: pytest.MonkeyPatch, argv: list[str],
               env: dict[str, str], tty: bool, coloured: bool) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    err = check_stderr([*argv, broken], monkeypatch, tty)
    assert (ANSI in err) is coloured
    plain = check_stderr(["--color", "never", broken], monkeypatch, False)
    if coloured:
        # colour adds escape sequences and nothing else
        assert re.sub(r"\x1b\[[0-9;]*m", "", err) == plain


def test_source_text_cannot_inject_escape_sequences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e.odmd").write_text('build b : cdk { repo = "\x1b[31mred" @ }\n', "utf-8")
    assert cli.main(["check", "--color", "never", "e.odmd"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert '"\u241b[31mred" @' in err  # shown as the ESC control picture


def test_json_goes_to_stdout_and_validates(
    broken: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check", "--format", "json", broken]) == 1
    out = capsys.readouterr()
    assert out.err == ""
    doc = assert_valid_json_report(out.out)
    assert doc["summary"] == {"files": 1, "errors": 1, "warnings": 0, "infos": 0}
    (d,) = doc["diagnostics"]
    assert (d["code"], d["location"]["line"], d["location"]["column"]) == ("E001", 10, 15)


def test_json_schema_is_strict() -> None:
    schema = report_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"diagnostics", "summary"}
    with pytest.raises(AssertionError):
        assert_valid_json_report(json.dumps({"diagnostics": [], "summary": {}, "extra": 1}))


def test_sarif_goes_to_stdout_and_validates(
    broken: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check", "--format", "sarif", broken]) == 1
    out = capsys.readouterr()
    assert out.err == ""
    doc = assert_valid_sarif(out.out)
    (result,) = doc["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "b.odmd", "uriBaseId": "%SRCROOT%"}


def span(file: str, line: int = 1) -> Span:
    return Span(file, 0, 1, line, 1, line, 2)


@pytest.mark.parametrize(("file", "location"), [
    ("a.odmd", {"uri": "a.odmd", "uriBaseId": "%SRCROOT%"}),
    ("dir with space/ü.odmd", {"uri": "dir%20with%20space/%C3%BC.odmd", "uriBaseId": "%SRCROOT%"}),
    ("a:b#c%.odmd", {"uri": "a%3Ab%23c%25.odmd", "uriBaseId": "%SRCROOT%"}),
    ("<stdlib>/networking.odmd", {"uri": "%3Cstdlib%3E/networking.odmd",
                                  "uriBaseId": "%SRCROOT%"}),
    ("/abs/x y.odmd", {"uri": "file:///abs/x%20y.odmd"}),
])
def test_sarif_artifact_locations(file: str, location: dict[str, str]) -> None:
    assert artifact_location(file) == location
    doc = json.loads(render_sarif([make("E001", "m", span(file))]))
    assert sarif_schema_errors(doc) == []


def test_sarif_fingerprints_ignore_line_numbers_but_not_content() -> None:
    def fingerprint(text: str, line: int, message: str = "m") -> str:
        doc = json.loads(render_sarif([make("E001", message, span("f.odmd", line))],
                                      {"f.odmd": text}))
        value: str = doc["runs"][0]["results"][0]["partialFingerprints"]["odmdcDiagnostic/v1"]
        return value

    moved = fingerprint("x = @\n", 1) == fingerprint("\n\n   x = @\n", 3)
    assert moved
    assert fingerprint("x = @\n", 1) != fingerprint("y = @\n", 1)
    assert fingerprint("x = @\n", 1) != fingerprint("x = @\n", 1, "other")
    two = json.loads(render_sarif([make("E001", "m", span("f.odmd")),
                                   make("E001", "m", span("f.odmd"))], {"f.odmd": "x\n"}))
    a, b = (r["partialFingerprints"]["odmdcDiagnostic/v1"]
            for r in two["runs"][0]["results"])
    assert a != b and a.endswith(":1") and b.endswith(":2")


def test_sarif_related_locations_and_levels() -> None:
    d = make("W310", "w", span("a.odmd"), "here",
             secondary=[Label(span("b.odmd", 3), "there")], notes=["n"], help="h")
    doc = assert_valid_sarif(render_sarif([d]))
    (result,) = doc["runs"][0]["results"]
    assert result["level"] == "warning"
    assert result["message"]["text"] == "w\nnote: n\nhelp: h"
    assert result["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert result["relatedLocations"][0]["message"]["text"] == "there"


# ---- the validators catch what they are for ------------------------------------------------

def valid_doc() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(render_sarif([make("E001", "m", span("a.odmd"))]))
    return doc


@pytest.mark.parametrize(("breakage", "problem"), [
    (lambda r: r.pop("ruleId"), "ruleId is required"),
    (lambda r: r.__setitem__("message", {"text": ""}), "message.text is required"),
    (lambda r: r.__setitem__("locations", []), "locations are required"),
    (lambda r: r["locations"][0]["physicalLocation"]["region"].pop("startLine"),
     "region.startLine is required"),
    (lambda r: r["locations"][0]["physicalLocation"]["artifactLocation"].__setitem__(
        "uri", "/abs/a.odmd"), "not a path relative to the repository root"),
    (lambda r: r["locations"][0]["physicalLocation"]["artifactLocation"].__setitem__(
        "uri", "a b.odmd"), "not a valid (percent-encoded) URI reference"),
    (lambda r: r["locations"][0]["physicalLocation"]["artifactLocation"].__setitem__(
        "uri", "../a.odmd"), "leaves the repository root"),
    (lambda r: r.__setitem__("ruleIndex", 3), "ruleIndex 3 does not name rule E001"),
])
def test_github_checks_catch_bad_results(breakage: Any, problem: str) -> None:
    doc = valid_doc()
    assert github_problems(doc) == []
    breakage(doc["runs"][0]["results"][0])
    assert any(problem in p for p in github_problems(doc)), github_problems(doc)


def test_schema_check_catches_bad_documents() -> None:
    doc = valid_doc()
    doc["runs"][0]["results"][0]["level"] = "fatal"
    doc["runs"][0]["tool"]["driver"].pop("name")
    errors = sarif_schema_errors(doc)
    assert any("'fatal' is not one of" in e for e in errors)
    assert any("'name' is a required property" in e for e in errors)
