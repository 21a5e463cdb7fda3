"""Compile snippets in tests: `diagnose` returns diagnostics, `compile_ok` asserts none."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping

from odmdc.compiler.checker.run import CheckResult, check_unit
from odmdc.compiler.diagnostics import Diagnostic
from odmdc.compiler.ir import IR
from odmdc.compiler.sources import Source, stdlib_sources
from odmdc.compiler.unit import Unit, parse_sources

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
    sources = [Source(path, textwrap.dedent(text)) for path, text in sorted(files.items())]
    unit = parse_sources(stdlib_sources())
    unit.file_count = len(sources)
    return parse_sources(sources, unit)


def check(files: Mapping[str, str] | str, enable: Iterable[str] = (), prelude: bool = True
          ) -> CheckResult:
    if isinstance(files, str):
        files = {"main.odmd": files}
    files = dict(files)
    if prelude:
        files.setdefault("prelude.odmd", PRELUDE)
    return check_unit(unit_of(files), enable=enable)


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
