"""When Python's cyclic garbage collector runs while odmdc works.

A command builds a large graph of objects that live until it ends (the AST: hundreds of
thousands of nodes for a big org; then the model and the IR) and makes almost no reference
cycles. The collector's generational heuristic assumes that most objects die young, so with
the default thresholds it keeps traversing that graph for nothing: half of the parse time went
there. So:

- while files are parsed (`parsing`), it does not run at all. The parser makes no reference
  cycles (`tests/compiler/grammar/test_no_reference_cycles.py`), so nothing is left behind;
- inside a command (`command`), the parsed files are then frozen (`gc.freeze`): no later
  collection traverses them again;
- for the rest of a command it runs, but after 200,000 allocations instead of 700 (mypy's
  setting), so the few cycles the checker and the backends make are still freed and peak
  memory stays where it was.

A command run in-process (the tests do) leaves the thresholds as they were and nothing frozen.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLDS = (200_000, 30, 30)

_commands = 0  # commands running in this process (nested when one calls another)


@contextmanager
def command() -> Iterator[None]:
    """Around one command: a collector that runs rarely, and parsed files frozen."""
    global _commands
    before = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    _commands += 1
    try:
        yield
    finally:
        _commands -= 1
        gc.set_threshold(*before)
        if not _commands:
            gc.unfreeze()


@contextmanager
def parsing() -> Iterator[None]:
    """Around parsing: no collection at all; inside a command, what exists after it (the
    parsed files, above all) is frozen."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if _commands:
                gc.freeze()
            gc.enable()
