"""rustc-style text: header, `-->` location, the source line with carets, notes and help.

    error[E201]: unknown build `fooo`
      --> shop/orders.odmd:12:20
       |
    12 |       event-bus = fooo.master.bus-src
       |                   ^^^^ not declared in this org
       |
       = help: did you mean `foo`?

Source lines are shown as a terminal would show them safely: control characters become
visible symbols (a stray escape sequence in a file must not reach the terminal), tabs become
four spaces, carets account for wide characters, and lines longer than `MAX_LINE` columns are
cut to a window around the labels, with `...` where text was left out. A label spanning lines
marks its first and its last line; `...` in the gutter stands for lines left out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from odmdc.compiler.diagnostics import Diagnostic, Label, Severity, count_by_severity

MAX_LINE = 120
_CONTEXT = 24  # columns kept before the first label when a long line is cut
_TAB = 4
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
    """One character as it is safe to print: a tab as spaces, C0 controls as their Unicode
    control pictures, other controls and format characters as U+FFFD."""
    code = ord(char)
    if char == "\t":
        return " " * _TAB
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return "\ufffd"
    return char


def _width(char: str) -> int:
    if char == "\t":
        return _TAB
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _source_line(sources: Mapping[str, str], file: str, line: int) -> str | None:
    text = sources.get(file)
    if text is None:
        return None
    lines = text.removeprefix("\ufeff").split("\n")
    if not 1 <= line <= len(lines):
        return None
    return lines[line - 1].removesuffix("\r")


@dataclass(frozen=True, slots=True)
class _Mark:
    """The part of a label on one source line: columns `[start, end)`, `end` None for the
    rest of the line; the label's message goes on the mark of its last line."""

    file: str
    line: int
    start: int
    end: int | None
    mark: str
    style: str
    message: str


def _marks(label: Label, mark: str, style: str, sources: Mapping[str, str]) -> list[_Mark]:
    span = label.span
    end_line: int = span.end_line
    end_col: int | None = span.end_column
    if end_line > span.line and end_col == 1:  # ends with a line break: ends on the line before
        end_line, end_col = end_line - 1, None
    if end_line <= span.line:
        return [_Mark(span.file, span.line, span.column, span.end_column, mark, style,
                      label.message)]
    last = _source_line(sources, span.file, end_line) or ""
    indent = len(last) - len(last.lstrip()) + 1
    return [
        _Mark(span.file, span.line, span.column, None, mark, style, ""),
        _Mark(span.file, end_line, min(indent, end_col or indent), end_col, mark, style,
              label.message),
    ]


class _Line:
    """One source line as displayed: characters made visible, cut to a window if long."""

    def __init__(self, raw: str, first_column: int) -> None:
        # A very long line is first cut by characters, so the work stays proportional to the
        # window, not to a line that may be megabytes long.
        self.base = 0
        cut_right = False
        if len(raw) > 2 * MAX_LINE:
            self.base = max(0, min(first_column - 1 - _CONTEXT, len(raw) - 2 * MAX_LINE))
            cut_right = self.base + 2 * MAX_LINE < len(raw)
            raw = raw[self.base : self.base + 2 * MAX_LINE]
            first_column -= self.base
        chars = [_visible(c) for c in raw]
        widths = [_width(c) for c in raw]
        self.left = 0
        self.right = len(chars)
        if sum(widths) > MAX_LINE:
            self.left = max(0, min(first_column - 1 - _CONTEXT, len(chars) - 1))
            total = 0
            self.right = self.left
            while self.right < len(chars) and total + widths[self.right] <= MAX_LINE:
                total += widths[self.right]
                self.right += 1
        self.chars = chars
        self.widths = widths
        self.prefix = _ELLIPSIS if self.left > 0 or self.base > 0 else ""
        self.suffix = _ELLIPSIS if self.right < len(chars) or cut_right else ""

    def text(self) -> str:
        return self.prefix + "".join(self.chars[self.left : self.right]) + self.suffix

    def underline(self, m: _Mark) -> str:
        """Marks under columns `[m.start, m.end)`; at least one, even for an empty span."""
        start = min(max(m.start - 1 - self.base, self.left), self.right)
        end = len(self.chars) if m.end is None else m.end - 1 - self.base
        end = min(max(end, start), self.right)
        pad = len(self.prefix) + sum(self.widths[self.left : start])
        return " " * pad + m.mark * max(sum(self.widths[start:end]), 1)


def render_one(d: Diagnostic, sources: Mapping[str, str], color: bool = False) -> str:
    paint = _Paint(color)
    sev = d.severity
    out = [
        paint(_COLORS[sev], f"{sev.value}[{d.code}]") + paint(_BOLD, f": {d.message}"),
    ]
    primary_file = d.primary.span.file
    marks = [*_marks(d.primary, "^", _COLORS[sev], sources),
             *(m for s in d.secondary for m in _marks(s, "-", _BLUE, sources))]
    marks.sort(key=lambda m: (m.file != primary_file, m.file, m.line, m.start))
    width = max(len(str(m.line)) for m in marks)
    gutter = " " * width
    bar = paint(_BLUE, "|")
    out.append(f"{gutter}{paint(_BLUE, '-->')} {d.primary.span.short()}")
    out.append(f"{gutter} {bar}")
    current_file = primary_file
    shown: dict[tuple[str, int], _Line | None] = {}
    last_line: dict[str, int] = {}
    for m in marks:
        if m.file != current_file:
            out.append(f"{gutter}{paint(_BLUE, ':::')} {m.file}:{m.line}:{m.start}")
            out.append(f"{gutter} {bar}")
            current_file = m.file
        key = (m.file, m.line)
        if key in shown:
            line = shown[key]
        else:
            raw = _source_line(sources, m.file, m.line)
            first = min(x.start for x in marks if (x.file, x.line) == key)
            line = shown[key] = None if raw is None else _Line(raw, first)
            if line is not None:
                previous = last_line.get(m.file)
                if previous is not None and m.line > previous + 1:
                    out.append(paint(_BLUE, "..."))  # lines left out between two marks
                last_line[m.file] = m.line
                number = paint(_BLUE, str(m.line).rjust(width))
                out.append(f"{number} {bar} {line.text()}".rstrip())
        if line is None:
            if m.message:
                out.append(f"{gutter} {bar} {paint(m.style, m.message)}")
            continue
        under = line.underline(m)
        text = f"{under} {m.message}" if m.message else under
        out.append(f"{gutter} {bar} {paint(m.style, text)}")
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
