"""The fast front end's reductions: each grammar rule's symbols, as the parser stack holds them,
→ an `odmdc.compiler.ast` node.

The stack (`front.py`) holds, for a shifted terminal, a `Tok` tuple (or just the terminal's name
for punctuation no rule keeps: `=`, `:`, `.`, `,`), and for a reduced rule what its builder
returned: an AST node, or a plain list for the `*`/`+` repetitions Lark generates
(`__consumes_star_9`). A builder gets exactly its rule's slice of the stack, so it sees every
alternative of its rule as Lark expanded it (optional parts present or not) and tells them
apart by length and by kind. Spans are made only where a node keeps one; a keyword or a `}`
contributes just its position to the span of the node it starts or ends.

The stock Lark path (`stock.py`) builds the same tree from Lark's filtered children; the
differential test holds the two together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from odmdc.compiler import ast
from odmdc.compiler.span import Span

# kind, text, start, end (file offsets), line, column, end column (tokens never span lines)
Tok = tuple[str, str, int, int, int, int, int]
Builder = Callable[[str, list[Any]], Any]

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


def _body(v: list[Any], at: int) -> tuple[Any, ...]:
    """The items of a `{ … }` whose `{` is `v[at]`: a repetition list, or nothing."""
    return tuple(v[at + 1]) if len(v) > at + 2 else ()


# ---- items --------------------------------------------------------------------------------
# Each comment shows the slice; `[x]` is optional, `items*` is the repetition's list (absent
# when empty), `=` `:` `.` `,` are names only.


def start(f: str, v: list[Any]) -> list[ast.Item]:
    # [items*]
    return v[0] if v else []


def org(f: str, v: list[Any]) -> ast.Org:
    # ORG NAME LBRACE [items*] RBRACE
    return ast.Org(_toks(f, v[0], v[-1]), _name(f, v[1]), _body(v, 2), _span(f, v[2]))


def backend_options(f: str, v: list[Any]) -> ast.BackendOptions:
    # BACKEND NAME LBRACE [attributes*] RBRACE
    return ast.BackendOptions(_toks(f, v[0], v[-1]), _name(f, v[1]), _body(v, 2),
                              _span(f, v[2]))


def accounts(f: str, v: list[Any]) -> ast.Accounts:
    # ACCOUNTS LBRACE [entries*] RBRACE
    return ast.Accounts(_toks(f, v[0], v[-1]), _body(v, 1), _span(f, v[1]))


def account_entry(f: str, v: list[Any]) -> ast.AccountEntry:
    # NAME = STRING
    return ast.AccountEntry(_toks(f, v[0], v[2]), _name(f, v[0]), _str(f, v[2]))


def enver_type(f: str, v: list[Any]) -> ast.EnverType:
    # [SINGLETON] ENVER_TYPE NAME : NAME LBRACE [items*] RBRACE
    i = 1 if v[0][0] == "SINGLETON" else 0
    return ast.EnverType(_toks(f, v[0], v[-1]), i == 1, _name(f, v[i + 1]), _name(f, v[i + 3]),
                         _body(v, i + 4), _span(f, v[i + 4]))


def slots(f: str, v: list[Any]) -> ast.Slots:
    # CONSUMES LBRACE [slots*] RBRACE
    return ast.Slots(_toks(f, v[0], v[-1]), _body(v, 1), _span(f, v[1]))


def slot(f: str, v: list[Any]) -> ast.Slot:
    # NAME : NAME
    return ast.Slot(_toks(f, v[0], v[2]), _name(f, v[0]), _name(f, v[2]))


def build(f: str, v: list[Any]) -> ast.Build:
    # BUILD NAME : NAME LBRACE [items*] RBRACE
    return ast.Build(_toks(f, v[0], v[-1]), _name(f, v[1]), _name(f, v[3]), _body(v, 4),
                     _span(f, v[4]))


def enver(f: str, v: list[Any]) -> ast.Enver:
    # ENVER NAME = revision IN (NAME | STRING) STRING [LBRACE [items*] RBRACE]
    account: Tok = v[5]
    has_body = len(v) > 7
    return ast.Enver(
        _toks(f, v[0], v[-1]), _name(f, v[1]), v[3],
        _str(f, account) if account[0] == "STRING" else _name(f, account), _str(f, v[6]),
        _body(v, 7) if has_body else (), _span(f, v[7]) if has_body else None,
    )


def revision(f: str, v: list[Any]) -> ast.Revision:
    # (BRANCH | TAG) STRING
    kind: ast.RevisionKind = "branch" if v[0][0] == "BRANCH" else "tag"
    return ast.Revision(_toks(f, v[0], v[1]), kind, _str(f, v[1]))


def produces(f: str, v: list[Any]) -> ast.Produces:
    # PRODUCES LBRACE [products*] RBRACE
    return ast.Produces(_toks(f, v[0], v[-1]), _body(v, 1), _span(f, v[1]))


def product(f: str, v: list[Any]) -> ast.Product:
    # NAME : NAME [S3ARTIFACT] [LBRACE [products*] RBRACE]
    s3 = len(v) > 3 and v[3][0] == "S3ARTIFACT"
    at = 4 if s3 else 3  # where the body's `{` is, if there is one
    has_body = len(v) > at
    return ast.Product(_toks(f, v[0], v[-1]), _name(f, v[0]), _name(f, v[2]), s3,
                       _body(v, at) if has_body else (), _span(f, v[at]) if has_body else None)


def consumes(f: str, v: list[Any]) -> ast.Consumes:
    # CONSUMES LBRACE [consumers*] RBRACE
    return ast.Consumes(_toks(f, v[0], v[-1]), _body(v, 1), _span(f, v[1]))


def consumer(f: str, v: list[Any]) -> ast.Consumer:
    # NAME [: NAME] = ref [DEFAULT literal] [ON_CHANGE reaction]
    typed = len(v) > 3 and v[1] == "COLON"
    ref: ast.Ref = v[4] if typed else v[2]
    default: ast.LiteralValue | None = None
    reaction: ast.Reaction | None = None
    i = 5 if typed else 3
    while i < len(v):
        if v[i][0] == "DEFAULT":
            lit = _scalar(f, v[i + 1])
            assert not isinstance(lit, ast.Ident)
            default = lit
        else:  # ON_CHANGE
            reaction = v[i + 1]
        i += 2
    last = v[-1]
    end = last.span if isinstance(last, ast.Ref | ast.Reaction) else _span(f, last)
    return ast.Consumer(_to_node(f, v[0], end), _name(f, v[0]),
                        _name(f, v[2]) if typed else None, ref, default, reaction)


def ref(f: str, v: list[Any]) -> ast.Ref:
    # NAME . NAME [. NAME]*
    rest: list[Tok] = v[3]
    return ast.Ref(_toks(f, v[0], rest[-1]),
                   (_name(f, v[0]), _name(f, v[2]), *[_name(f, t) for t in rest]))


def reaction(f: str, v: list[Any]) -> ast.Reaction:
    # REDEPLOY | IGNORE | NOTIFY [LPAR STRING [, STRING]* RPAR] | APPROVE LPAR … RPAR
    roles: tuple[ast.Str, ...] = ()
    if len(v) > 1:
        roles = (_str(f, v[2]), *(_str(f, t) for t in (v[3] if len(v) == 5 else ())))
    return ast.Reaction(_toks(f, v[0], v[-1]), v[0][1], roles)


def image(f: str, v: list[Any]) -> ast.Image:
    # IMAGE NAME = STRING [REPO STRING]
    return ast.Image(_toks(f, v[0], v[-1]), _name(f, v[1]), _str(f, v[3]),
                     _str(f, v[5]) if len(v) > 4 else None)


def clone(f: str, v: list[Any]) -> ast.Clone:
    # CLONE NAME OF NAME . NAME = revision
    rev: ast.Revision = v[7]
    return ast.Clone(_to_node(f, v[0], rev.span), _name(f, v[1]), _name(f, v[3]),
                     _name(f, v[5]), rev)


def attribute(f: str, v: list[Any]) -> ast.Attribute:
    # NAME = (scalar | list)
    value = v[2]
    if type(value) is tuple:
        value = _scalar(f, value)
    return ast.Attribute(_to_node(f, v[0], value.span), _name(f, v[0]), value)


def list_(f: str, v: list[Any]) -> ast.ListValue:
    # LSQB [scalar [, scalar]* [,]] RSQB
    items: list[Tok] = []
    if len(v) > 2:
        items.append(v[1])
        if type(v[2]) is list:
            items.extend(v[2])
    return ast.ListValue(_toks(f, v[0], v[-1]), tuple(_scalar(f, t) for t in items))


#: Builders by rule name (Lark's `rule.origin.name`).
BUILDERS: dict[str, Builder] = {
    "start": start, "org": org, "backend_options": backend_options, "accounts": accounts,
    "account_entry": account_entry, "enver_type": enver_type, "slots": slots, "slot": slot,
    "build": build, "enver": enver, "revision": revision, "produces": produces,
    "product": product, "consumes": consumes, "consumer": consumer, "ref": ref,
    "reaction": reaction, "image": image, "clone": clone, "attribute": attribute,
    "list": list_,
}
