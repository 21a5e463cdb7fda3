"""Running backends over a checked IR: pick them, validate their options, collect files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from odmdc.backends.api import EmitContext
from odmdc.backends.registry import BackendError, load
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.ir import IR
from odmdc.compiler.timings import NULL, Timings


@dataclass
class Emitted:
    files: dict[str, bytes] = field(default_factory=dict)  # DIR-relative, e.g. ssm/paths.json
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # backends that could not run at all


def selected(ir: IR, requested: Iterable[str] = ()) -> list[str]:
    """`--backend` names if given, else the org's `backends`; in a stable order."""
    names = list(dict.fromkeys(requested)) or list(dict.fromkeys(ir.org.backends))
    return sorted(names)


def emit(
    ir: IR,
    names: Iterable[str],
    options: Mapping[str, Mapping[str, Any]] | None = None,
    timings: Timings = NULL,
) -> Emitted:
    out = Emitted()
    for name in names:
        try:
            cls = load(name)
            given = options if options is not None else ir.org.backend_options
            opts = cls.Options.model_validate(dict(given.get(name, {})))
        except BackendError as e:
            out.errors.append(str(e))
            continue
        except ValidationError as e:
            out.errors.append(f"backend `{name}`: invalid options: {e}")
            continue
        ctx = EmitContext(name, opts)
        with timings.backend(name):
            files = sorted(cls(opts).emit(ir, ctx), key=lambda f: f.path)
        for f in files:
            key = f"{name}/{f.path}"
            if key in out.files:
                raise RuntimeError(f"backend `{name}` emitted {f.path} twice")
            out.files[key] = f.content
        out.diagnostics.extend(ctx.diagnostics)
    return out
