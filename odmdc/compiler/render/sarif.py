"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it.

Locations are the display paths (relative to the working directory) under the `%SRCROOT%`
base, percent-encoded as URI references, so running `odmdc check --format sarif` from the
repository root uploads as is; a file outside the working directory gets an absolute `file:`
URI. Rules come from the catalogue with their title, summary and `odmdc explain` text as help.
Each result carries a partial fingerprint made of its code, file, message and the text of its
source line (not the line number), so an alert survives lines added above it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from odmdc import __version__
from odmdc.compiler.diagnostics import Diagnostic, Severity
from odmdc.compiler.rules.catalogue import catalogue, explain
from odmdc.compiler.span import Span

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT = "odmdcDiagnostic/v1"
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


def artifact_location(file: str) -> dict[str, str]:
    """A relative path under `%SRCROOT%`, or an absolute `file:` URI."""
    if PurePosixPath(file).is_absolute() or PureWindowsPath(file).is_absolute():
        posix = PureWindowsPath(file).as_posix() if "\\" in file else file
        return {"uri": "file://" + quote(posix if posix.startswith("/") else "/" + posix, "/:")}
    return {"uri": quote(file, safe="/"), "uriBaseId": SRCROOT}


def _location(span: Span, message: str = "") -> dict[str, Any]:
    loc: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": artifact_location(span.file),
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


def _line_text(sources: Mapping[str, str], span: Span) -> str:
    text = sources.get(span.file)
    if text is None:
        return ""
    lines = text.split("\n")
    return lines[span.line - 1].strip() if 1 <= span.line <= len(lines) else ""


def _fingerprints(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str]) -> list[str]:
    """One stable fingerprint per result; equal ones are told apart by their order, as
    GitHub does for its own line hashes."""
    seen: dict[str, int] = {}
    out = []
    for d in diagnostics:
        key = "\0".join((d.code, d.primary.span.file, d.message,
                         _line_text(sources, d.primary.span)))
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        n = seen.get(digest, 0) + 1
        seen[digest] = n
        out.append(f"{digest}:{n}")
    return out


def _rule(code: str) -> dict[str, Any]:
    entry = catalogue().get(code)
    title = entry.title if entry else code
    summary = entry.summary if entry else code
    level = _LEVEL[entry.severity] if entry else "error"
    help_: dict[str, str] = {"text": f"{summary}\nRun `odmdc explain {code}` for examples."}
    try:
        e = explain(code) if entry else None
    except (OSError, ValueError):  # explanation files missing or unreadable: the text help
        e = None                   # above still holds
    if e is not None:
        help_["markdown"] = (
            f"{e.text.rstrip()}\n\n## Failing example\n\n```\n{e.bad.rstrip()}\n```\n\n"
            f"## Passing example\n\n```\n{e.good.rstrip()}\n```\n"
        )
    return {
        "id": code,
        "name": "".join(w.capitalize() for w in title.replace("`", "").split()),
        "shortDescription": {"text": title},
        "fullDescription": {"text": summary},
        "help": help_,
        "defaultConfiguration": {"level": level},
    }


def render_sarif(
    diagnostics: Sequence[Diagnostic], sources: Mapping[str, str] | None = None
) -> str:
    used = sorted({d.code for d in diagnostics})
    index = {code: i for i, code in enumerate(used)}
    fingerprints = _fingerprints(diagnostics, sources or {})
    results = []
    for d, fingerprint in zip(diagnostics, fingerprints, strict=True):
        result: dict[str, Any] = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _LEVEL[d.severity],
            "message": {"text": _message(d)},
            "locations": [_location(d.primary.span, d.primary.message)],
            "partialFingerprints": {FINGERPRINT: fingerprint},
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
                "rules": [_rule(code) for code in used],
            }},
            "originalUriBaseIds": {
                SRCROOT: {"description": {"text": "The directory odmdc ran in."}},
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
