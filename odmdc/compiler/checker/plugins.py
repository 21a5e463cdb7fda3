"""What is installed beside the compiler core, as the checker needs to know it.

The core never imports a backend: the composition root (`odmdc.api`) finds them and hands the
checker this view, so that a mistyped backend name, a backend option or a `ci` no installed
engine provides is a diagnostic on its line (E003/E004) instead of a failure at compile time.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from pydantic import BaseModel


class Plugins(Protocol):
    def backend_names(self) -> Collection[str]:
        """Every installed backend, loaded or not."""
        ...

    def options_model(self, backend: str) -> type[BaseModel] | None:
        """The pydantic model of `backend`'s options; None when it cannot be loaded (a broken
        plugin is reported when compiling with it, not while checking)."""
        ...

    def ci_engine_names(self) -> Collection[str]:
        """The names `ci = NAME` may take: the installed CI engines."""
        ...

    def engine_options_model(self, engine: str) -> type[BaseModel] | None:
        """The model of the options CI engine `engine` reads from its `backend NAME { … }`
        block (its fields only); None when it cannot be loaded."""
        ...


class NoPlugins:
    """Nothing installed: the core checked on its own (its backend-related checks then see
    every backend as unknown)."""

    def backend_names(self) -> Collection[str]:
        return ()

    def options_model(self, backend: str) -> type[BaseModel] | None:
        return None

    def ci_engine_names(self) -> Collection[str]:
        return ()

    def engine_options_model(self, engine: str) -> type[BaseModel] | None:
        return None
