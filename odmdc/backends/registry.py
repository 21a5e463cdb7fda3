"""Finding backends: every one, built-in or third-party, through the `odmdc.backends`
entry-point group, loaded only when used."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from odmdc.backends.api import Backend

GROUP = "odmdc.backends"


class BackendError(Exception):
    """A backend that cannot be loaded or is not a Backend subclass."""


@dataclass(frozen=True, slots=True)
class BackendInfo:
    name: str
    distribution: str
    version: str
    target: str  # "module:Class"
    entry_point: EntryPoint

    def load(self) -> type[Backend]:
        try:
            cls = self.entry_point.load()
        except Exception as e:  # a broken plugin must not take the compiler down
            raise BackendError(f"backend `{self.name}` ({self.target}) failed to load: {e}") from e
        if not (isinstance(cls, type) and issubclass(cls, Backend)):
            raise BackendError(f"backend `{self.name}` ({self.target}) is not a Backend subclass")
        if cls.name != self.name:
            raise BackendError(
                f"backend `{self.name}` ({self.target}) calls itself `{cls.name}`")
        return cls


@functools.cache
def available() -> dict[str, BackendInfo]:
    found: dict[str, BackendInfo] = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: (e.name, e.value)):
        if ep.name in found:  # first by sort order wins, deterministically
            continue
        dist = ep.dist
        found[ep.name] = BackendInfo(
            ep.name, dist.name if dist else "?", dist.version if dist else "?", ep.value, ep)
    return found


def load(name: str) -> type[Backend]:
    info = available().get(name)
    if info is None:
        raise BackendError(f"no backend named `{name}` is installed")
    return info.load()
