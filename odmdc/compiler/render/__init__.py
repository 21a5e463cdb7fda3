"""Diagnostic output formats, one module each: rustc-style text, JSON and SARIF 2.1.0."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from odmdc.compiler.diagnostics import Diagnostic

FORMATS = ("text", "json", "sarif")


def render(
    fmt: str,
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    *,
    color: bool = False,
    files_checked: int = 0,
) -> str:
    if fmt == "json":
        from odmdc.compiler.render.json import render_json

        return render_json(diagnostics, files_checked=files_checked)
    if fmt == "sarif":
        from odmdc.compiler.render.sarif import render_sarif

        return render_sarif(diagnostics, sources)
    from odmdc.compiler.render.text import render_text

    return render_text(diagnostics, sources, color=color)
