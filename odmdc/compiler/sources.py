"""Finding and reading the `.odmd` files of a compilation unit.

Paths that do not exist, or directories without any `.odmd` file, are usage errors (exit 2):
the user named the wrong thing. A file that exists but cannot be used — unreadable, a broken
link, a FIFO or device, too large, not UTF-8, containing NUL bytes — is an E000 diagnostic
pointing into that file, so the other files are still checked.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
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
    """Relative to the working directory when below it, with `/` separators.

    Symbolic links are kept as named (a linked file shows under the name the user gave), and
    nothing here raises, not even for a symlink loop.
    """
    cwd = os.getcwd()
    for candidate, base in ((os.path.abspath(path), cwd), (os.path.realpath(path),
                                                           os.path.realpath(cwd))):
        rel = os.path.relpath(candidate, base)
        if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
            return Path(rel).as_posix()
    return Path(os.path.abspath(path)).as_posix()


def collect(paths: list[str]) -> list[Path]:
    """Every `.odmd` file named by `paths` (files as given, directories recursively), sorted."""
    found: dict[str, Path] = {}
    for raw in paths or ["."]:
        p = Path(raw)
        if not os.path.lexists(p):
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
                found.setdefault(os.path.realpath(h), h)
        else:
            # Named explicitly: read whatever it is, so a broken link or a FIFO is an E000
            # pointing at it rather than a silent skip.
            found.setdefault(os.path.realpath(p), p)
    return sorted(found.values(), key=display_path)


def _hidden(path: Path, root: Path) -> bool:
    """Files below a dot-directory (`.git`, `.venv`) are not part of the unit."""
    return any(part.startswith(".") for part in path.relative_to(root).parts[:-1])


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _not_regular(shown: str, mode: int) -> Diagnostic:
    kind = next((word for test, word in _KINDS if test(mode)), "not a regular file")
    return make(
        "E000", f"cannot read {kind}", file_start(shown), "this path",
        help=f"name regular {EXTENSION} files or directories that hold them",
    )


def _too_large(shown: str, size: int) -> Diagnostic:
    return make(
        "E000", f"file is too large ({_mib(size)}; the limit is {_mib(MAX_FILE_BYTES)})",
        file_start(shown), "this file", help="split the contracts into several files",
    )


def read(path: Path) -> tuple[Source | None, Diagnostic | None]:
    """Read one source file: never blocks on a FIFO, never reads more than the size limit."""
    shown = display_path(path)
    try:
        info = os.stat(path)
    except OSError as e:
        return None, _unreadable(shown, path, e)
    if not stat.S_ISREG(info.st_mode):
        return None, _not_regular(shown, info.st_mode)
    if info.st_size > MAX_FILE_BYTES:
        return None, _too_large(shown, info.st_size)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the stat, open must not wait
        # for a writer; fstat below then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            mode = os.fstat(f.fileno()).st_mode
            if not stat.S_ISREG(mode):
                return None, _not_regular(shown, mode)
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        return None, _unreadable(shown, path, e)
    return decode(shown, data)


def _unreadable(shown: str, path: Path, e: OSError) -> Diagnostic:
    if os.path.islink(path) and e.errno in (errno.ENOENT, errno.ELOOP):
        target = os.readlink(path)
        why = "a loop" if e.errno == errno.ELOOP else "a missing file"
        return make(
            "E000", f"broken symbolic link: `{target}` leads to {why}", file_start(shown),
            "this link", help="fix or remove the link",
        )
    return make(
        "E000", f"cannot read file: {e.strerror or e}", file_start(shown), "this file",
        help="check that the file exists and is readable",
    )


def decode(shown: str, data: bytes) -> tuple[Source | None, Diagnostic | None]:
    if len(data) > MAX_FILE_BYTES:
        return None, _too_large(shown, len(data))
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return None, make(
                "E000", f"file is encoded as {name}, not UTF-8", file_start(shown),
                f"{name} byte-order mark", help="save the file as UTF-8",
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
    return Source(shown, text.removeprefix("\ufeff")), None


# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


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
