"""Writing a compiled output tree atomically, touching only what changed.

The new tree is assembled in a sibling staging directory — unchanged files hard-linked from
the old tree (same inode, so their mtime is kept), changed ones written — and then swapped in
with one `renameat2(RENAME_EXCHANGE)`, so a reader (or a crash, or Ctrl-C) sees either the whole
old tree or the whole new one, never a mixture. Where the kernel lacks the exchange, two renames
are used and a leftover `.NAME.odmdc-old-*` is restored on the next run. When nothing changed,
nothing is written at all.

`DIR/manifest.json` lists every generated file with its SHA-256; files odmdc did not generate
are carried over untouched, files it generated before but no longer does are removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import shutil
import signal
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from odmdc import __version__
from odmdc.compiler.sources import UsageError

MANIFEST = "manifest.json"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@dataclass
class Changes:
    """What a compile did (or, with `--check`, would do) to the output tree."""

    written: list[str] = field(default_factory=list)  # new or changed content
    removed: list[str] = field(default_factory=list)  # generated before, not any more
    unchanged: list[str] = field(default_factory=list)

    @property
    def dirty(self) -> bool:
        return bool(self.written or self.removed)


def manifest_bytes(files: Mapping[str, bytes]) -> bytes:
    doc = {
        "generator": f"odmdc {__version__}",
        "files": {p: "sha256:" + hashlib.sha256(files[p]).hexdigest() for p in sorted(files)},
    }
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode()


def with_manifest(files: Mapping[str, bytes]) -> dict[str, bytes]:
    if MANIFEST in files:
        raise ValueError(f"{MANIFEST} is reserved for the output manifest")
    out = dict(files)
    out[MANIFEST] = manifest_bytes(files)
    return out


def _old_manifest(root: Path) -> set[str] | None:
    try:
        doc = json.loads((root / MANIFEST).read_text("utf-8"))
        return set(doc["files"]) | {MANIFEST}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _walk(root: Path) -> Iterator[str]:
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            yield (Path(dirpath) / n).relative_to(root).as_posix()


def _same(path: Path, content: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(content):
            return False
        return path.read_bytes() == content
    except OSError:
        return False


def _recover(root: Path) -> None:
    """Finish a swap a previous run was killed in the middle of."""
    if root.exists():
        return
    leftovers = sorted(root.parent.glob(f".{root.name}.odmdc-old-*"))
    if leftovers:
        leftovers[-1].rename(root)


def _guard(root: Path) -> set[str] | None:
    if root.exists() and not root.is_dir():
        raise UsageError(f"output path {root} exists and is not a directory")
    if root.resolve() in (Path.cwd().resolve(), *Path.cwd().resolve().parents):
        raise UsageError(f"refusing to use {root} as the output directory: it holds the "
                         "working directory")
    old = _old_manifest(root) if root.exists() else None
    if root.exists() and old is None and any(root.iterdir()):
        raise UsageError(f"{root} is not empty and has no {MANIFEST}: refusing to write into a "
                         "directory odmdc did not create")
    return old


def diff_tree(root: Path, files: Mapping[str, bytes]) -> Changes:
    """How `root` differs from `files` (which include the manifest)."""
    _recover(root)
    old = _guard(root) or set()
    ch = Changes()
    for p in sorted(files):
        (ch.unchanged if _same(root / p, files[p]) else ch.written).append(p)
    ch.removed = sorted(p for p in old - set(files) if (root / p).exists())
    return ch


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


@contextlib.contextmanager
def _no_interrupts() -> Iterator[None]:
    """Hold SIGINT/SIGTERM for the few syscalls that swap the trees."""
    sigs = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _folder(path: Path, made: set[Path]) -> None:
    """`mkdir -p`, once per folder: a tree of 20,000 files has few folders, and a
    `mkdir` of one that exists costs a failing system call and an exception each time."""
    if path not in made:
        path.mkdir(parents=True, exist_ok=True)
        made.add(path)


def write_tree(root: Path, files: Mapping[str, bytes]) -> Changes:
    """Make `root` hold exactly `files` (plus files odmdc never generated), atomically."""
    ch = diff_tree(root, files)
    if not ch.dirty:
        return ch
    parent = root.parent
    parent.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex[:12]
    staging = parent / f".{root.name}.odmdc-new-{tag}"
    old_generated = (_old_manifest(root) or set()) if root.exists() else set()
    try:
        staging.mkdir()
        unchanged = set(ch.unchanged)
        made: set[Path] = set()
        for p, content in files.items():
            dest = staging / p
            _folder(dest.parent, made)
            if p in unchanged:
                try:
                    os.link(root / p, dest)
                    continue
                except OSError:
                    pass  # another filesystem or no hard links: copy below
            dest.write_bytes(content)
        if root.exists():
            for p in _walk(root):  # files odmdc did not generate stay where they are
                if p not in files and p not in old_generated:
                    dest = staging / p
                    _folder(dest.parent, made)
                    try:
                        os.link(root / p, dest)
                    except OSError:
                        shutil.copy2(root / p, dest)
        with _no_interrupts():
            if not root.exists():
                staging.rename(root)
            elif _exchange(staging, root):
                pass  # staging now holds the old tree
            else:
                old = parent / f".{root.name}.odmdc-old-{tag}"
                root.rename(old)
                staging.rename(root)
                staging = old
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return ch
