"""Mutation property: damaged real sources never crash the front end.

Seeds are every `examples/**/*.odmd`, every `odmdc/stdlib_contracts/*.odmd` and this
directory's `corpus/*.odmd` (so there is always something to mutate). A mutation deletes,
inserts (printable text and the characters that matter to the lexer: braces, quotes,
comment starts, backslashes, line breaks, NUL, a BOM, non-ASCII), swaps, duplicates or
replaces characters, or deletes whole lines or a whole `{ … }` block. Then:

- `odmdc check --format json` on the mutated file, in-process through `cli.main` (so every
  checker stage behind `check` is exercised too), returns 0 or 1 and prints a report that
  validates against its JSON Schema;
- `parse` returns normally, every diagnostic points inside the text, and every node of the
  recovered tree has a span that agrees with the original text.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from odmdc import cli
from odmdc.compiler.grammar import parse
from tests.ast_spans import assert_spans_consistent, line_col
from tests.diagnostic_formats import assert_valid_json_report

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted(
    {*ROOT.glob("examples/**/*.odmd"), *ROOT.glob("odmdc/stdlib_contracts/*.odmd"),
     *(Path(__file__).parent / "corpus").glob("*.odmd")}
)
assert SEEDS, "the mutation property needs seed files"

SPECIAL = ["{", "}", '"', "/", "*", "\n", "\x00", "\\", "\r", "\t", "=", ":", ".", ",", "(",
           ")", "[", "]", "-", "@", "//", "/*", "*/", '\\"', "\ufeff", "é", "日本", "\u00a0",
           "default", "on_change", "repo", "enver", "build ", "{{{{", "}}}}"]

text_piece = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1,
            max_size=8),
)


def _without_block(text: str, at: int) -> str:
    """`text` without the first `{ … }` block (braces balanced) starting at or after `at`."""
    start = text.find("{", at)
    if start < 0:
        return text
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[:start] + text[i + 1 :]
    return text[:start]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    seed = draw(st.sampled_from(SEEDS))
    text = seed.read_text("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        at = draw(st.integers(0, n))
        kind = draw(st.sampled_from(["delete", "insert", "swap", "duplicate", "replace",
                                     "delete lines", "delete block"]))
        if kind == "delete lines":
            start = text.rfind("\n", 0, at) + 1
            end = start
            for _ in range(draw(st.integers(1, 6))):
                end = text.find("\n", end) + 1 or n
            text = text[:start] + text[end:]
        elif kind == "delete block":
            text = _without_block(text, at)
        elif kind == "delete" and n:
            text = text[:at] + text[at + draw(st.integers(1, 12)) :]
        elif kind == "insert":
            text = text[:at] + draw(text_piece) + text[at:]
        elif kind == "swap" and at + 1 < n:
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
        elif kind == "duplicate" and n:
            text = text[:at] + text[at : at + draw(st.integers(1, 40))] + text[at:]
        elif kind == "replace" and at < n:
            text = text[:at] + draw(text_piece) + text[at + 1 :]
    return seed.name, text


@given(mutated())
def test_check_survives_mutations(case: tuple[str, str]) -> None:
    name, text = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8", newline="")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(["check", "--format", "json", str(path)])
    assert status in (0, 1), err.getvalue()
    doc = assert_valid_json_report(out.getvalue())
    assert (status == 1) == (doc["summary"]["errors"] > 0)


@given(mutated())
def test_parse_survives_mutations(case: tuple[str, str]) -> None:
    _name, text = case
    tree, diagnostics = parse("t.odmd", text)
    body = text.removeprefix("\ufeff")
    for d in diagnostics:
        s = d.span
        assert d.code == "E001" and d.message
        assert 0 <= s.start <= s.end <= len(body)
        assert (s.line, s.column) == line_col(body, s.start), d
        assert (s.end_line, s.end_column) == line_col(body, s.end), d
    assert_spans_consistent(tree, body)


def test_seeds_parse_clean() -> None:
    for seed in SEEDS:
        text = seed.read_text("utf-8")
        tree, diagnostics = parse("t.odmd", text)
        assert diagnostics == [], seed
        assert_spans_consistent(tree, text)


def test_json_output_is_deterministic() -> None:
    """The same damaged input gives byte-identical output twice in one process."""
    text = SEEDS[0].read_text("utf-8").replace("{", "", 1).replace("=", "", 3)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.odmd"
        path.write_text(text, encoding="utf-8")
        outputs = []
        for _ in range(2):
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                cli.main(["check", "--format", "json", str(path)])
            outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["summary"]["errors"] > 0
