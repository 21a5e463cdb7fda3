"""`odmdc fmt [--check] PATHS…`: rewrite contracts in the canonical layout.

A file is rewritten only when its text changes (an unchanged file keeps its mtime), through a
temporary file in the same directory and `os.replace`, so a reader never sees half a file and
a crash never leaves one. A file with syntax errors or that cannot be read is reported and
left alone; the other files are still formatted. The paths of reformatted files go to stdout
(to stderr with `--format json|sarif`, so stdout stays one machine-readable document).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path

from odmdc.cli.common import add_diagnostic_options, add_paths, finish
from odmdc.compiler.diagnostics import Diagnostic, make
from odmdc.compiler.fmt import format_text
from odmdc.compiler.sources import collect, read
from odmdc.compiler.span import file_start
from odmdc.compiler.unit import Unit

_BOM = b"\xef\xbb\xbf"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "fmt", help="rewrite contracts in the canonical layout",
        description="Format every .odmd file under PATHS in place, printing each file it "
        "changed. With --check, change nothing: list the files that are not formatted and "
        "exit 1 if there are any.",
    )
    p.add_argument("--check", action="store_true",
                   help="write nothing; list unformatted files and exit 1 if any")
    add_paths(p)
    add_diagnostic_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    files = collect(args.paths)
    unit = Unit(file_count=len(files))
    listing = sys.stdout if args.format == "text" else sys.stderr
    changed = 0
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
        if not args.check:
            failure = write_atomically(path, formatted.encode("utf-8"), src.path)
            if failure is not None:
                unit.diagnostics.append(failure)
                continue
        changed += 1
        print(src.path, file=listing, flush=True)
    diagnostics = sorted(set(unit.diagnostics), key=Diagnostic.sort_key)
    status = 0
    if diagnostics or args.format != "text":
        status = finish(args, diagnostics, unit)
    if args.check and changed:
        status = 1
    return status


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
