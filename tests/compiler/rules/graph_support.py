"""Shared bits of the graph-rule tests (E3xx, W301, W310): what a span covers, one code's
diagnostics, and an org with a contracts library in two regions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from odmdc.compiler.diagnostics import Diagnostic, Label
from odmdc.compiler.span import Span
from tests.helpers import check

# PRELUDE's org, with the contracts library in us-east-1 and us-west-2, so that rules other
# than E307 can be tested across regions.
TWO_REGIONS = """\
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
  enver west = branch "west" in central "us-west-2"
}
"""


class Checked:
    """A checked snippet, with the text each span covers."""

    def __init__(self, files: Mapping[str, str] | str, enable: Iterable[str] = (),
                 prelude: bool = True) -> None:
        self.result = check(files, enable, prelude)
        self.diagnostics = self.result.diagnostics

    @property
    def codes(self) -> list[str]:
        return [d.code for d in self.diagnostics]

    def of(self, code: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.code == code]

    def one(self, code: str) -> Diagnostic:
        found = self.of(code)
        assert len(found) == 1, [f"{d.code} {d.span.short()} {d.message}" for d in
                                 self.diagnostics]
        return found[0]

    def text(self, where: Span | Label | Diagnostic) -> str:
        span = where if isinstance(where, Span) else where.span
        return self.result.unit.texts[span.file][span.start:span.end]
