"""Compiling into a directory: the recompile shortcut, the compile, the atomic write of the
tree (`output_tree`) and the record of what was written (`recompile`), in that order. `odmdc
compile -o DIR` and `odmdc clone -o DIR` both come here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from odmdc.api import recompile
from odmdc.api.compilation import Compiled, compile
from odmdc.api.output_tree import Changes, diff_tree, with_manifest, write_tree
from odmdc.api.units import load
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.sources import stdlib_sources
from odmdc.compiler.timings import NULL, Timings
from odmdc.compiler.unit import Read, Unit


@dataclass(frozen=True, slots=True)
class Settings:
    """What a compile is asked for, besides its sources: all of it changes what is written
    or reported, so all of it is in the recompile fingerprint."""

    backends: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    deny_warnings: bool = False
    #: anything else the unit was made from (e.g. the commit message of `odmdc clone -o`)
    extra: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        return [*(f"backend={b}" for b in self.backends), *(f"enable={c}" for c in self.enable),
                f"deny-warnings={self.deny_warnings}", *self.extra]


def write(compiled: Compiled, root: Path, *, check: bool = False,
          timings: Timings = NULL) -> Changes:
    """Make `root` hold `compiled`'s files and their manifest, atomically, rewriting only what
    changed (`check`: write nothing, say what would change). `UsageError` for an output path
    that cannot be one."""
    files = with_manifest(compiled.files)
    if check:
        return diff_tree(root, files)
    ch = write_tree(root, files)
    timings.files_written = len(ch.written)
    timings.bytes_written = sum(len(files[p]) for p in ch.written)
    return ch


@dataclass
class DirResult:
    """What `compile_to` did. `replayed` is set when nothing changed since the last compile
    into the directory: those are its diagnostics (warnings), and nothing else was done."""

    unit: Unit  # the parsed unit, or, when replayed, only the texts to show diagnostics in
    compiled: Compiled | None = None
    replayed: list[Diagnostic] | None = None
    changes: Changes | None = None  # None when nothing was written (or would be)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def compile_to(root: Path, sources: Read, settings: Settings, *, unit: Unit | None = None,
               check: bool = False, timings: Timings = NULL) -> DirResult:
    """Compile `sources` (or `unit`, which was made from them and from `settings.extra`) into
    `root`, unless the last compile there had the same inputs and its files are untouched
    (never with `check`, which always compares content)."""
    with timings.stage("parse"):
        stamp = recompile.inputs(sources.sources, settings.lines())
        replay = None if check or sources.problems else recompile.cached(root, stamp)
        if replay is not None:
            texts = {s.path: s.text for s in (*stdlib_sources(), *sources.sources)}
            return DirResult(Unit(texts=texts, file_count=sources.file_count), replayed=replay)
        if unit is None:
            unit = load([], sources)
    compiled = compile(unit, enable=settings.enable, deny_warnings=settings.deny_warnings,
                       backends=settings.backends, timings=timings)
    out = DirResult(unit, compiled, diagnostics=compiled.diagnostics, errors=compiled.errors)
    if not compiled.ok:
        return out
    with timings.stage("write"):
        out.changes = write(compiled, root, check=check, timings=timings)
        if not check:
            recompile.record(root, stamp, with_manifest(compiled.files), compiled.diagnostics)
    return out

