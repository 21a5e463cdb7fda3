"""rustc-style text: header, `-->` location, the source line with carets, notes and help.

    error[E201]: unknown build `fooo`
      --> shop/orders.odmd:12:20
       |
    12 |       event-bus = fooo.master.bus-src
       |                   ^^^^ not declared in this org
       |
       = help: did you mean `foo`?
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from odmdc.compiler.diagnostics import Diagnostic, Label, Severity, count_by_severity
from odmdc.compiler.span import Span

_COLORS = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
}
_BLUE = "\x1b[1;34m"
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


class _Paint:
    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, style: str, text: str) -> str:
        return f"{style}{text}{_RESET}" if self.on and text else text


def _source_line(sources: Mapping[str, str], span: Span) -> str | None:
    text = sources.get(span.file)
    if text is None:
        return None
    lines = text.split("\n")
    if not 1 <= span.line <= len(lines):
        return None
    return lines[span.line - 1].rstrip("\r").replace("\t", " ")


def _underline(line: str, span: Span, mark: str) -> str:
    start = span.column
    end = span.end_column if span.end_line == span.line else len(line) + 1
    width = max(end - start, 1)
    return " " * (start - 1) + mark * width


def render_one(d: Diagnostic, sources: Mapping[str, str], color: bool = False) -> str:
    paint = _Paint(color)
    sev = d.severity
    out = [
        paint(_COLORS[sev], f"{sev.value}[{d.code}]") + paint(_BOLD, f": {d.message}"),
    ]
    labels = [(d.primary, "^", _COLORS[sev]), *((s, "-", _BLUE) for s in d.secondary)]
    width = max(len(str(label.span.line)) for label, _, _ in labels)
    gutter = " " * width
    out.append(f"{gutter}{paint(_BLUE, '-->')} {d.primary.span.short()}")
    current_file = d.primary.span.file
    out.append(f"{gutter} {paint(_BLUE, '|')}")
    shown_lines: set[tuple[str, int]] = set()
    for label, mark, style in sorted(labels, key=lambda x: (x[0].span.file != current_file,
                                                             x[0].span.file, x[0].span.start)):
        _render_label(out, sources, label, mark, style, paint, width, current_file, shown_lines)
        current_file = label.span.file
    if d.notes or d.help:
        out.append(f"{gutter} {paint(_BLUE, '|')}")
    out.extend(f"{gutter} {paint(_BLUE, '=')} {paint(_BOLD, 'note')}: {n}" for n in d.notes)
    if d.help:
        out.append(f"{gutter} {paint(_BLUE, '=')} {paint(_BOLD, 'help')}: {d.help}")
    return "\n".join(out)


def _render_label(
    out: list[str],
    sources: Mapping[str, str],
    label: Label,
    mark: str,
    style: str,
    paint: _Paint,
    width: int,
    current_file: str,
    shown: set[tuple[str, int]],
) -> None:
    span = label.span
    gutter = " " * width
    if span.file != current_file:
        out.append(f"{gutter}{paint(_BLUE, ':::')} {span.short()}")
        out.append(f"{gutter} {paint(_BLUE, '|')}")
    line = _source_line(sources, span)
    if line is None:
        if label.message:
            out.append(f"{gutter} {paint(_BLUE, '|')} {paint(style, label.message)}")
        return
    key = (span.file, span.line)
    if key not in shown:
        shown.add(key)
        out.append(f"{paint(_BLUE, str(span.line).rjust(width))} {paint(_BLUE, '|')} {line}")
    under = _underline(line, span, mark)
    text = f"{under} {label.message}" if label.message else under
    out.append(f"{gutter} {paint(_BLUE, '|')} {paint(style, text)}")


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    counts = count_by_severity(diagnostics)
    parts = []
    for sev, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"),
                      (Severity.INFO, "info")):
        n = counts[sev]
        if n:
            parts.append(f"{n} {word}{'s' if n != 1 and sev is not Severity.INFO else ''}")
    return ", ".join(parts) if parts else "no problems found"


def render_text(
    diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], color: bool = False
) -> str:
    blocks = [render_one(d, sources, color) for d in diagnostics]
    return "\n\n".join(blocks) + ("\n" if blocks else "")
