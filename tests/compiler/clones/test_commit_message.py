"""Reading `odmd:` commands out of commit messages (see the rules in the module docstring)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from odmdc.compiler.clones.commit_message import COMMIT_MESSAGE, Create, Delete, Parsed, parse
from odmdc.compiler.span import Span


def create_of(text: str) -> str:
    """The origin of the one command a clean message holds."""
    parsed = parse(text)
    assert parsed.diagnostics == (), [d.message for d in parsed.diagnostics]
    assert isinstance(parsed.command, Create)
    return parsed.command.origin


def errors(text: str) -> list[tuple[int, int, str]]:
    parsed = parse(text)
    assert parsed.command is None
    return [(d.span.line, d.span.column, d.message) for d in parsed.diagnostics]


def snippet(text: str, span: Span) -> str:
    return text[span.start:span.end]


# ---- messages as people write them ----------------------------------------------------------
def test_subject_only() -> None:
    parsed = parse("odmd: create@main")
    assert parsed.command == Create("main", Span(COMMIT_MESSAGE, 0, 17, 1, 1, 1, 18),
                                    Span(COMMIT_MESSAGE, 13, 17, 1, 14, 1, 18))


def test_command_in_a_body_with_trailers() -> None:
    message = (
        "feat(payments): add Stripe integration\n"
        "\n"
        "Wire the checkout to the payment service. Retries use exponential\n"
        "back-off with jitter.\n"
        "\n"
        "odmd: create@master\n"
        "\n"
        "Refs: PAY-142\n"
        "Signed-off-by: Jane Doe <jane@example.com>\n"
        "Co-authored-by: Joe Bloggs <joe@example.com>\n"
    )
    parsed = parse(message)
    assert isinstance(parsed.command, Create)
    assert parsed.command.origin == "master"
    assert parsed.command.span.line == 6
    assert snippet(message, parsed.command.span) == "odmd: create@master"
    assert snippet(message, parsed.command.origin_span) == "master"


def test_crlf_message() -> None:
    message = "Add retries\r\n\r\nodmd: create@dev\r\n\r\nSigned-off-by: A <a@example.com>\r\n"
    parsed = parse(message)
    assert isinstance(parsed.command, Create)
    assert parsed.command.origin == "dev"
    assert snippet(message, parsed.command.span) == "odmd: create@dev"


def test_crlf_delete() -> None:
    assert isinstance(parse("Done with it\r\n\r\nodmd: delete\r\n").command, Delete)


def test_trailing_blanks_are_ignored() -> None:
    assert create_of("odmd: create@main \t  \n") == "main"
    assert isinstance(parse("odmd: delete   ").command, Delete)


@pytest.mark.parametrize("indent", [" ", "    ", "\t", " \t "])
def test_leading_blanks_are_allowed(indent: str) -> None:
    # `git log` prints bodies indented by four spaces; people paste them
    message = f"commit 1a2b3c\n\n{indent}Add retries\n\n{indent}odmd: create@main\n"
    parsed = parse(message)
    assert isinstance(parsed.command, Create)
    assert parsed.command.span.column == len(indent) + 1


@pytest.mark.parametrize("gap", ["", " ", "  ", "\t"])
def test_blanks_after_the_prefix_are_optional(gap: str) -> None:
    assert create_of(f"odmd:{gap}create@main") == "main"


@pytest.mark.parametrize("origin", ["main", "v1.0.0", "b..main", "t..v1.0.0", "release_2024.1",
                                    "feature/x", "mäin"])
def test_the_origin_is_taken_as_written(origin: str) -> None:
    # whether it names an enver is decided against the contracts, not here
    assert create_of(f"odmd: create@{origin}") == origin


def test_no_command() -> None:
    for message in ["", "\n", "   \n\t\n", "Fix typo in README", "Fix\n\nMore words.\n"]:
        parsed = parse(message)
        assert parsed == Parsed(None, (), (), ())


def test_squash_merge_lists_old_subjects_as_prose() -> None:
    message = (
        "Feature/payments (#231)\n"
        "\n"
        "* odmd: create@main\n"
        "\n"
        "* add retries\n"
        "\n"
        "* odmd: delete\n"
    )
    parsed = parse(message)
    assert parsed.command is None and parsed.diagnostics == ()
    assert [(s.line, s.column) for s in parsed.mentions] == [(3, 3), (7, 3)]


def test_mentions_inside_lines_are_prose() -> None:
    message = (
        'Revert "odmd: create@main"\n'
        "\n"
        "This reverts commit 4f2a9c1. Use odmd: delete to remove a clone; odmd: twice.\n"
    )
    parsed = parse(message)
    assert parsed.command is None and parsed.diagnostics == ()
    assert [snippet(message, s) for s in parsed.mentions] == ["odmd:"] * 3
    assert [s.line for s in parsed.mentions] == [1, 3, 3]


def test_upper_case_prefix_is_prose() -> None:
    assert parse("ODMD: bump the contracts library\n\nOdmd: create@main") == \
        Parsed(None, (), (), ())


def test_merge_commit_with_a_command() -> None:
    message = "Merge pull request #12 from acme/feature-x\n\nodmd: create@main\n"
    assert create_of(message) == "main"


def test_identical_commands_count_once() -> None:
    message = "odmd: create@main\n\nsquashed:\n\nodmd: create@main\n"
    parsed = parse(message)
    assert isinstance(parsed.command, Create) and parsed.command.span.line == 1
    assert len(parsed.commands) == 2
    parsed = parse("odmd: delete\nodmd: delete")
    assert isinstance(parsed.command, Delete)


def test_different_commands_conflict() -> None:
    parsed = parse("odmd: create@main\n\nodmd: delete\n")
    assert parsed.command is None
    (d,) = parsed.diagnostics
    assert d.code == "E406" and "conflicting" in d.message
    assert d.span.line == 3
    assert [s.span.line for s in d.secondary] == [1]
    assert errors("odmd: create@main\nodmd: create@dev") == [
        (2, 1, "conflicting `odmd:` commands in one commit message")]


def test_one_malformed_line_rejects_the_message() -> None:
    parsed = parse("odmd: create@main\nodmd: crate@main\n")
    assert parsed.command is None
    assert [d.span.line for d in parsed.diagnostics] == [2]


# ---- malformed commands ---------------------------------------------------------------------
@pytest.mark.parametrize(("message", "column", "fragment"), [
    ("odmd:", 1, "empty `odmd:` command"),
    ("odmd:    ", 1, "empty `odmd:` command"),
    ("odmd: create", 7, "needs `@<origin>`"),
    ("odmd: create main", 7, "needs `@<origin>`"),
    ("odmd: create @main", 7, "needs `@<origin>`"),
    ("odmd: create:main", 7, "needs `@<origin>`"),
    ("odmd: create@", 7, "names no origin"),
    ("odmd: create@ main", 7, "names no origin"),
    ("odmd: create@main please", 19, "unexpected text after"),
    ("odmd: create@main odmd: delete", 19, "unexpected text after"),
    ("odmd: delete now", 14, "takes nothing after it"),
    ("odmd: delete@main", 7, "malformed `odmd:` command `delete@main`"),
    ("odmd: Create@main", 7, "must be lower case"),
    ("odmd: DELETE", 7, "must be lower case"),
    ("odmd: crate@main", 7, "unknown `odmd:` command `crate`"),
    ("odmd: clone@main", 7, "unknown `odmd:` command `clone`"),
    ("odmd: deleted", 7, "unknown `odmd:` command `deleted`"),
    ("odmd: @main", 7, "malformed `odmd:` command"),
    ("odmd: `create@main`", 7, "malformed `odmd:` command"),
    ("odmd: 42", 7, "malformed `odmd:` command"),
])
def test_malformed(message: str, column: int, fragment: str) -> None:
    (found,) = errors(message)
    assert found[0] == 1 and found[1] == column, found
    assert fragment in found[2]


def test_help_suggests_the_fix() -> None:
    def help_of(message: str) -> str | None:
        (d,) = parse(message).diagnostics
        return d.help

    assert help_of("odmd: create main") == "write `odmd: create@main`"
    assert help_of("odmd: create @main") == "write `odmd: create@main`"
    assert help_of("odmd: create@ main") == "write `odmd: create@main` with no blank after `@`"
    assert help_of("odmd: crate@main") is not None and "did you mean `create`?" in \
        str(help_of("odmd: crate@main"))
    assert help_of("odmd: Create@main") == "the platform only reads `create` in lower case"


def test_malformed_spans_point_at_the_fault() -> None:
    message = "Subject\r\n\r\n   odmd: create@main   please  \r\n"
    (d,) = parse(message).diagnostics
    assert snippet(message, d.span) == "please"
    assert (d.span.line, d.span.column) == (3, 24)


# ---- properties -----------------------------------------------------------------------------
FRAGMENTS = ["odmd:", "odmd: ", "create", "delete", "@", "main", " ", "\t", "\n", "\r\n", "\r",
             "b..", "Create", "x", "", "* "]


# Lines built like commands from parts that are right, wrong or missing: the grammar's edge
# cases (a verb at the end of the line, `@` with nothing after it, …).
PARTS = (
    ("", " ", "\t", "* "), ("odmd:", "ODMD:", "odmd"), ("", " ", "\t"),
    ("create", "delete", "", "Create", "crate", "deleted"), ("", "@", " @", ":"),
    ("", "main", "b..main", " "), ("", " ", "\r", " x"),
)
command_like = st.tuples(*(st.sampled_from(p) for p in PARTS)).map("".join)
messages = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=25)
    .map("".join),
    st.lists(st.one_of(command_like, st.text(max_size=10)), max_size=6).map("\n".join),
)


def check_consistent(text: str) -> None:
    """`parse` returns, and every span it gives lies in `text` where its line and column say."""
    parsed = parse(text)
    for d in parsed.diagnostics:
        assert d.code == "E406"
        for span in [d.span, *(s.span for s in d.secondary)]:
            assert 0 <= span.start <= span.end <= len(text)
            assert span.line == text.count("\n", 0, span.start) + 1
            assert span.column == span.start - (text.rfind("\n", 0, span.start) + 1) + 1
    for command in parsed.commands:
        assert snippet(text, command.span).startswith("odmd:")
    if parsed.command is not None:
        assert parsed.diagnostics == ()


@given(messages)
def test_parse_never_raises_and_spans_are_consistent(text: str) -> None:
    check_consistent(text)


def test_every_command_like_line() -> None:
    lines = ["".join(parts) for parts in itertools.product(*PARTS)]
    for line in lines:
        check_consistent(line)
    check_consistent("\r\n".join(lines))  # and all of them in one message


prose = st.text().filter(lambda t: "odmd:" not in t)
origins = st.text(min_size=1, max_size=20).filter(
    lambda t: "odmd:" not in t and not any(c.isspace() for c in t))
blanks = st.sampled_from(["", " ", "    ", "\t", " \t"])
newlines = st.sampled_from(["\n", "\r\n"])


@given(prose, prose, blanks, st.sampled_from(["", " ", "\t"]), origins, blanks, newlines,
       newlines)
def test_one_create_line_anywhere_is_read(
    before: str, after: str, indent: str, gap: str, origin: str, trailing: str, nl1: str,
    nl2: str,
) -> None:
    line = f"{indent}odmd:{gap}create@{origin}{trailing}"
    message = (before + nl1 if before else "") + line + (nl2 + after if after else "")
    parsed = parse(message)
    assert parsed.diagnostics == ()
    assert isinstance(parsed.command, Create)
    assert parsed.command.origin == origin
    assert snippet(message, parsed.command.origin_span) == origin


@given(prose, prose, blanks, blanks, newlines)
def test_one_delete_line_anywhere_is_read(
    before: str, after: str, indent: str, trailing: str, nl: str,
) -> None:
    message = f"{before}{nl}{indent}odmd: delete{trailing}{nl}{after}"
    parsed = parse(message)
    assert parsed.diagnostics == ()
    assert isinstance(parsed.command, Delete)
