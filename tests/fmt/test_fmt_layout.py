"""The canonical layout, one rule at a time. Every expected text here was written by hand."""

from __future__ import annotations

from textwrap import dedent

import pytest

from odmdc.compiler.fmt import format_source, format_text
from odmdc.compiler.grammar import parse


def fmt(text: str) -> str:
    """Format `text`; also check that the result is a fixed point."""
    tree, diagnostics = parse("t.odmd", text)
    assert diagnostics == []
    out = format_source(tree)
    again, diagnostics = parse("t.odmd", out)
    assert diagnostics == []
    assert format_source(again) == out, "not idempotent"
    return out


def src(text: str) -> str:
    return dedent(text).lstrip("\n")


def test_indentation_braces_and_one_item_per_line() -> None:
    messy = 'build orders:cdk{repo="o/r" enver main=branch"main"in ws1"r"{produces{api:url}}}'
    assert fmt(messy) == src("""
        build orders : cdk {
          repo = "o/r"
          enver main = branch "main" in ws1 "r" {
            produces {
              api: url
            }
          }
        }
        """)


def test_empty_bodies() -> None:
    messy = """
        org o { accounts { } }
        singleton enver_type t : cmd { produces { } consumes { } }
        build b : cdk { enver e = tag "v1" in "590184031795" "us-east-1" { } enver f = branch
        "f" in ws "us-east-1" }
        build c : cdk {
        }
    """
    assert fmt(messy) == src("""
        org o {
          accounts {}
        }

        singleton enver_type t : cmd {
          produces {}
          consumes {}
        }

        build b : cdk {
          enver e = tag "v1" in "590184031795" "us-east-1"
          enver f = branch "f" in ws "us-east-1"
        }

        build c : cdk {}
        """)


def test_exactly_one_blank_line_between_top_level_items() -> None:
    messy = 'clone a of b.c = branch "x" clone d of b.c = branch "y"\n\n\n\nclone e of b.c=tag "z"'
    assert fmt(messy) == src("""
        clone a of b.c = branch "x"

        clone d of b.c = branch "y"

        clone e of b.c = tag "z"
        """)


def test_blank_lines_inside_blocks_kept_once_never_at_the_edges() -> None:
    messy = """
        build b : cdk {


          a = 1
          b = 2



          c = 3

        }
    """
    assert fmt(messy) == src("""
        build b : cdk {
          a = 1
          b = 2

          c = 3
        }
        """)


def test_alignment_of_attributes_accounts_and_consumers() -> None:
    messy = """
        org o {
          github_app = 1
          ci = github_actions
          accounts { central = "1" workspace1 = "2" }
          max_clones = 20
        }
        build b : cdk {
          enver e = branch "e" in a "r" {
            consumes {
              bus = f.m.bus on_change ignore
              src: arn = f.m.bus.src
              x = f.m.x
            }
          }
        }
    """
    assert fmt(messy) == src("""
        org o {
          github_app = 1
          ci         = github_actions
          accounts {
            central    = "1"
            workspace1 = "2"
          }
          max_clones = 20
        }

        build b : cdk {
          enver e = branch "e" in a "r" {
            consumes {
              bus      = f.m.bus on_change ignore
              src: arn = f.m.bus.src
              x        = f.m.x
            }
          }
        }
        """)


def test_alignment_runs_are_broken_by_blank_lines_comments_and_other_items() -> None:
    messy = """
        build b : cdk {
          a = 1
          bb = 2

          ccc = 3
          // about dddd
          dddd = 4
          eeeee = 5
          enver e = branch "e" in a "r"
          f = 6
          gg = 7
        }
    """
    assert fmt(messy) == src("""
        build b : cdk {
          a  = 1
          bb = 2

          ccc = 3
          // about dddd
          dddd  = 4
          eeeee = 5
          enver e = branch "e" in a "r"
          f  = 6
          gg = 7
        }
        """)


def test_a_multi_line_item_breaks_the_run() -> None:
    long_list = ", ".join(f'"element-number-{i:02d}"' for i in range(5))
    messy = f"""
        org o {{
          a = 1
          tags = [{long_list}]
          bbb = 2
          cc = 3
        }}
    """
    assert fmt(messy) == src("""
        org o {
          a = 1
          tags = [
            "element-number-00",
            "element-number-01",
            "element-number-02",
            "element-number-03",
            "element-number-04",
          ]
          bbb = 2
          cc  = 3
        }
        """)


def test_products_with_s3artifact_and_children() -> None:
    messy = "enver_type t : cdk { produces { api: url { schema-url: schema s3artifact { v: string"
    messy += " } } doc: schema s3artifact {} } }"
    assert fmt(messy) == src("""
        enver_type t : cdk {
          produces {
            api: url {
              schema-url: schema s3artifact {
                v: string
              }
            }
            doc: schema s3artifact
          }
        }
        """)


def test_reactions_and_defaults() -> None:
    messy = """
        build b : cdk { enver e = branch "e" in a "r" { consumes {
          a = x.y.z default "s" on_change redeploy
          b = x.y.z default 1.50 on_change notify
          c = x.y.z default false on_change notify ( "r1" )
          d = x.y.z default -7 on_change approve("r1","r2")
        } } }
    """
    assert fmt(messy) == src("""
        build b : cdk {
          enver e = branch "e" in a "r" {
            consumes {
              a = x.y.z default "s" on_change redeploy
              b = x.y.z default 1.50 on_change notify
              c = x.y.z default false on_change notify("r1")
              d = x.y.z default -7 on_change approve("r1", "r2")
            }
          }
        }
        """)


def _consumer_at_width(width: int) -> str:
    """A file whose consumer line, printed on one line, is exactly `width` columns."""
    head = '      c = b.e.p default "'
    tail = '" on_change ignore'
    filler = "x" * (width - len(head) - len(tail))
    return (f'build b : cdk {{ enver e = branch "e" in a "r" {{ consumes {{\n'
            f'c = b.e.p default "{filler}" on_change ignore }} }} }}')


def test_consumer_fitting_in_100_columns_stays_on_one_line() -> None:
    out = fmt(_consumer_at_width(100))
    line = out.splitlines()[3]
    assert len(line) == 100
    assert line.startswith('      c = b.e.p default "xxx') and line.endswith('" on_change ignore')


def test_consumer_over_100_columns_continues_4_spaces_deeper() -> None:
    out = fmt(_consumer_at_width(101))
    filler = "x" * (101 - len('      c = b.e.p default "') - len('" on_change ignore'))
    assert out.splitlines()[3:6] == [
        "      c = b.e.p",
        f'          default "{filler}"',
        "          on_change ignore",
    ]


def test_padding_that_pushes_a_consumer_past_100_columns_breaks_it_out_of_the_run() -> None:
    # alone, `c` fits in exactly 100 columns; padded to `longer-name` it would not
    role = "r" * (100 - len('      c = b.e.p on_change approve("') - len('")'))
    messy = (f'build b : cdk {{ enver e = branch "e" in a "r" {{ consumes {{\n'
             f'longer-name = b.e.q\nc = b.e.p on_change approve("{role}")\nd = b.e.r }} }} }}')
    assert fmt(messy).splitlines()[3:8] == [
        "      longer-name = b.e.q",
        "      c = b.e.p",
        f'          on_change approve("{role}")',
        "      d = b.e.r",
        "    }",
    ]


def test_a_consumer_without_default_or_reaction_never_breaks() -> None:
    ref = ".".join(["segment"] * 15)
    out = fmt(f'build b : cdk {{ enver e = branch "e" in a "r" {{ consumes {{ c = {ref} }} }} }}')
    assert out.splitlines()[3] == f"      c = {ref}"


def test_lists_one_line_until_100_columns_then_one_element_per_line() -> None:
    short = 'org o { backends = [cloudformation, ssm,  github_actions,] empty = [ ] }'
    assert fmt(short) == src("""
        org o {
          backends = [cloudformation, ssm, github_actions]
          empty    = []
        }
        """)
    # `  x = [` + items + `]`: exactly 100 columns fits, 101 does not
    items = ", ".join(["abcdefgh"] * 8)
    fits = "o" * (100 - len(f"  {''} = [{items}]"))
    assert fmt(f"org o {{ {fits} = [{items}] }}").splitlines()[1] == f"  {fits} = [{items}]"
    over = fits + "o"
    assert len(fits) == 15
    assert fmt(f"org o {{ {over} = [{items}] }}").splitlines()[1:11] == [
        f"  {over} = [", *["    abcdefgh,"] * 8, "  ]"
    ]


def test_strings_are_re_escaped_and_numbers_kept_as_written() -> None:
    messy = r'org o { s = "say \"hi\" \\ // not a comment" n = [007, -0.50, 12345678901234567890] }'
    assert fmt(messy) == src(r"""
        org o {
          s = "say \"hi\" \\ // not a comment"
          n = [007, -0.50, 12345678901234567890]
        }
        """)


def test_headers_of_types_envers_and_clones() -> None:
    messy = """
        singleton   enver_type  T:base { x = true }
        enver_type U : T { }
        build b : k { enver e = tag "v1.0" in "123456789012" "eu-west-1"
                      enver f = branch "f" in acct "eu-west-1" }
        clone   c  of  b . f  =  branch  "g"
    """
    assert fmt(messy) == src("""
        singleton enver_type T : base {
          x = true
        }

        enver_type U : T {}

        build b : k {
          enver e = tag "v1.0" in "123456789012" "eu-west-1"
          enver f = branch "f" in acct "eu-west-1"
        }

        clone c of b.f = branch "g"
        """)


def test_images_with_and_without_repo() -> None:
    messy = 'build i : container_image { enver m = branch "m" in w "r" { image a = "a:1" repo "x" '
    messy += 'image b = "b:1" } }'
    assert fmt(messy) == src("""
        build i : container_image {
          enver m = branch "m" in w "r" {
            image a = "a:1" repo "x"
            image b = "b:1"
          }
        }
        """)


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "\r\n"])
def test_an_empty_file_formats_to_nothing(text: str) -> None:
    assert fmt(text) == ""


def test_crlf_becomes_lf() -> None:
    assert fmt('org o {\r\n  a = 1\r\n\r\n  b = 2\r\n}\r\n') == "org o {\n  a = 1\n\n  b = 2\n}\n"


def test_format_text_refuses_a_file_that_does_not_parse() -> None:
    out, diagnostics = format_text("bad.odmd", "org o { a = }")
    assert out is None
    assert [d.code for d in diagnostics] == ["E001"]


def test_format_text_returns_the_canonical_text() -> None:
    assert format_text("ok.odmd", "org o{a=1}") == ("org o {\n  a = 1\n}\n", [])
