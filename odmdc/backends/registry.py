"""Finding plugins: every backend and CI engine, built-in or third-party, through their
entry-point groups (`odmdc.backends`, `odmdc.ci_engines`), loaded only when used.

Listing them reads package metadata only, so the checker can know every installed name
without importing a single backend; a class is imported the first time it is asked for.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from odmdc.backends.api import Backend
from odmdc.backends.ci import CiEngine

BACKENDS = "odmdc.backends"
CI_ENGINES = "odmdc.ci_engines"


class BackendError(Exception):
    """A plugin that cannot be loaded, or is not what its group promises."""


@dataclass(frozen=True, slots=True)
class PluginInfo:
    name: str
    distribution: str
    version: str
    target: str  # "module:Class"
    entry_point: EntryPoint
    group: str

    def _load(self, base: type) -> type:
        try:
            cls = self.entry_point.load()
        except Exception as e:  # a broken plugin must not take the compiler down
            raise BackendError(f"{self.kind} `{self.name}` ({self.target}) failed to load: "
                               f"{e}") from e
        if not (isinstance(cls, type) and issubclass(cls, base)):
            raise BackendError(f"{self.kind} `{self.name}` ({self.target}) is not a "
                               f"{base.__name__} subclass")
        if getattr(cls, "name", None) != self.name:
            raise BackendError(f"{self.kind} `{self.name}` ({self.target}) calls itself "
                               f"`{getattr(cls, 'name', None)}`")
        return cls

    @property
    def kind(self) -> str:
        return "backend" if self.group == BACKENDS else "CI engine"

    def load(self) -> type[Backend]:
        cls: type[Backend] = self._load(Backend)
        return cls

    def load_ci_engine(self) -> type[CiEngine]:
        cls: type[CiEngine] = self._load(CiEngine)
        return cls


def _plugins(group: str) -> dict[str, PluginInfo]:
    found: dict[str, PluginInfo] = {}
    for ep in sorted(entry_points(group=group), key=lambda e: (e.name, e.value)):
        if ep.name in found:  # first by sort order wins, deterministically
            continue
        dist = ep.dist
        found[ep.name] = PluginInfo(ep.name, dist.name if dist else "?",
                                    dist.version if dist else "?", ep.value, ep, group)
    return found


@functools.cache
def available() -> dict[str, PluginInfo]:
    """The installed backends, by name."""
    return _plugins(BACKENDS)


@functools.cache
def ci_engines() -> dict[str, PluginInfo]:
    """The installed CI engines, by name."""
    return _plugins(CI_ENGINES)


def load(name: str) -> type[Backend]:
    info = available().get(name)
    if info is None:
        raise BackendError(f"no backend named `{name}` is installed")
    return info.load()


def load_ci_engine(name: str) -> type[CiEngine]:
    info = ci_engines().get(name)
    if info is None:
        raise BackendError(f"no CI engine named `{name}` is installed")
    return info.load_ci_engine()
