"""Compile snippets in tests: `diagnose` returns diagnostics, `compile_ok` asserts none; run
backends over an IR as the composition root does (`emit`, `emit_context`)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

from odmdc import api
from odmdc.api.emit import Emitted, context
from odmdc.api.emit import emit as run_backends
from odmdc.backends.api import Backend, EmitContext
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.ir import IR
from odmdc.compiler.planner.plan import plan
from odmdc.compiler.unit import Unit

# A minimal org every snippet can build on: a central account, two workspaces and a
# contracts_lib enver in us-east-1 (rule E307 wants one in each region used).
PRELUDE = """\
org acme {
  accounts {
    central = "111111111111"
    workspace1 = "222222222222"
    workspace2 = "333333333333"
  }
}
build contracts : contracts_lib {
  repo = "acme/contracts"
  enver main = branch "main" in central "us-east-1"
}
"""


def unit_of(files: Mapping[str, str]) -> Unit:
    return api.load_texts({path: textwrap.dedent(text) for path, text in files.items()})


def check(files: Mapping[str, str] | str, enable: Iterable[str] = (), prelude: bool = True
          ) -> api.Checked:
    """The rules' diagnostics (and the IR when there are none); backends do not run."""
    if isinstance(files, str):
        files = {"main.odmd": files}
    files = dict(files)
    if prelude:
        files.setdefault("prelude.odmd", PRELUDE)
    return api.check(unit_of(files), enable=enable, run_backends=False)


def diagnose(files: Mapping[str, str] | str, enable: Iterable[str] = (), prelude: bool = True
             ) -> list[Diagnostic]:
    return check(files, enable, prelude).diagnostics


def codes(files: Mapping[str, str] | str, enable: Iterable[str] = (), prelude: bool = True
          ) -> list[str]:
    return [d.code for d in diagnose(files, enable, prelude)]


def compile_ok(files: Mapping[str, str] | str, prelude: bool = True) -> IR:
    result = check(files, prelude=prelude)
    assert result.diagnostics == [], "\n".join(
        f"{d.code} {d.span.short()} {d.message}" for d in result.diagnostics)
    assert result.ir is not None
    return result.ir


def ir_of(unit: Unit) -> IR:
    """The IR of a unit that must check clean (rules only)."""
    result = api.check(unit, run_backends=False)
    assert result.ir is not None, "\n".join(
        f"{d.code} {d.span.short()} {d.message}" for d in result.diagnostics)
    return result.ir


def emit(ir: IR, names: Iterable[str], options: Mapping[str, Mapping[str, Any]] | None = None
         ) -> Emitted:
    """Run backends over `ir` as `odmdc compile` does (`options`: instead of the org's)."""
    return run_backends(ir, plan(ir), list(names), options)


def emit_context(ir: IR, backend: str, options: Mapping[str, Any] | None = None
                 ) -> tuple[Backend, EmitContext]:
    """Backend `backend` and its context, as `odmdc compile` makes them (`options`: the
    backend's, instead of the org's)."""
    given = None if options is None else {**ir.org.backend_options, backend: options}
    return context(ir, plan(ir), backend, given)


def report_context(backend: str) -> EmitContext:
    """A context of `backend` with its default options, over the prelude's IR: for tests
    that only collect what a backend's helpers report."""
    return emit_context(compile_ok(""), backend, {})[1]
