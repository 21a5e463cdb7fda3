"""IAM's wildcard `*` in resource ARNs, as the policies use it for names of clones made at run
time (`naming.clone_*_pattern`): whether a pattern matches a name, and whether two patterns
can match a common name.

IAM matches `*` against any run of characters, `/` included, and `?` against one character;
odmdc's patterns hold only `*`, and the names they are compared with hold neither.
"""

from __future__ import annotations

from odmdc.compiler.naming import WILDCARD


def matches(pattern: str, name: str) -> bool:
    """Whether `name` is one of the names `pattern` stands for. Literal pieces are found
    leftmost-first, which for `*`-only patterns finds a match whenever there is one."""
    first, *rest = pattern.split(WILDCARD)
    if not rest:
        return pattern == name
    *middle, last = rest
    if len(name) < len(first) + len(last) or not (name.startswith(first) and
                                                  name.endswith(last)):
        return False
    at, end = len(first), len(name) - len(last)
    for piece in middle:
        found = name.find(piece, at, end)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def overlap(a: str, b: str) -> bool:
    """Whether some name matches both patterns. A walk over pairs of positions (i in `a`,
    j in `b`) reading one character at a time on both sides: a `*` may be skipped or may
    take the other side's literal character; two literals must agree. A common name exists
    when both ends are reachable."""
    if not _ends_agree(a, b):  # cheap and decisive for most pairs
        return False
    seen: set[tuple[int, int]] = set()
    todo = [(0, 0)]
    while todo:
        i, j = todo.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == len(a) and j == len(b):
            return True
        star_a = i < len(a) and a[i] == WILDCARD
        star_b = j < len(b) and b[j] == WILDCARD
        lit_a = i < len(a) and not star_a
        lit_b = j < len(b) and not star_b
        if star_a:
            todo.append((i + 1, j))
        if star_b:
            todo.append((i, j + 1))
        if lit_a and lit_b and a[i] == b[j]:
            todo.append((i + 1, j + 1))
        if star_a and lit_b:
            todo.append((i, j + 1))
        if lit_a and star_b:
            todo.append((i + 1, j))
    return False


def _ends_agree(a: str, b: str) -> bool:
    """The literal text before the first `*` of each must agree up to the shorter one, and
    likewise the text after the last `*` (a necessary condition for an overlap)."""
    pa, pb = a.split(WILDCARD, 1)[0], b.split(WILDCARD, 1)[0]
    sa, sb = a.rsplit(WILDCARD, 1)[-1], b.rsplit(WILDCARD, 1)[-1]
    n, m = min(len(pa), len(pb)), min(len(sa), len(sb))
    return pa[:n] == pb[:n] and sa[len(sa) - m:] == sb[len(sb) - m:]
