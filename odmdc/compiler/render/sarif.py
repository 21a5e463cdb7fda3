"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.

Locations are the display paths (relative to the working directory) under the `%SRCROOT%`
base, so running `odmdc check --format sarif` from the repository root uploads as is. Rules
come from the catalogue with their title, summary and `odmdc explain` text as help.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from odmdc import __version__
from odmdc.compiler.diagnostics import Diagnostic, Severity
from odmdc.compiler.rules import all_rules
from odmdc.compiler.span import Span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _region(span: Span) -> dict[str, int]:
    # SARIF columns are 1-based with an exclusive end, as ours are; an empty span still
    # needs endColumn > startColumn to be shown.
    end_col = span.end_column if (span.end_line, span.end_column) > (span.line, span.column) \
        else span.column + 1
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": end_col,
    }


def _location(span: Span, message: str = "") -> dict[str, Any]:
    loc: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": span.file, "uriBaseId": "%SRCROOT%"},
            "region": _region(span),
        }
    }
    if message:
        loc["message"] = {"text": message}
    return loc


def _message(d: Diagnostic) -> str:
    parts = [d.message]
    parts.extend(f"note: {n}" for n in d.notes)
    if d.help:
        parts.append(f"help: {d.help}")
    return "\n".join(parts)


def render_sarif(diagnostics: Sequence[Diagnostic]) -> str:
    catalogue = all_rules()
    used = sorted({d.code for d in diagnostics})
    index = {code: i for i, code in enumerate(used)}
    rules = []
    for code in used:
        rule = catalogue.get(code)
        title = rule.title if rule else code
        summary = rule.summary if rule else code
        level = _LEVEL[rule.effective_severity()] if rule else "error"
        rules.append({
            "id": code,
            "name": "".join(w.capitalize() for w in title.replace("`", "").split()),
            "shortDescription": {"text": title},
            "fullDescription": {"text": summary},
            "help": {"text": f"{summary}\nRun `odmdc explain {code}` for examples."},
            "defaultConfiguration": {"level": level},
        })
    results = []
    for d in diagnostics:
        result: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _LEVEL[d.severity],
            "message": {"text": _message(d)},
            "locations": [_location(d.primary.span)],
        }
        if d.secondary:
            result["relatedLocations"] = [
                {"id": i, **_location(s.span, s.message)} for i, s in enumerate(d.secondary)
            ]
        results.append(result)
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "odmdc",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2, sort_keys=False) + "\n"
