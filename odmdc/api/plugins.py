"""The installed backends and CI engines, as the checker sees them (`Plugins`): their names
from package metadata, each options model imported only when asked for."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from odmdc.backends.registry import BackendError, available, ci_engines


class Installed:
    """Every plugin of this environment's entry-point groups."""

    def backend_names(self) -> Collection[str]:
        return available().keys()

    def options_model(self, backend: str) -> type[BaseModel] | None:
        try:
            return available()[backend].load().Options if backend in available() else None
        except BackendError:
            return None  # reported when compiling with it

    def ci_engine_names(self) -> Collection[str]:
        return ci_engines().keys()

    def engine_options_model(self, engine: str) -> type[BaseModel] | None:
        try:
            info = ci_engines().get(engine)
            return info.load_ci_engine().Options if info is not None else None
        except BackendError:
            return None


INSTALLED = Installed()


@dataclass(frozen=True, slots=True)
class PluginRow:
    """One installed plugin, as `odmdc backends` lists it."""

    name: str
    distribution: str  # with its version
    description: str  # or why it is broken


def listed(group: Literal["backends", "ci engines"]) -> list[PluginRow]:
    """The installed backends (or CI engines), by name, each loaded for its description."""
    rows = []
    infos = available() if group == "backends" else ci_engines()
    for info in infos.values():
        try:
            cls = info.load() if group == "backends" else info.load_ci_engine()
            description = cls.description
        except BackendError as e:
            description = f"(broken: {e})"
        rows.append(PluginRow(info.name, f"{info.distribution} {info.version}", description))
    return rows
