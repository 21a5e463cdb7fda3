"""Where `fmt` puts each comment, one position at a time. Expected texts written by hand."""

from __future__ import annotations

from textwrap import dedent

from odmdc.compiler.fmt import format_source
from odmdc.compiler.grammar import parse


def fmt(text: str) -> str:
    """Format `text`; also check that the result is a fixed point and keeps every comment."""
    tree, diagnostics = parse("t.odmd", text)
    assert diagnostics == []
    out = format_source(tree)
    again, diagnostics = parse("t.odmd", out)
    assert diagnostics == []
    assert format_source(again) == out, "not idempotent"
    assert len(again.comments) == len(tree.comments)
    return out


def src(text: str) -> str:
    return dedent(text).lstrip("\n")


def test_leading_comments_at_the_item_indentation_keeping_a_blank_line_above() -> None:
    messy = """
        build b : cdk {
          a = 1
                // about b
          b = 2

        // about c, after a blank line
              /* and a block */
          c = 3
        }
    """
    assert fmt(messy) == src("""
        build b : cdk {
          a = 1
          // about b
          b = 2

          // about c, after a blank line
          /* and a block */
          c = 3
        }
        """)


def test_blank_line_between_a_leading_comment_and_its_item_is_kept() -> None:
    messy = "org o {\n  // section\n\n  a = 1\n}\n"
    assert fmt(messy) == messy


def test_trailing_comments_one_space_after_the_item() -> None:
    messy = """
        org o {
          a = 1        // one
          bb = 2 /* two */      // three
        }          // after the brace
    """
    assert fmt(messy) == src("""
        org o {
          a  = 1 // one
          bb = 2 /* two */ // three
        } // after the brace
        """)


def test_dangling_comments_before_the_closing_brace() -> None:
    messy = """
        org o {
          a = 1
              // dangling one

        // dangling two, after a blank line

        }
    """
    assert fmt(messy) == src("""
        org o {
          a = 1
          // dangling one

          // dangling two, after a blank line
        }
        """)


def test_an_empty_block_with_comments_inside_keeps_its_braces() -> None:
    messy = """
        build b : cdk {
          enver e = branch "e" in a "r" {

            // nothing consumed yet
          }
          enver f = branch "f" in a "r" { /* here */
            // nor here
          }
        }
    """
    assert fmt(messy) == src("""
        build b : cdk {
          enver e = branch "e" in a "r" {
            // nothing consumed yet
          }
          enver f = branch "f" in a "r" { /* here */
            // nor here
          }
        }
        """)


def test_header_comments_print_after_the_brace() -> None:
    messy = """
        build /* kind: */ b : cdk   // the build
        {
          a = 1
        }
        org o { // on the brace line
          a = 1
        }
    """
    assert fmt(messy) == src("""
        build b : cdk { /* kind: */ // the build
          a = 1
        }

        org o { // on the brace line
          a = 1
        }
        """)


def test_header_comments_that_cannot_share_a_line_lead_the_block() -> None:
    messy = """
        org o // first
          // second
        {
          a = 1
        }
    """
    assert fmt(messy) == src("""
        // first
        // second
        org o {
          a = 1
        }
        """)


def test_one_comment_inside_a_one_line_item_becomes_its_trailing_comment() -> None:
    messy = """
        org o {
          a = // why one
            1
          b /* why two */ = 2
        }
    """
    assert fmt(messy) == src("""
        org o {
          a = 1 // why one
          b = 2 /* why two */
        }
        """)


def test_several_comments_inside_a_one_line_item_become_leading_comments() -> None:
    messy = """
        org o {
          x = 0
          a = // one
            [ // two
              1 ]
          b = /* three */ 2 // four
        }
    """
    assert fmt(messy) == src("""
        org o {
          x = 0
          // one
          // two
          a = [1]
          /* three */
          b = 2 // four
        }
        """)


def test_moved_comments_take_the_blank_line_that_preceded_their_item() -> None:
    messy = "org o {\n  x = 0\n\n  a /* one */ = /* two */ 1\n}\n"
    assert fmt(messy) == "org o {\n  x = 0\n\n  /* one */\n  /* two */\n  a = 1\n}\n"


def test_an_empty_body_printed_as_braces_or_nothing_carries_its_comment_after_it() -> None:
    messy = """
        org o {
          accounts { /* none yet */ }
        }
        build b : cdk {
          enver e = branch "e" in a "r" { // nothing inside
          }
        }
    """
    assert fmt(messy) == src("""
        org o {
          accounts {} /* none yet */
        }

        build b : cdk {
          enver e = branch "e" in a "r" // nothing inside
        }
        """)


def _consumers(body: str) -> str:
    return f'build b : cdk {{ enver e = branch "e" in a "r" {{ consumes {{\n{body}\n}} }} }}'


def test_consumer_comments_stay_after_their_segment() -> None:
    messy = _consumers("""
        api: url = eks.main.endpoint // the head
                 default "https://example.com"     // placeholder until produced
                 on_change ignore   // the reaction
        other = x.y.z
    """)
    assert fmt(messy).splitlines()[3:8] == [
        "      api: url = eks.main.endpoint // the head",
        '          default "https://example.com" // placeholder until produced',
        "          on_change ignore // the reaction",
        "      other = x.y.z",
        "    }",
    ]


def test_a_comment_after_a_consumer_keyword_follows_the_segment_before_it() -> None:
    messy = _consumers("c = x.y.z default /* before the literal */ 1 on_change /* mid */ ignore")
    assert fmt(messy).splitlines()[3:6] == [
        "      c = x.y.z /* before the literal */",
        "          default 1 /* mid */",
        "          on_change ignore",
    ]


def test_comments_inside_the_last_consumer_segment_join_its_trailing_comments() -> None:
    messy = _consumers('''
        c /* one */ = x.y.z
        d = x.y.z on_change approve( /* two */ "r") // three
    ''')
    assert fmt(messy).splitlines()[3:5] == [
        "      c = x.y.z /* one */",
        '      d = x.y.z on_change approve("r") /* two */ // three',
    ]


def test_consumer_comments_that_cannot_share_a_line_lead_the_consumer() -> None:
    messy = _consumers("c = x.y.z // one\n /* two */ default 1")
    assert fmt(messy).splitlines()[3:6] == [
        "      // one",
        "      /* two */",
        "      c = x.y.z default 1",
    ]


def test_block_comments_spanning_lines_are_printed_verbatim() -> None:
    messy = "org o {\n      /* first\n   * second\n        third */\na = 1 /* x\n  y */\n}\n"
    assert fmt(messy) == (
        "org o {\n  /* first\n   * second\n        third */\n  a = 1 /* x\n  y */\n}\n"
    )


def test_file_header_and_end_comments_stay_at_the_top_and_the_end() -> None:
    messy = """
        // Copyright the authors
        // SPDX-License-Identifier: Apache-2.0

        org o { a = 1 }
        // end of the org
        /* really
           the end */
    """
    assert fmt(src(messy)) == src("""
        // Copyright the authors
        // SPDX-License-Identifier: Apache-2.0

        org o {
          a = 1
        }
        // end of the org
        /* really
           the end */
        """)


def test_a_file_of_comments_only() -> None:
    assert fmt("\n\n  // one\n\n\n/* two */  \n") == "// one\n\n/* two */\n"


def test_line_comments_lose_trailing_blanks_and_block_comments_their_crs() -> None:
    messy = "org o { // note   \t\r\n  a = 1 /* x\r\n y */\r\n}\r\n"
    assert fmt(messy) == "org o { // note\n  a = 1 /* x\n y */\n}\n"


def test_comment_markers_inside_strings_are_not_comments() -> None:
    messy = 'org o { a = "// no" b = "/* no */" }'
    assert fmt(messy) == 'org o {\n  a = "// no"\n  b = "/* no */"\n}\n'
