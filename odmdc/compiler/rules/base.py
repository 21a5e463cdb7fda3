"""The rules: one class per code the checker reports, registered when its module is imported.

A rule carries its code, a title (SARIF short description), a one-sentence summary and its
`check`; `catalogue.py` adds the codes reported outside the rules, and each code's
explanation and examples.
"""

from __future__ import annotations

import importlib
import pkgutil
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
        """Report this rule's violations through `ctx`."""
        raise NotImplementedError(f"{type(self).__name__} does not implement check()")


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
