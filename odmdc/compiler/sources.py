"""Finding and reading the `.odmd` files of a compilation unit.

Paths that do not exist, or directories without any `.odmd` file, are usage errors (exit 2):
the user named the wrong thing. A file that exists but cannot be used — unreadable, too large,
not UTF-8, containing NUL bytes — is an E000 diagnostic pointing into that file, so the other
files are still checked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from odmdc.compiler.diagnostics import Diagnostic, make
from odmdc.compiler.span import Span, file_start

MAX_FILE_BYTES = 16 * 1024 * 1024
EXTENSION = ".odmd"
STDLIB_PREFIX = "<stdlib>/"


class UsageError(Exception):
    """A command-line mistake: reported without a code, exit status 2."""


@dataclass(frozen=True, slots=True)
class Source:
    path: str  # as shown in diagnostics
    text: str
    stdlib: bool = False


def display_path(path: Path) -> str:
    """Relative to the working directory when below it, with `/` separators."""
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve())
        return rel.as_posix()
    except ValueError:
        return path.as_posix()


def collect(paths: list[str]) -> list[Path]:
    """Every `.odmd` file named by `paths` (files as given, directories recursively), sorted."""
    found: dict[str, Path] = {}
    for raw in paths or ["."]:
        p = Path(raw)
        if not p.exists():
            raise UsageError(f"no such file or directory: {raw}")
        if p.is_dir():
            hits = [
                Path(root) / name
                for root, dirs, names in os.walk(p)
                for name in names
                if name.endswith(EXTENSION) and not _hidden(Path(root) / name, p)
            ]
            if not hits:
                raise UsageError(f"no {EXTENSION} files under {raw}")
            for h in hits:
                found[str(h.resolve())] = h
        else:
            found[str(p.resolve())] = p
    return [found[k] for k in sorted(found, key=lambda k: display_path(found[k]))]


def _hidden(path: Path, root: Path) -> bool:
    """Files below a dot-directory (`.git`, `.venv`) are not part of the unit."""
    return any(part.startswith(".") for part in path.relative_to(root).parts[:-1])


def read(path: Path) -> tuple[Source | None, Diagnostic | None]:
    shown = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, make(
                "E000", f"file is too large ({size / 1e6:.1f} MB; the limit is "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MiB)", file_start(shown), "this file",
                help="split the contracts into several files",
            )
        data = path.read_bytes()
    except OSError as e:
        return None, make(
            "E000", f"cannot read file: {e.strerror or e}", file_start(shown), "this file",
            help="check that the file exists and is readable",
        )
    return decode(shown, data)


def decode(shown: str, data: bytes) -> tuple[Source | None, Diagnostic | None]:
    if len(data) > MAX_FILE_BYTES:
        return None, make(
            "E000", f"file is too large ({len(data) / 1e6:.1f} MB)", file_start(shown),
            "this file", help="split the contracts into several files",
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        return None, make(
            "E000", "file contains a NUL byte (is it a binary file?)", _byte_span(shown, data, nul),
            "NUL byte here", help=f"only UTF-8 text files can be {EXTENSION} sources",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, make(
            "E000", "file is not valid UTF-8", _byte_span(shown, data, e.start),
            f"invalid byte 0x{data[e.start]:02x}", help="save the file as UTF-8",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    return Source(shown, text), None


def _byte_span(shown: str, data: bytes, offset: int) -> Span:
    """Position of a byte offset in a file that may not decode: count lines in bytes, and the
    column in the characters of the valid prefix of that line."""
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Span(shown, offset, offset + 1, line, column, line, column + 1)


def stdlib_sources() -> list[Source]:
    """The standard library contracts shipped inside the package."""
    root = resources.files("odmdc.stdlib_contracts")
    out = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(EXTENSION):
            out.append(Source(STDLIB_PREFIX + entry.name, entry.read_text("utf-8"), stdlib=True))
    return out
