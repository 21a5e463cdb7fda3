"""The backend API: what a backend is, what it receives, what it returns.

A backend is a `Backend` subclass registered under the `odmdc.backends` entry-point group
(the built-ins are registered the same way as third-party ones, in odmdc's own
pyproject.toml). It has a `name`, a pydantic `Options` model and an `emit(ir, ctx)` that
returns `OutputFile`s — paths relative to the backend's own output folder, `DIR/<name>/` —
and never touches the disk. What it cannot express it reports through `ctx.unsupported`
(E601), never by dropping a feature silently. It reads only the checked IR and what the
context hands it: its options, the deployment plan (computed once, for every backend) and the
CI engines (`odmdc.backends.ci`). Its `check` reports what `emit` would, without the files;
`odmdc check` runs it, so that a clean check means a compile that passes.

A minimal third-party backend::

    class Counts(Backend):
        name = "counts"
        description = "how many envers each build has"

        def emit(self, ir: IR, ctx: EmitContext) -> Iterable[OutputFile]:
            lines = [f"{b}: {len(ir.builds[b].envers)}" for b in sorted(ir.builds)]
            yield OutputFile.text("counts.txt", "\\n".join(lines) + "\\n")

    # pyproject.toml:  [project.entry-points."odmdc.backends"]  counts = "mypkg:Counts"
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

import orjson
from pydantic import BaseModel, ConfigDict

from odmdc.compiler.diagnostics import Diagnostic, Severity, make
from odmdc.compiler.ir import IR, Enver, Location
from odmdc.compiler.name_limits import NameKind, limit_problems
from odmdc.compiler.planner.plan import PlanOutcome
from odmdc.compiler.span import Span

if TYPE_CHECKING:
    from odmdc.backends.ci import CiEngine


class BackendOptions(BaseModel):
    """Base of every backend's options model; unknown options are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# what an option naming an HTTPS endpoint (an API root, a registry) may be
HTTPS_URL = re.compile(r"https://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~/-]*)?")


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One generated file: a relative POSIX path below the backend's folder, and its bytes."""

    path: str
    content: bytes

    def __post_init__(self) -> None:
        p = PurePosixPath(self.path)
        if p.is_absolute() or ".." in p.parts or not p.parts or "\\" in self.path:
            raise ValueError(f"backend output path must be relative and inside: {self.path!r}")

    @classmethod
    def text(cls, path: str, text: str) -> OutputFile:
        return cls(path, text.encode("utf-8"))

    @classmethod
    def json(cls, path: str, data: Any) -> OutputFile:
        """Deterministic JSON: sorted keys, two-space indent, UTF-8, trailing newline."""
        return cls(path, json_bytes(data))


def json_bytes(data: Any) -> bytes:
    """What `json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\\n"` writes,
    byte for byte, about twenty times faster: with an indent the stdlib uses its pure-Python
    encoder, which took most of the backends' time at 5,000 envers. The two agree on str keys,
    str, int, bool, None, lists and dicts (tests/backends/test_json_bytes.py); anything orjson
    refuses (other keys, huge ints) falls back to the stdlib."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
                            | orjson.OPT_APPEND_NEWLINE)
    except TypeError:  # orjson.JSONEncodeError
        return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


@dataclass
class EmitContext:
    """What `emit` gets besides the IR: its options, the plan, the CI engines and a place to
    report. The composition root (`odmdc.api`) makes it."""

    backend: str
    options: BackendOptions
    #: the deployment plan of the whole IR, computed once for every backend
    plan: PlanOutcome
    #: the engine the org's `ci` names: it starts deployments when inputs change
    ci: CiEngine
    #: every installed engine that deploys the org's envers (`CiEngine.deploys`), by name:
    #: build roles trust each of them
    deployers: tuple[CiEngine, ...]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def unsupported(self, where: Location | Span, message: str, *, help: str | None = None,
                    warning: bool = False) -> None:
        """Something in the IR this backend cannot express (E601, or W601 when the output is
        still correct without it)."""
        span = where if isinstance(where, Span) else _span(where)
        code = "W601" if warning else "E601"
        self.diagnostics.append(make(
            code, f"{self.backend}: {message}", span, f"not expressible in `{self.backend}`",
            help=help, severity=Severity.WARNING if warning else Severity.ERROR,
        ))

    def name_limit(self, where: Location, kind: NameKind, what: str, name: str, *,
                   label: str, help: str) -> bool:
        """E106 when `name`, one of this backend's own names (a `kind` of name, described as
        `what`), breaks its AWS or GitHub limit; whether it does."""
        why = limit_problems(kind, name)
        if why is not None:
            self.diagnostics.append(make("E106", f"{what} `{name}` {why}", _span(where), label,
                                         help=help))
        return why is not None


def _span(where: Location) -> Span:
    return Span(where.file, 0, 0, where.line, where.column, where.end_line, where.end_column)


class Backend(ABC):
    name: ClassVar[str]
    description: ClassVar[str]
    Options: ClassVar[type[BackendOptions]] = BackendOptions

    def __init__(self, options: BackendOptions | None = None) -> None:
        self.options = options if options is not None else self.Options()

    @abstractmethod
    def emit(self, ir: IR, ctx: EmitContext) -> Iterable[OutputFile]:
        """The files this backend generates for `ir`."""

    @classmethod
    def names(cls, ir: IR, enver: Enver) -> dict[str, str]:
        """This backend's own names for `enver` (beside the shared ones in `enver.names`), by
        what they name, for `odmdc show`; whatever the options."""
        return {}

    def check(self, ir: IR, ctx: EmitContext) -> None:
        """Report through `ctx` what `emit` would report; by default, by emitting and dropping
        the files (a backend may know a cheaper way)."""
        for _ in self.emit(ir, ctx):
            pass
