"""`--timings FILE`: where one `check` or `compile` spent its time, as JSON.

    {"parse": s, "check": s, "plan": s, "backends": {"name": s, …}, "write": s, "total": s,
     "files_written": n, "bytes_written": n, "peak_rss_mb": n}

`parse` is finding, reading and parsing the files (the standard library included); `check`
resolving, every rule and building the IR; `plan` the deployment plan; each backend's time is
its `emit`; `write` the output tree (hashing, comparing, writing, swapping).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGES = ("parse", "check", "plan", "write")


class Timings:
    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.stages = dict.fromkeys(STAGES, 0.0)
        self.backends: dict[str, float] = {}
        self.files_written = 0
        self.bytes_written = 0

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] += time.perf_counter() - t

    @contextmanager
    def backend(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            self.backends[name] = self.backends.get(name, 0.0) + time.perf_counter() - t

    def report(self) -> dict[str, object]:
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if sys.platform == "darwin":  # bytes there, kilobytes on Linux
            rss_kb //= 1024
        return {
            **{k: round(v, 4) for k, v in self.stages.items()},
            "backends": {k: round(v, 4) for k, v in sorted(self.backends.items())},
            "total": round(time.perf_counter() - self.started, 4),
            "files_written": self.files_written,
            "bytes_written": self.bytes_written,
            "peak_rss_mb": round(rss_kb / 1024, 1),
        }

    def write(self, path: str) -> None:
        Path(path).write_text(json.dumps(self.report(), indent=2) + "\n")


#: A process-wide recorder that costs nothing when no one asked for timings.
NULL = Timings()
