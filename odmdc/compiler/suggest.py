""""Did you mean …?" for unknown names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, candidates: Iterable[str]) -> str | None:
    pool = sorted(set(candidates))
    hits = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if hits:
        return hits[0]
    lowered = {c.lower(): c for c in pool}
    return lowered.get(name.lower())


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    hit = closest(name, candidates)
    return f"did you mean `{hit}`?" if hit else None
