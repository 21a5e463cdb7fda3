"""The one mapping from grammar rules to `odmdc.compiler.ast` nodes: a builder per rule.

A builder gets its rule's children as Lark's public `Transformer` would: tokens that no rule
keeps (`=`, `:`, `.`, `,`) left out, the `*`/`+` repetitions Lark generates (`__consumes_star_9`)
spliced in, a `?rule` of one child passed through, so an optional part is there or not. Tokens
come as `Tok` tuples, not Lark `Token`s: the fast front end (`front.py`) never makes the latter.
Both front ends drive these builders: the stock one from Lark's own callbacks (`stock.py`), the
fast one from its parser stack, shaped like Lark's children by pickers read off the rules'
expansions (`tables.py`). So the two cannot build different trees from the same reduction; the
differential test checks that they also reduce the same way.

Spans are made only where a node keeps one; a keyword or a `}` contributes just its position to
the span of the node it starts or ends.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from odmdc.compiler import ast
from odmdc.compiler.span import Span

# kind, text, start, end (file offsets), line, column, end column (tokens never span lines)
Tok = tuple[str, str, int, int, int, int, int]
#: (file, children) → node
Builder = Callable[[str, Sequence[Any]], Any]

_new = tuple.__new__  # Span(...) without the NamedTuple's Python-level __new__


def unquote(raw: str) -> str:
    inner = raw[1:-1]
    if "\\" not in inner:
        return inner
    # The grammar admits only `\"` and `\\`; read them left to right so `\\"` stays right.
    out: list[str] = []
    i = 0
    while i < len(inner):
        c = inner[i]
        if c == "\\":
            i += 1
            c = inner[i]
        out.append(c)
        i += 1
    return "".join(out)


def _span(f: str, t: Tok) -> Span:
    return _new(Span, (f, t[2], t[3], t[4], t[5], t[4], t[6]))


def _toks(f: str, a: Tok, b: Tok) -> Span:
    """From the start of token `a` to the end of token `b`."""
    return _new(Span, (f, a[2], b[3], a[4], a[5], b[4], b[6]))


def _to_node(f: str, a: Tok, b: Span) -> Span:
    """From the start of token `a` to the end of span `b`."""
    return _new(Span, (f, a[2], b[2], a[4], a[5], b[5], b[6]))


def _name(f: str, t: Tok) -> ast.Name:
    return ast.Name(_new(Span, (f, t[2], t[3], t[4], t[5], t[4], t[6])), t[1])


def _str(f: str, t: Tok) -> ast.Str:
    return ast.Str(_new(Span, (f, t[2], t[3], t[4], t[5], t[4], t[6])), unquote(t[1]))


def _scalar(f: str, t: Tok) -> ast.Scalar:
    span = _new(Span, (f, t[2], t[3], t[4], t[5], t[4], t[6]))
    kind, text = t[0], t[1]
    if kind == "STRING":
        return ast.Str(span, unquote(text))
    if kind == "NAME":
        return ast.Ident(span, text)
    if kind == "NUMBER":
        return ast.Number(span, float(text) if "." in text else int(text), text)
    return ast.Bool(span, kind == "TRUE")


# ---- items --------------------------------------------------------------------------------
# Each comment shows the children: `[x]` is optional, `items…` the spliced repetition (none or
# more). A token is a `Tok`, anything else a node some other builder returned.


def start(f: str, c: Sequence[Any]) -> list[ast.Item]:
    # items…
    return list(c)


def org(f: str, c: Sequence[Any]) -> ast.Org:
    # ORG NAME LBRACE items… RBRACE
    return ast.Org(_toks(f, c[0], c[-1]), _name(f, c[1]), tuple(c[3:-1]), _span(f, c[2]))


def backend_options(f: str, c: Sequence[Any]) -> ast.BackendOptions:
    # BACKEND NAME LBRACE attributes… RBRACE
    return ast.BackendOptions(_toks(f, c[0], c[-1]), _name(f, c[1]), tuple(c[3:-1]),
                              _span(f, c[2]))


def accounts(f: str, c: Sequence[Any]) -> ast.Accounts:
    # ACCOUNTS LBRACE entries… RBRACE
    return ast.Accounts(_toks(f, c[0], c[-1]), tuple(c[2:-1]), _span(f, c[1]))


def account_entry(f: str, c: Sequence[Any]) -> ast.AccountEntry:
    # NAME STRING
    return ast.AccountEntry(_toks(f, c[0], c[1]), _name(f, c[0]), _str(f, c[1]))


def enver_type(f: str, c: Sequence[Any]) -> ast.EnverType:
    # [SINGLETON] ENVER_TYPE NAME NAME LBRACE items… RBRACE
    i = 1 if c[0][0] == "SINGLETON" else 0
    return ast.EnverType(_toks(f, c[0], c[-1]), i == 1, _name(f, c[i + 1]), _name(f, c[i + 2]),
                         tuple(c[i + 4 : -1]), _span(f, c[i + 3]))


def slots(f: str, c: Sequence[Any]) -> ast.Slots:
    # CONSUMES LBRACE slots… RBRACE
    return ast.Slots(_toks(f, c[0], c[-1]), tuple(c[2:-1]), _span(f, c[1]))


def slot(f: str, c: Sequence[Any]) -> ast.Slot:
    # NAME NAME
    return ast.Slot(_toks(f, c[0], c[1]), _name(f, c[0]), _name(f, c[1]))


def build(f: str, c: Sequence[Any]) -> ast.Build:
    # BUILD NAME NAME LBRACE items… RBRACE
    return ast.Build(_toks(f, c[0], c[-1]), _name(f, c[1]), _name(f, c[2]), tuple(c[4:-1]),
                     _span(f, c[3]))


def enver(f: str, c: Sequence[Any]) -> ast.Enver:
    # ENVER NAME revision IN (NAME | STRING) STRING [LBRACE items… RBRACE]
    account: Tok = c[4]
    has_body = len(c) > 6
    return ast.Enver(
        _toks(f, c[0], c[-1]), _name(f, c[1]), c[2],
        _str(f, account) if account[0] == "STRING" else _name(f, account), _str(f, c[5]),
        tuple(c[7:-1]) if has_body else (), _span(f, c[6]) if has_body else None,
    )


def revision(f: str, c: Sequence[Any]) -> ast.Revision:
    # (BRANCH | TAG) STRING
    kind: ast.RevisionKind = "branch" if c[0][0] == "BRANCH" else "tag"
    return ast.Revision(_toks(f, c[0], c[1]), kind, _str(f, c[1]))


def produces(f: str, c: Sequence[Any]) -> ast.Produces:
    # PRODUCES LBRACE products… RBRACE
    return ast.Produces(_toks(f, c[0], c[-1]), tuple(c[2:-1]), _span(f, c[1]))


def product(f: str, c: Sequence[Any]) -> ast.Product:
    # NAME NAME [S3ARTIFACT] [LBRACE products… RBRACE]
    s3 = len(c) > 2 and c[2][0] == "S3ARTIFACT"
    at = 3 if s3 else 2  # where the body's `{` is, if there is one
    has_body = len(c) > at
    return ast.Product(_toks(f, c[0], c[-1]), _name(f, c[0]), _name(f, c[1]), s3,
                       tuple(c[at + 1 : -1]) if has_body else (),
                       _span(f, c[at]) if has_body else None)


def consumes(f: str, c: Sequence[Any]) -> ast.Consumes:
    # CONSUMES LBRACE consumers… RBRACE
    return ast.Consumes(_toks(f, c[0], c[-1]), tuple(c[2:-1]), _span(f, c[1]))


def consumer(f: str, c: Sequence[Any]) -> ast.Consumer:
    # NAME [NAME] ref [DEFAULT literal] [ON_CHANGE reaction]
    typed = type(c[1]) is tuple
    i = 2 if typed else 1
    ref: ast.Ref = c[i]
    default: ast.LiteralValue | None = None
    reaction: ast.Reaction | None = None
    i += 1
    while i < len(c):
        if c[i][0] == "DEFAULT":
            lit = _scalar(f, c[i + 1])
            assert not isinstance(lit, ast.Ident)
            default = lit
        else:  # ON_CHANGE
            reaction = c[i + 1]
        i += 2
    last = c[-1]
    end = _span(f, last) if type(last) is tuple else last.span
    return ast.Consumer(_to_node(f, c[0], end), _name(f, c[0]),
                        _name(f, c[1]) if typed else None, ref, default, reaction)


def ref(f: str, c: Sequence[Any]) -> ast.Ref:
    # NAME NAME NAME…  (one or more after the first two)
    return ast.Ref(_toks(f, c[0], c[-1]), tuple([_name(f, t) for t in c]))


def reaction(f: str, c: Sequence[Any]) -> ast.Reaction:
    # REDEPLOY | IGNORE | NOTIFY [LPAR STRING STRING… RPAR] | APPROVE LPAR STRING STRING… RPAR
    return ast.Reaction(_toks(f, c[0], c[-1]), c[0][1], tuple([_str(f, t) for t in c[2:-1]]))


def image(f: str, c: Sequence[Any]) -> ast.Image:
    # IMAGE NAME STRING [REPO STRING]
    return ast.Image(_toks(f, c[0], c[-1]), _name(f, c[1]), _str(f, c[2]),
                     _str(f, c[4]) if len(c) > 3 else None)


def clone(f: str, c: Sequence[Any]) -> ast.Clone:
    # CLONE NAME OF NAME NAME revision
    rev: ast.Revision = c[5]
    return ast.Clone(_to_node(f, c[0], rev.span), _name(f, c[1]), _name(f, c[3]),
                     _name(f, c[4]), rev)


def attribute(f: str, c: Sequence[Any]) -> ast.Attribute:
    # NAME (scalar | list): a scalar is its token (`?scalar` passes it through)
    value = c[1]
    if type(value) is tuple:
        value = _scalar(f, value)
    return ast.Attribute(_to_node(f, c[0], value.span), _name(f, c[0]), value)


def list_(f: str, c: Sequence[Any]) -> ast.ListValue:
    # LSQB [scalar scalars…] RSQB
    return ast.ListValue(_toks(f, c[0], c[-1]), tuple([_scalar(f, t) for t in c[1:-1]]))


#: Builders by rule name (Lark's `rule.origin.name`).
BUILDERS: dict[str, Builder] = {
    "start": start, "org": org, "backend_options": backend_options, "accounts": accounts,
    "account_entry": account_entry, "enver_type": enver_type, "slots": slots, "slot": slot,
    "build": build, "enver": enver, "revision": revision, "produces": produces,
    "product": product, "consumes": consumes, "consumer": consumer, "ref": ref,
    "reaction": reaction, "image": image, "clone": clone, "attribute": attribute,
    "list": list_,
}
