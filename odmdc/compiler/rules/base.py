"""The rule catalogue: one class per diagnostic code, registered when its module is imported.

A rule carries its code, a title (SARIF short description), a one-sentence summary and, in
`explain/<CODE>/`, a rationale (`explain.md`), a failing example (`bad.odmd`, offending lines
marked `// [CODE]`) and a passing one (`good.odmd`). `odmdc explain CODE` prints those; a test
checks that the examples really fail and pass.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, ClassVar

from odmdc.compiler.diagnostics import Severity

if TYPE_CHECKING:
    from odmdc.compiler.checker.context import CheckContext

_REGISTRY: dict[str, type[Rule]] = {}


class Rule:
    code: ClassVar[str]
    title: ClassVar[str]
    summary: ClassVar[str]
    #: None: from the code's letter (E error, W warning).
    severity: ClassVar[Severity | None] = None
    #: Off-by-default rules run only when named with `--enable`.
    enabled_by_default: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            return  # an intermediate base class
        if cls.code in _REGISTRY:
            raise RuntimeError(f"two rules claim {cls.code}: {_REGISTRY[cls.code]} and {cls}")
        _REGISTRY[cls.code] = cls

    @classmethod
    def effective_severity(cls) -> Severity:
        return cls.severity or Severity.of_code(cls.code)

    def check(self, ctx: CheckContext) -> None:
        """Report this rule's violations through `ctx`. Front-end codes report elsewhere."""
        raise NotImplementedError(f"{type(self).__name__} does not implement check()")


class FrontEndRule(Rule):
    """A code reported while reading or parsing files, before any rule runs."""

    def check(self, ctx: CheckContext) -> None:
        return None


_LOADED = False


def all_rules() -> dict[str, type[Rule]]:
    """Every rule, by code, importing each module of this package once."""
    global _LOADED
    if not _LOADED:
        import odmdc.compiler.rules as pkg

        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            importlib.import_module(info.name)
        _LOADED = True
    return dict(sorted(_REGISTRY.items()))


#: What an example is, by file suffix: contracts, or a commit message (E406's examples).
EXAMPLE_KINDS = {"odmd": "contracts", "msg": "commit message"}


@dataclass(frozen=True, slots=True)
class Explanation:
    code: str
    title: str
    text: str
    bad: str
    good: str
    suffix: str = "odmd"  # of bad.* and good.*: a key of EXAMPLE_KINDS


def explain(code: str) -> Explanation | None:
    rule = all_rules().get(code.upper())
    if rule is None:
        return None
    folder = resources.files("odmdc.compiler.rules").joinpath("explain", rule.code)
    suffix = next((s for s in EXAMPLE_KINDS if folder.joinpath(f"bad.{s}").is_file()), "odmd")
    return Explanation(
        rule.code,
        rule.title,
        folder.joinpath("explain.md").read_text("utf-8"),
        # E000's failing example is deliberately not UTF-8
        folder.joinpath(f"bad.{suffix}").read_bytes().decode("utf-8", "replace"),
        folder.joinpath(f"good.{suffix}").read_bytes().decode("utf-8", "replace"),
        suffix,
    )
