"""Parsing makes no reference cycles, so `gc_policy.parsing` may switch Python's cyclic
garbage collector off while files are parsed without leaving garbage behind: correct files
(the fast front end) and broken ones (stock Lark, error wording, recovery) alike."""

from __future__ import annotations

import gc

from odmdc.compiler.grammar import parse
from tests.compiler.grammar.test_front_end_differential import CORNERS
from tests.compiler.grammar.test_mutations import SEEDS

# Damage of every kind recovery handles: a missing `}`, a stray separator, a broken entry, an
# unterminated string, a character no token takes, a keyword where a name belongs.
DAMAGE = (
    ("}", ""), ("=", "= ;"), ("{", "{ x y z\n"), ('"', '"\n'), ("=", "= #"), ("{", "{ org = 1\n"),
)


def sample_inputs() -> list[str]:
    """Correct and broken texts: the corner cases, every seed and each seed damaged."""
    texts = [*CORNERS.values()]
    for seed in SEEDS:
        text = seed.read_text("utf-8")
        texts.append(text)
        for old, new in DAMAGE:
            at = text.find(old, len(text) // 2)
            if at >= 0:
                texts.append(text[:at] + new + text[at + len(old) :])
    return texts


def test_parsing_leaves_no_cyclic_garbage() -> None:
    """With the collector off, every object a parse makes is freed by reference counting once
    its result is dropped: the number of objects the collector tracks comes back to where it
    was. (`gc.collect()`'s count is no oracle: it misses cycles through a suspended
    generator, which its finalizer breaks.)"""
    inputs = sample_inputs()
    # Errors too; the first round also fills whatever caches parsing has.
    assert sum(bool(parse("t.odmd", t)[1]) for t in inputs) > len(inputs) // 2
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        before = len(gc.get_objects())
        for text in inputs:
            parse("t.odmd", text)
        after = len(gc.get_objects())
        assert after == before, f"{after - before} objects left to the cyclic collector"
    finally:
        if enabled:
            gc.enable()
