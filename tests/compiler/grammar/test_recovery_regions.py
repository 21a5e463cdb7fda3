"""The text-level guesses behind error recovery: item starts and the broken body entry.

In the tables, `‸` marks the error position and `⟦ … ⟧` the region expected to be set aside
(the markers are removed before the call).
"""

from __future__ import annotations

import pytest

from odmdc.compiler.grammar.recovery import blank, broken_region, split_items


def unmark(marked: str) -> tuple[str, int, tuple[int, int] | None]:
    text = marked
    pos = text.index("‸")
    text = text.replace("‸", "")
    if "⟦" not in text:
        return text, pos, None
    start = text.index("⟦")
    text = text.replace("⟦", "")
    end = text.index("⟧")
    text = text.replace("⟧", "")
    if pos > start:
        pos -= 1
    if pos > end:
        pos -= 1
    return text, pos, (start, end)


REGIONS = {
    "one line entry": 'build b : cdk {\n⟦  repo ‸= = "x"\n⟧  owner = "o"\n}',
    "last entry before the closing brace": 'build b : cdk {\n  a = 1\n⟦  b = ‸@\n⟧}',
    "entry spanning lines with continuation keywords": (
        "consumes {\n"
        "⟦  eks: url = e.m.c\n"
        '      default "d"\n'
        "      on_change ‸redeploi\n"
        "⟧  next = a.b.c\n"
        "}"),
    "entry with a nested body": (
        "build b : cdk {\n"
        '⟦  enver e = branch "e" in ws ‸{\n'
        "    produces { a: url }\n"
        "  }\n"
        '⟧  enver f = branch "f" in ws "r"\n'
        "}"),
    "entries on the brace's line": "consumes {⟦ a = x.y b = x.y.z ‸⟧}",
    "error at the closing brace": "build b : cdk {\n⟦  repo = ‸⟧}",
    "name followed by `=` starts an entry even if a keyword": (
        "consumes {\n⟦  a = x.y ‸on_change\n⟧  default = x.y.z\n}"),
    "error in an item header": "build ‸: cdk { }",
    "error at the end of the file": 'build b : cdk {\n  repo = "x"‸',
    # the file lacks the build's `}`: the enver's body is closed by the last one
    "unclosed outer brace": 'build b : cdk {\n  enver e = branch "e" in ws "r" {⟦ ‸@\n⟧}',
}


@pytest.mark.parametrize("marked", REGIONS.values(), ids=REGIONS.keys())
def test_broken_region(marked: str) -> None:
    text, pos, expected = unmark(marked)
    assert broken_region(text, pos) == expected


def test_blank_keeps_line_breaks_and_length() -> None:
    text = 'a = 1\n  b = "x\\"y" // c\nc = 3'
    out = blank(text, 6, 24)
    assert len(out) == len(text)
    assert out.split("\n")[0] == "a = 1" and out.split("\n")[2] == "c = 3"
    assert out.count("\n") == text.count("\n") and not out.split("\n")[1].strip()


@pytest.mark.parametrize(("text", "starts"), [
    ("", [0]),
    ("build a : cdk {} build b : cdk {}", [0, 17]),
    ('  org o {}\nclone c of a.b = branch "c"', [0, 2, 11]),
    ("singleton enver_type T : cdk {}\nenver_type U : T {}", [0, 32]),
    # keywords inside strings, comments and bodies do not start items
    ('build a : cdk { x = "build b" /* org c */ // clone d\n }', [0]),
    # an item keyword at the start of a line ends an unclosed item
    ("build a : cdk {\n  x = 1\nbuild b : cdk {}", [0, 24]),
    # ... but not in the middle of a line
    ("build a : cdk { x = 1 build b : cdk {}", [0]),
    ("junk build a : cdk {}", [0, 5]),
])
def test_split_items(text: str, starts: list[int]) -> None:
    assert split_items(text) == starts
