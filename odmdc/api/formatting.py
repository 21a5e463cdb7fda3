"""Formatting contracts in place (`odmdc fmt`): every file under some paths in the canonical
layout (`odmdc.compiler.fmt`), rewritten only when its text changes.

A file is rewritten through a temporary file in the same directory and `os.replace`, so a
reader never sees half a file and a crash never leaves one. A file with syntax errors or that
cannot be read is reported and left alone; the other files are still formatted.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from odmdc.compiler.diagnostics import Diagnostic, make
from odmdc.compiler.fmt import format_text
from odmdc.compiler.sources import collect, read
from odmdc.compiler.span import file_start
from odmdc.compiler.unit import Unit

_BOM = b"\xef\xbb\xbf"


@dataclass
class Formatted:
    unit: Unit  # the files' texts and what could not be read or parsed
    changed: list[str] = field(default_factory=list)  # as shown: rewritten, or would be

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return sorted(set(self.unit.diagnostics), key=Diagnostic.sort_key)


def format_files(paths: Sequence[str], *, check: bool = False,
                 on_change: Callable[[str], None] | None = None) -> Formatted:
    """Format every `.odmd` file under `paths` in place (`check`: write nothing);
    `on_change` hears of each file that changes (or would), as it happens."""
    files = collect(list(paths))
    out = Formatted(Unit(file_count=len(files)))
    unit = out.unit
    for path in files:
        src, problem = read(path)
        if src is None:
            assert problem is not None
            unit.diagnostics.append(problem)
            continue
        unit.texts[src.path] = src.text
        formatted, errors = format_text(src.path, src.text)
        if formatted is None:
            unit.diagnostics.extend(errors)
            continue
        if formatted == src.text and not _starts_with_bom(path):
            continue
        if not check:
            failure = write_atomically(path, formatted.encode("utf-8"), src.path)
            if failure is not None:
                unit.diagnostics.append(failure)
                continue
        out.changed.append(src.path)
        if on_change is not None:
            on_change(src.path)
    return out


def _starts_with_bom(path: Path) -> bool:
    """`read` drops a UTF-8 byte order mark; the canonical file has none."""
    try:
        with path.open("rb") as f:
            return f.read(len(_BOM)) == _BOM
    except OSError:
        return False


def write_atomically(path: Path, data: bytes, shown: str) -> Diagnostic | None:
    """Replace the file's content by `data` in one step, keeping its permission bits.

    A symbolic link is followed: its target is rewritten and the link stays a link.
    """
    target = Path(os.path.realpath(path))
    tmp: str | None = None
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".fmt-tmp",
                                   dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
    except OSError as e:
        return make(
            "E000", f"cannot write the formatted file: {e.strerror or e}", file_start(shown),
            "this file", help="check that the file and its directory are writable",
        )
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return None
