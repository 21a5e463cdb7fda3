"""A commit-msg hook: the subject line (the first) says what changed in at most 72
characters, and a blank line separates it from the body. `make hooks` installs it."""

from __future__ import annotations

import sys
from pathlib import Path

LIMIT = 72


def problems(message: str) -> list[str]:
    lines = [line for line in message.splitlines() if not line.startswith("#")]
    if not lines or not lines[0].strip():
        return ["the message has no subject line"]
    out = []
    if len(lines[0]) > LIMIT:
        out.append(f"the subject is {len(lines[0])} characters long; at most {LIMIT}: say "
                   "what changed, and why in the body")
    if len(lines) > 1 and lines[1].strip():
        out.append("a blank line must follow the subject")
    return out


def main(argv: list[str]) -> int:
    found = problems(Path(argv[1]).read_text("utf-8"))
    for p in found:
        print(f"commit message: {p}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
