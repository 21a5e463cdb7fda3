"""Every construct of odmd.lark parses to the AST nodes it spells out, with correct spans.

Expected trees are written with the AST classes themselves; spans are excluded from node
equality, so the tables say *what* was parsed and the span tests below say *where*.
"""

from __future__ import annotations

import pytest

from odmdc.compiler import ast
from odmdc.compiler.grammar import parse
from odmdc.compiler.span import Span
from tests.ast_spans import assert_spans_consistent, nodes

_ = Span("", 0, 0, 0, 0, 0, 0)  # spans do not take part in equality


def n(text: str) -> ast.Name:
    return ast.Name(_, text)


def s(value: str) -> ast.Str:
    return ast.Str(_, value)


def i(text: str) -> ast.Ident:
    return ast.Ident(_, text)


def num(text: str) -> ast.Number:
    return ast.Number(_, float(text) if "." in text else int(text), text)


def attr(name: str, value: ast.Value) -> ast.Attribute:
    return ast.Attribute(_, n(name), value)


def ref(text: str) -> ast.Ref:
    return ast.Ref(_, tuple(n(p) for p in text.split(".")))


def branch(value: str) -> ast.Revision:
    return ast.Revision(_, "branch", s(value))


def consumer(name: str, target: str, *, type: str | None = None,
             default: ast.LiteralValue | None = None,
             reaction: ast.Reaction | None = None) -> ast.Consumer:
    return ast.Consumer(_, n(name), n(type) if type else None, ref(target), default, reaction)


def product(name: str, type: str, *children: ast.Product, s3: bool = False) -> ast.Product:
    return ast.Product(_, n(name), n(type), s3, children)


def enver(name: str, *body: ast.Produces | ast.Consumes | ast.Image | ast.Attribute,
          rev: ast.Revision | None = None, account: ast.Name | ast.Str | None = None,
          region: str = "us-west-1") -> ast.Enver:
    return ast.Enver(_, n(name), rev or branch(name), account or n("ws"), s(region), body)


def build(name: str, *body: ast.Enver | ast.Attribute, type: str = "cdk") -> ast.Build:
    return ast.Build(_, n(name), n(type), body)


def in_enver(body: str) -> str:
    return f'build b : cdk {{\n  enver e = branch "e" in ws "us-west-1" {{\n{body}\n  }}\n}}\n'


def only_enver(tree: ast.SourceFile) -> ast.Enver:
    (b,) = tree.items
    assert isinstance(b, ast.Build)
    (e,) = b.envers
    return e


CONSTRUCTS: list[tuple[str, str, tuple[ast.Item, ...]]] = [
    ("empty file", "", ()),
    ("only comments", "// a\n/* b */\n", ()),
    ("org", """
        org acme {
          github_app = 377358
          accounts { central = "590184031795" workspace1 = "590184130740" }
          ci = github_actions
          backends = [cloudformation, ssm]
          flag = true
          other = false
        }""",
     (ast.Org(_, n("acme"), (
         attr("github_app", num("377358")),
         ast.Accounts(_, (ast.AccountEntry(_, n("central"), s("590184031795")),
                          ast.AccountEntry(_, n("workspace1"), s("590184130740")))),
         attr("ci", i("github_actions")),
         attr("backends", ast.ListValue(_, (i("cloudformation"), i("ssm")))),
         attr("flag", ast.Bool(_, True)),
         attr("other", ast.Bool(_, False)),
     )),)),
    ("backend options", """
        org acme {
          backend codepipeline { connection_arn = "arn:x" compute = [small] }
          backend ssm {}
        }""",
     (ast.Org(_, n("acme"), (
         ast.BackendOptions(_, n("codepipeline"), (
             attr("connection_arn", s("arn:x")),
             attr("compute", ast.ListValue(_, (i("small"),))))),
         ast.BackendOptions(_, n("ssm"), ()),
     )),)),
    ("empty bodies", "org a {} build b : cdk {} enver_type T : cdk {}",
     (ast.Org(_, n("a"), ()), build("b"), ast.EnverType(_, False, n("T"), n("cdk"), ()))),
    ("enver type", """
        singleton enver_type Net : networking {
          consumes { pool: string zone : url }
          produces { cidr: cidr { az: string } }
          stacks = ["{build}--{rev}"]
        }""",
     (ast.EnverType(_, True, n("Net"), n("networking"), (
         ast.Slots(_, (ast.Slot(_, n("pool"), n("string")), ast.Slot(_, n("zone"), n("url")))),
         ast.Produces(_, (product("cidr", "cidr", product("az", "string")),)),
         attr("stacks", ast.ListValue(_, (s("{build}--{rev}"),))),
     )),)),
    ("build with envers", """
        build orders : cdk {
          repo = "acme/orders"
          enver master = branch "master" in ws "us-west-1"
          enver v1 = tag "v1.0.0" in "590184130740" "eu-west-1" { }
        }""",
     (build("orders",
            attr("repo", s("acme/orders")),
            enver("master"),
            enver("v1", rev=ast.Revision(_, "tag", s("v1.0.0")), account=s("590184130740"),
                  region="eu-west-1")),)),
    ("products", in_enver("produces { api: url { schema: schema s3artifact doc: url } "
                          "bare: string s3: json s3artifact }"),
     (build("b", enver("e", ast.Produces(_, (
         product("api", "url", product("schema", "schema", s3=True), product("doc", "url")),
         product("bare", "string"),
         product("s3", "json", s3=True),
     )))),)),
    ("consumers and reactions", in_enver("""
        consumes {
          a = x.y.z
          b: url = x.y.z.child.grandchild default "https://e.example" on_change redeploy
          c = x.y.z default 42 on_change ignore
          d = x.y.z default -2.5 on_change notify
          e = x.y.z default true on_change notify("arn:r1")
          f = x.y.z on_change approve("arn:r1", "arn:r2")
        }"""),
     (build("b", enver("e", ast.Consumes(_, (
         consumer("a", "x.y.z"),
         consumer("b", "x.y.z.child.grandchild", type="url", default=s("https://e.example"),
                  reaction=ast.Reaction(_, "redeploy", ())),
         consumer("c", "x.y.z", default=num("42"), reaction=ast.Reaction(_, "ignore", ())),
         consumer("d", "x.y.z", default=num("-2.5"), reaction=ast.Reaction(_, "notify", ())),
         consumer("e", "x.y.z", default=ast.Bool(_, True),
                  reaction=ast.Reaction(_, "notify", (s("arn:r1"),))),
         consumer("f", "x.y.z",
                  reaction=ast.Reaction(_, "approve", (s("arn:r1"), s("arn:r2")))),
     )))),)),
    ("images", in_enver('image app = "app:1.0"\n image web = "web:2" repo "site"'),
     (build("b", enver("e",
                       ast.Image(_, n("app"), s("app:1.0"), None),
                       ast.Image(_, n("web"), s("web:2"), s("site")))),)),
    ("clone", 'clone feature-x of orders.master = branch "feature-x"',
     (ast.Clone(_, n("feature-x"), n("orders"), n("master"), branch("feature-x")),)),
    ("lists", "org a { e = [] one = [x] trailing = [a, b,] mixed = [1, -2, 3.5, \"s\", true] }",
     (ast.Org(_, n("a"), (
         attr("e", ast.ListValue(_, ())),
         attr("one", ast.ListValue(_, (i("x"),))),
         attr("trailing", ast.ListValue(_, (i("a"), i("b")))),
         attr("mixed", ast.ListValue(_, (num("1"), num("-2"), num("3.5"), s("s"),
                                         ast.Bool(_, True)))),
     )),)),
    ("names with hyphens and underscores", "build _a-b_c- : cdk { x-y = z-1 }",
     (build("_a-b_c-", attr("x-y", i("z-1"))),)),
    ("no whitespace needed around punctuation",
     'build b:cdk{enver e=branch"e"in ws"us-west-1"{consumes{a:url=x.y.z}}}',
     (build("b", enver("e", ast.Consumes(_, (consumer("a", "x.y.z", type="url"),)))),)),
]

# Words that are keywords somewhere, used where the grammar needs a name.
CONTEXTUAL: list[tuple[str, str, tuple[ast.Item, ...]]] = [
    ("items named after keywords",
     'build default : cdk {} build repo : cdk {} build image : cdk {} org build {}',
     (build("default"), build("repo"), build("image"), ast.Org(_, n("build"), ()))),
    ("consumers named after keywords, first or after another", in_enver("""
        consumes {
          default = x.y.z
          repo = x.y.z
          on_change = x.y.z
          image = x.y.z
          default: url = x.y.z default "d"
          on_change = x.y.z on_change ignore
        }"""),
     (build("b", enver("e", ast.Consumes(_, (
         consumer("default", "x.y.z"), consumer("repo", "x.y.z"),
         consumer("on_change", "x.y.z"), consumer("image", "x.y.z"),
         consumer("default", "x.y.z", type="url", default=s("d")),
         consumer("on_change", "x.y.z", reaction=ast.Reaction(_, "ignore", ())),
     )))),)),
    ("products named after keywords", in_enver(
        "produces { s3artifact: string image: url default: arn s3: json s3artifact "
        "s3artifact: string repo: string }"),
     (build("b", enver("e", ast.Produces(_, (
         product("s3artifact", "string"), product("image", "url"), product("default", "arn"),
         product("s3", "json", s3=True), product("s3artifact", "string"),
         product("repo", "string"),
     )))),)),
    ("references through keyword names", in_enver(
        "consumes { a = default.repo.image.s3artifact.on_change }"),
     (build("b", enver("e", ast.Consumes(_, (
         consumer("a", "default.repo.image.s3artifact.on_change"),)))),)),
    ("keywords as attribute names and values", 'build b : cdk { repo = "r" default = image }',
     (build("b", attr("repo", s("r")), attr("default", i("image"))),)),
    ("`repo` after an image is an attribute when `=` follows",
     in_enver('image app = "app:1"\n    repo = "x"'),
     (build("b", enver("e", ast.Image(_, n("app"), s("app:1"), None),
                       attr("repo", s("x")))),)),
    ("a comment between the keyword and `=`", in_enver(
        "consumes { a = x.y.z default /* c */ = x.y.z default // d\n \"v\" }"),
     (build("b", enver("e", ast.Consumes(_, (
         consumer("a", "x.y.z"), consumer("default", "x.y.z", default=s("v")))))),)),
    ("keyword-prefixed names are names", in_enver(
        "consumes { a = x.y.z defaults = x.y.z repos = x.y.z on_changes = x.y.z }"),
     (build("b", enver("e", ast.Consumes(_, (
         consumer("a", "x.y.z"), consumer("defaults", "x.y.z"), consumer("repos", "x.y.z"),
         consumer("on_changes", "x.y.z"))))),)),
]


@pytest.mark.parametrize(("source", "expected"), [(src, exp) for _, src, exp in CONSTRUCTS],
                         ids=[name for name, _, _ in CONSTRUCTS])
def test_construct_parses_to_ast(source: str, expected: tuple[ast.Item, ...]) -> None:
    tree, diagnostics = parse("t.odmd", source)
    assert diagnostics == []
    assert tree.items == expected


@pytest.mark.parametrize(("source", "expected"), [(src, exp) for _, src, exp in CONTEXTUAL],
                         ids=[name for name, _, _ in CONTEXTUAL])
def test_contextual_keywords_are_names_where_legal(
    source: str, expected: tuple[ast.Item, ...]
) -> None:
    tree, diagnostics = parse("t.odmd", source)
    assert diagnostics == []
    assert tree.items == expected


@pytest.mark.parametrize(("literal", "value"), [
    ('"plain"', "plain"),
    ('""', ""),
    ('"say \\"hi\\""', 'say "hi"'),
    ('"back\\\\slash"', "back\\slash"),
    ('"\\\\"', "\\"),
    ('"\\\\\\""', '\\"'),
    ('"\\"\\\\"', '"\\'),
    ('"é ✓ 日本"', "é ✓ 日本"),
    ('"tab\there"', "tab\there"),
    ('"// not a comment /* */"', "// not a comment /* */"),
])
def test_string_escapes(literal: str, value: str) -> None:
    tree, diagnostics = parse("t.odmd", f"org a {{ x = {literal} }}")
    assert diagnostics == []
    assert tree.items == (ast.Org(_, n("a"), (attr("x", s(value)),)),)


@pytest.mark.parametrize(("text", "value"), [
    ("0", 0), ("42", 42), ("-7", -7), ("007", 7), ("2.5", 2.5), ("-0.25", -0.25),
    ("1.0", 1.0), ("12345678901234567890", 12345678901234567890),
])
def test_numbers(text: str, value: int | float) -> None:
    tree, diagnostics = parse("t.odmd", f"org a {{ x = {text} }}")
    assert diagnostics == []
    (org,) = tree.items
    assert isinstance(org, ast.Org)
    (a,) = org.attributes
    assert isinstance(a.value, ast.Number)
    assert a.value.value == value and type(a.value.value) is type(value)
    assert a.value.text == text


# ---- spans ---------------------------------------------------------------------------------

SPANNED = """\
// header comment
org acme {
  accounts { central = "590184031795" }
}
build orders : cdk {
  repo = "acme/orders"  /* inline
  block */
  enver master = branch "master" in ws "us-west-1" {
    consumes {
      eks-api: url = eks.main.endpoint
                 default "https://e.example"
                 on_change approve("arn:a", "arn:b")
    }
    produces { api: url { schema: schema s3artifact } }
  }
}
clone feature-x of orders.master = branch "feature-x"
"""


def where(span: Span) -> tuple[int, int, int, int]:
    return span.line, span.column, span.end_line, span.end_column


def find(text: str, needle: str, nth: int = 0) -> int:
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return at


def covers(span: Span, text: str = SPANNED) -> str:
    return text[span.start : span.end]


def test_spans_of_nested_nodes() -> None:
    tree, diagnostics = parse("t.odmd", SPANNED)
    assert diagnostics == []
    org, b, clone = tree.items
    assert isinstance(org, ast.Org) and isinstance(b, ast.Build) and isinstance(clone, ast.Clone)
    assert where(org.span) == (2, 1, 4, 2)
    assert covers(org.span).startswith("org acme {") and covers(org.span).endswith("}")
    assert org.open_brace is not None and where(org.open_brace) == (2, 10, 2, 11)
    (acc,) = org.accounts
    assert covers(acc.span) == 'central = "590184031795"'
    assert where(acc.span) == (3, 14, 3, 38)
    assert where(acc.value.span) == (3, 24, 3, 38)
    assert where(b.span) == (5, 1, 16, 2)
    (repo,) = b.attributes
    assert covers(repo.span) == 'repo = "acme/orders"'
    assert where(repo.span) == (6, 3, 6, 23)
    (master,) = b.envers
    assert where(master.span) == (8, 3, 15, 4)
    assert covers(master.revision.span) == 'branch "master"'
    assert covers(master.region.span) == '"us-west-1"'
    assert where(master.region.span) == (8, 40, 8, 51)
    (eks,) = master.consumers
    assert covers(eks.span) == (
        'eks-api: url = eks.main.endpoint\n'
        '                 default "https://e.example"\n'
        '                 on_change approve("arn:a", "arn:b")'
    )
    assert where(eks.span) == (10, 7, 12, 53)
    assert eks.type is not None and where(eks.type.span) == (10, 16, 10, 19)
    assert covers(eks.ref.span) == "eks.main.endpoint"
    assert [where(p.span) for p in eks.ref.parts] == [
        (10, 22, 10, 25), (10, 26, 10, 30), (10, 31, 10, 39)]
    assert eks.default is not None and covers(eks.default.span) == '"https://e.example"'
    assert where(eks.default.span) == (11, 26, 11, 45)
    assert eks.reaction is not None
    assert covers(eks.reaction.span) == 'approve("arn:a", "arn:b")'
    assert where(eks.reaction.span) == (12, 28, 12, 53)
    assert [where(r.span) for r in eks.reaction.roles] == [(12, 36, 12, 43), (12, 45, 12, 52)]
    (api,) = master.products
    assert covers(api.span) == "api: url { schema: schema s3artifact }"
    assert api.open_brace is not None and covers(api.open_brace) == "{"
    (schema,) = api.children
    assert covers(schema.span) == "schema: schema s3artifact"
    assert where(schema.span) == (14, 27, 14, 52)
    assert covers(clone.span) == 'clone feature-x of orders.master = branch "feature-x"'
    assert where(clone.span) == (17, 1, 17, 54)
    assert where(tree.span) == (1, 1, 18, 1)


def test_comments_are_collected_with_spans() -> None:
    tree, _diagnostics = parse("t.odmd", SPANNED)
    assert [(c.text, where(c.span), c.is_line) for c in tree.comments] == [
        ("// header comment", (1, 1, 1, 18), True),
        ("/* inline\n  block */", (6, 25, 7, 11), False),
    ]


@pytest.mark.parametrize("source", [SPANNED] + [src for _, src, _ in CONSTRUCTS + CONTEXTUAL],
                         ids=["spanned"] + [name for name, _, _ in CONSTRUCTS + CONTEXTUAL])
def test_every_span_matches_its_text(source: str) -> None:
    tree, diagnostics = parse("t.odmd", source)
    assert diagnostics == []
    assert_spans_consistent(tree, source)


def test_crlf_file_parses_like_lf() -> None:
    crlf = SPANNED.replace("\n", "\r\n")
    lf_tree, _ = parse("t.odmd", SPANNED)
    tree, diagnostics = parse("t.odmd", crlf)
    assert diagnostics == []
    assert tree.items == lf_tree.items
    assert [c.text for c in tree.comments] == ["// header comment", "/* inline\r\n  block */"]
    # Lines and columns are those of the LF file: a CR is the last character of its line.
    lf_spans = [where(x.span) for x in nodes(lf_tree) if not isinstance(x, ast.SourceFile)]
    crlf_spans = [where(x.span) for x in nodes(tree) if not isinstance(x, ast.SourceFile)]
    assert crlf_spans == lf_spans
    assert_spans_consistent(tree, crlf)


def test_byte_order_mark_is_skipped() -> None:
    tree, diagnostics = parse("t.odmd", "\ufeff" + SPANNED)
    plain, _ = parse("t.odmd", SPANNED)
    assert diagnostics == []
    assert tree.items == plain.items
    assert [x.span for x in nodes(tree)] == [x.span for x in nodes(plain)]


def test_bom_and_error_positions() -> None:
    _tree, diagnostics = parse("t.odmd", "\ufeffbuild b : cdk { @ }")
    (d,) = diagnostics
    assert where(d.span) == (1, 17, 1, 18)


def test_empty_file_span() -> None:
    tree, diagnostics = parse("t.odmd", "")
    assert diagnostics == [] and tree.items == () and tree.comments == ()
    assert tree.span == Span("t.odmd", 0, 0, 1, 1, 1, 1)


def test_parsing_is_deterministic() -> None:
    first = parse("t.odmd", SPANNED)
    second = parse("t.odmd", SPANNED)
    assert first == second
    assert [where(x.span) for x in nodes(first[0])] == [where(x.span) for x in nodes(second[0])]
