"""rustc-style text: header, `-->` location, the source line with carets, notes and help.

    error[E201]: unknown build `fooo`
      --> shop/orders.odmd:12:20
       |
    12 |       event-bus = fooo.master.bus-src
       |                   ^^^^ not declared in this org
       |
       = help: did you mean `foo`?

Source lines are shown as a terminal would show them safely: control characters become
visible symbols (a stray escape sequence in a file must not reach the terminal), carets account
for wide characters, and lines longer than `MAX_LINE` columns are cut to a window around the
labels, with `...` where text was left out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from odmdc.compiler.diagnostics import Diagnostic, Label, Severity, count_by_severity
from odmdc.compiler.span import Span

MAX_LINE = 120
_CONTEXT = 24  # columns kept before the first label when a long line is cut
_ELLIPSIS = "..."

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


def _visible(char: str) -> str:
    """One character as it is safe to print: C0 controls as their Unicode control pictures,
    other controls and format characters as U+FFFD, tabs as a space."""
    code = ord(char)
    if char == "\t":
        return " "
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return "\ufffd"
    return char


def _width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _source_line(sources: Mapping[str, str], span: Span) -> str | None:
    text = sources.get(span.file)
    if text is None:
        return None
    lines = text.removeprefix("\ufeff").split("\n")
    if not 1 <= span.line <= len(lines):
        return None
    return lines[span.line - 1].removesuffix("\r")


class _Line:
    """One source line as displayed: characters made visible, cut to a window if long."""

    def __init__(self, raw: str, labels: Sequence[Label]) -> None:
        chars = [_visible(c) for c in raw]
        first = min((lb.span.column for lb in labels), default=1) - 1
        self.left = 0
        self.right = len(chars)
        widths = [_width(c) for c in chars]
        if sum(widths) > MAX_LINE:
            self.left = max(0, min(first - _CONTEXT, len(chars) - 1))
            total = 0
            self.right = self.left
            while self.right < len(chars) and total + widths[self.right] <= MAX_LINE:
                total += widths[self.right]
                self.right += 1
        self.chars = chars
        self.widths = widths
        self.prefix = _ELLIPSIS if self.left > 0 else ""
        self.suffix = _ELLIPSIS if self.right < len(chars) else ""

    def text(self) -> str:
        return self.prefix + "".join(self.chars[self.left : self.right]) + self.suffix

    def underline(self, span: Span, mark: str, line_no: int) -> str:
        """Marks under the part of `span` on this line (to its end if the span goes on)."""
        start = span.column - 1 if span.line == line_no else 0
        end = span.end_column - 1 if span.end_line == line_no else len(self.chars) + 1
        start = min(max(start, self.left), self.right)
        end = min(max(end, start), self.right + 1)
        pad = len(self.prefix) + sum(self.widths[self.left : start])
        width = sum(self.widths[start:end]) + max(0, end - len(self.chars))
        return " " * pad + mark * max(width, 1)


def render_one(d: Diagnostic, sources: Mapping[str, str], color: bool = False) -> str:
    paint = _Paint(color)
    sev = d.severity
    out = [
        paint(_COLORS[sev], f"{sev.value}[{d.code}]") + paint(_BOLD, f": {d.message}"),
    ]
    labels = [(d.primary, "^", _COLORS[sev]), *((s, "-", _BLUE) for s in d.secondary)]
    width = max(len(str(label.span.line)) for label, _, _ in labels)
    gutter = " " * width
    bar = paint(_BLUE, "|")
    out.append(f"{gutter}{paint(_BLUE, '-->')} {d.primary.span.short()}")
    out.append(f"{gutter} {bar}")
    primary_file = d.primary.span.file
    ordered = sorted(labels, key=lambda x: (x[0].span.file != primary_file, x[0].span.file,
                                            x[0].span.line, x[0].span.start))
    current_file = primary_file
    shown: dict[tuple[str, int], _Line | None] = {}
    last_line: dict[str, int] = {}
    for label, mark, style in ordered:
        span = label.span
        if span.file != current_file:
            out.append(f"{gutter}{paint(_BLUE, ':::')} {span.short()}")
            out.append(f"{gutter} {bar}")
            current_file = span.file
        key = (span.file, span.line)
        if key in shown:
            line = shown[key]
        else:
            raw = _source_line(sources, span)
            on_line = [lb for lb, _, _ in labels if (lb.span.file, lb.span.line) == key]
            line = shown[key] = None if raw is None else _Line(raw, on_line)
            if line is not None:
                previous = last_line.get(span.file)
                if previous is not None and span.line > previous + 1:
                    out.append(paint(_BLUE, "..."))  # lines left out between two labels
                last_line[span.file] = span.line
                number = paint(_BLUE, str(span.line).rjust(width))
                out.append(f"{number} {bar} {line.text()}".rstrip())
        if line is None:
            if label.message:
                out.append(f"{gutter} {bar} {paint(style, label.message)}")
            continue
        under = line.underline(span, mark, span.line)
        text = f"{under} {label.message}" if label.message else under
        out.append(f"{gutter} {bar} {paint(style, text)}")
    if d.notes or d.help:
        out.append(f"{gutter} {bar}")
    out.extend(f"{gutter} {paint(_BLUE, '=')} {paint(_BOLD, 'note')}: {n}" for n in d.notes)
    if d.help:
        out.append(f"{gutter} {paint(_BLUE, '=')} {paint(_BOLD, 'help')}: {d.help}")
    return "\n".join(out)


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
