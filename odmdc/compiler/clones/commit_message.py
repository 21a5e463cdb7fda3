"""`odmd:` commands in a commit message, read the way the ONDEMANDENV platform reads them.

A push to branch BR of a build's repository carries a commit message. A line

    odmd: create@<origin>

makes BR a clone of the build's enver whose branch or tag is `<origin>`, and a line

    odmd: delete

removes BR's clone. `parse` turns one message into at most one command and reports every
malformed `odmd:` line as E406. The message is treated as a source file named
`<commit message>`: diagnostics point into it, and the renderer shows the line with carets once
the caller registers the text under that name.

How a message is read (`odmdc explain E406` says the same to users):

- **Lines** are separated by `\\n`. A `\\r` before it (CRLF) is trailing whitespace like any
  other, so CRLF and LF messages read the same.
- **A command line** is a line whose first non-blank characters are `odmd:`, in lower case as
  the platform matches it. Leading blanks are allowed (`git log` indents bodies by four
  spaces), and trailing blanks are ignored. `ODMD:` or `Odmd:` is prose, not a command.
- **`odmd:` later in a line is prose**: a GitHub squash-merge message lists the squashed
  subjects as `* odmd: create@main`, and a body may explain "run odmd: create@main". Acting on
  those would clone or delete on a quotation. They are returned in `Parsed.mentions`, so
  `odmdc clone` can say why it found nothing to do.
- **The command** follows `odmd:` after optional blanks, and is exactly `create@<origin>` or
  `delete`, lower case, with nothing but blanks after it. `<origin>` is everything from `@` up
  to the next blank and may not be empty. It is a branch or a tag value (`main`, `v1.0.0`),
  optionally written as a revision path (`b..main`, `t..v1.0.0`) to say which kind is meant;
  whether it names an enver is decided against the contracts (`dynamic.py`), not here.
- **Several command lines**: identical commands count once (rebases and squashes repeat
  lines). Two different commands are E406: creating or deleting an environment on a guess
  ("last one wins") is worse than asking for a clean message.
- **Any E406 rejects the whole message**: `Parsed.command` is then None, as it is for a message
  without command lines.

`parse` never raises, whatever the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from odmdc.compiler.diagnostics import Diagnostic, Label, make
from odmdc.compiler.span import Span
from odmdc.compiler.suggest import closest

#: The file name diagnostics about a commit message carry.
COMMIT_MESSAGE: Final = "<commit message>"
PREFIX: Final = "odmd:"
CODE: Final = "E406"
VERBS: Final = ("create", "delete")
USAGE: Final = "the commands are `odmd: create@<branch or tag>` and `odmd: delete`"

_VERB = re.compile(r"[A-Za-z]+")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Create:
    """`odmd: create@<origin>`."""

    origin: str
    span: Span  # the command, `odmd: create@main`
    origin_span: Span  # `main`

    @property
    def key(self) -> tuple[str, str]:
        return ("create", self.origin)

    @property
    def text(self) -> str:
        return f"{PREFIX} create@{self.origin}"


@dataclass(frozen=True, slots=True)
class Delete:
    """`odmd: delete`."""

    span: Span

    @property
    def key(self) -> tuple[str, str]:
        return ("delete", "")

    @property
    def text(self) -> str:
        return f"{PREFIX} delete"


Command = Create | Delete


@dataclass(frozen=True, slots=True)
class Parsed:
    #: The command to carry out: None when the message has none or any E406.
    command: Command | None
    #: Every well-formed command line, in message order.
    commands: tuple[Command, ...]
    diagnostics: tuple[Diagnostic, ...]
    #: `odmd:` written inside a line, which is prose and not a command.
    mentions: tuple[Span, ...]

    @property
    def ok(self) -> bool:
        return not self.diagnostics


@dataclass(frozen=True, slots=True)
class _Line:
    file: str
    number: int
    offset: int  # of the line's first character in the message
    text: str

    def span(self, start: int, end: int) -> Span:
        return Span(self.file, self.offset + start, self.offset + end, self.number, start + 1,
                    self.number, end + 1)

    def word_at(self, pos: int) -> tuple[int, int]:
        """The blank-delimited word starting at `pos` (which is not blank)."""
        m = _WORD.match(self.text, pos)
        return (pos, m.end()) if m else (pos, pos)

    def rest(self, pos: int) -> tuple[int, int]:
        """`pos` to the end of the line without trailing blanks."""
        end = len(self.text.rstrip())
        return pos, max(end, pos)


def parse(text: str, file: str = COMMIT_MESSAGE) -> Parsed:
    commands: list[Command] = []
    diagnostics: list[Diagnostic] = []
    mentions: list[Span] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), 1):
        line = _Line(file, number, offset, raw)
        offset += len(raw) + 1
        body = raw.lstrip()
        start = len(raw) - len(body)
        if body.startswith(PREFIX):
            command = _command(line, start, diagnostics)
            if command is not None:
                commands.append(command)
            search_from = len(raw)
        else:
            search_from = 0
        at = raw.find(PREFIX, search_from)
        while at >= 0:
            mentions.append(line.span(at, at + len(PREFIX)))
            at = raw.find(PREFIX, at + 1)
    if commands:
        first = commands[0]
        for other in commands[1:]:
            if other.key != first.key:
                diagnostics.append(make(
                    CODE, "conflicting `odmd:` commands in one commit message", other.span,
                    f"`{other.text}` here", secondary=[Label(first.span, f"`{first.text}` here")],
                    help="keep exactly one `odmd:` command line in the message",
                ))
    command = commands[0] if commands and not diagnostics else None
    return Parsed(command, tuple(commands), tuple(diagnostics), tuple(mentions))


def _command(line: _Line, start: int, diagnostics: list[Diagnostic]) -> Command | None:
    """The command on a line starting (after `start` blanks) with `odmd:`, or None after
    reporting why it is malformed."""
    raw = line.text

    def fail(message: str, span: tuple[int, int], label: str, help: str = USAGE) -> None:
        diagnostics.append(make(CODE, message, line.span(*span), label, help=help))

    prefix = (start, start + len(PREFIX))
    pos = prefix[1]
    while pos < len(raw) and raw[pos].isspace():
        pos += 1
    if pos >= len(raw):
        fail("empty `odmd:` command", prefix, "no command after `odmd:`")
        return None
    verb_match = _VERB.match(raw, pos)
    if verb_match is None:
        fail("malformed `odmd:` command", line.word_at(pos), "expected `create@` or `delete`")
        return None
    verb = verb_match.group()
    verb_end = verb_match.end()
    if verb == "delete":
        rest = line.rest(verb_end)
        if rest[0] != rest[1] and not raw[verb_end].isspace():
            # `deleted`, `delete@x`, `delete:`…: the verb runs on into other characters
            fail(f"malformed `odmd:` command `{raw[pos:rest[1]]}`", (pos, rest[1]),
                 "expected `delete` alone")
            return None
        if raw[verb_end:].strip():
            arg = (verb_end + len(raw[verb_end:]) - len(raw[verb_end:].lstrip()), rest[1])
            fail("`odmd: delete` takes nothing after it", arg, "unexpected text",
                 help="a delete removes the clone of the branch the commit is pushed to: "
                 "write `odmd: delete` alone on its line")
            return None
        return Delete(line.span(start, verb_end))
    if verb != "create":
        hit = closest(verb, VERBS)
        if hit is not None and hit == verb.lower():
            fail(f"`odmd:` command `{verb}` must be lower case", (pos, verb_end),
                 f"write `{hit}`", help=f"the platform only reads `{hit}` in lower case")
        else:
            fail(f"unknown `odmd:` command `{verb}`", (pos, verb_end), "unknown command",
                 help=f"did you mean `{hit}`? {USAGE}" if hit else USAGE)
        return None
    if verb_end >= len(raw) or raw[verb_end] != "@":
        after = line.rest(verb_end)[1]
        word = raw[verb_end:after].strip().lstrip("@:=").strip()
        span = (pos, after) if after > verb_end else (pos, verb_end)
        fail("`odmd: create` needs `@<origin>` right after `create`", span,
             "expected `create@<branch or tag>`",
             help=f"write `odmd: create@{word}`" if word and " " not in word
             else "write `odmd: create@<branch or tag>`, e.g. `odmd: create@main`")
        return None
    origin_start = verb_end + 1
    origin_match = _WORD.match(raw, origin_start)
    if origin_match is None:
        following = raw[origin_start:].split()
        fail("`odmd: create@` names no origin", (pos, origin_start), "no origin after `@`",
             help=f"write `odmd: create@{following[0]}` with no blank after `@`" if following
             else "name the branch or tag to clone, e.g. `odmd: create@main`")
        return None
    origin_end = origin_match.end()
    rest = line.rest(origin_end)
    if rest[0] != rest[1]:
        junk = (origin_end + len(raw[origin_end:]) - len(raw[origin_end:].lstrip()), rest[1])
        fail("unexpected text after `odmd: create@…`", junk, "not part of the command",
             help="a command stands alone on its line: move other text to another line")
        return None
    return Create(origin_match.group(), line.span(start, origin_end),
                  line.span(origin_start, origin_end))
