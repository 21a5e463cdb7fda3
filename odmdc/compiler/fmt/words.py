"""The canonical spelling of values and of the one-line parts of items."""

from __future__ import annotations

from odmdc.compiler import ast


def quote(value: str) -> str:
    """A string literal for `value`: the language has exactly two escapes, `\\"` and `\\\\`."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scalar(value: ast.Scalar) -> str:
    if isinstance(value, ast.Str):
        return quote(value.value)
    if isinstance(value, ast.Number):
        return value.text  # as written: `1.50` stays `1.50`
    if isinstance(value, ast.Bool):
        return "true" if value.value else "false"
    return value.text


def value_inline(value: ast.Value) -> str:
    if isinstance(value, ast.ListValue):
        return "[" + ", ".join(scalar(v) for v in value.items) + "]"
    return scalar(value)


def reaction(r: ast.Reaction) -> str:
    if r.roles:  # `notify` without roles prints bare; `approve` always has some
        return f"{r.kind}(" + ", ".join(quote(s.value) for s in r.roles) + ")"
    return r.kind


def revision(r: ast.Revision) -> str:
    return f"{r.kind} {quote(r.value.value)}"


def header(item: ast.Org | ast.EnverType | ast.Build | ast.Enver | ast.Accounts
           | ast.BackendOptions | ast.Produces | ast.Slots | ast.Consumes | ast.Product) -> str:
    """What precedes an item's `{`."""
    if isinstance(item, ast.Org):
        return f"org {item.name.text}"
    if isinstance(item, ast.EnverType):
        single = "singleton " if item.singleton else ""
        return f"{single}enver_type {item.name.text} : {item.base.text}"
    if isinstance(item, ast.Build):
        return f"build {item.name.text} : {item.type.text}"
    if isinstance(item, ast.Enver):
        account = (quote(item.account.value) if isinstance(item.account, ast.Str)
                   else item.account.text)
        return (f"enver {item.name.text} = {revision(item.revision)} in {account} "
                f"{quote(item.region.value)}")
    if isinstance(item, ast.Accounts):
        return "accounts"
    if isinstance(item, ast.BackendOptions):
        return f"backend {item.name.text}"
    if isinstance(item, ast.Produces):
        return "produces"
    if isinstance(item, ast.Slots | ast.Consumes):
        return "consumes"
    s3 = " s3artifact" if item.s3artifact else ""
    return f"{item.name.text}: {item.type.text}{s3}"


def clone(item: ast.Clone) -> str:
    return (f"clone {item.name.text} of {item.build.text}.{item.origin.text} = "
            f"{revision(item.revision)}")


def image(item: ast.Image) -> str:
    repo = f" repo {quote(item.repo.value)}" if item.repo is not None else ""
    return f"image {item.name.text} = {quote(item.local.value)}{repo}"


def comment(c: ast.Comment) -> str:
    """A comment as printed: a line comment loses trailing blanks, a block comment the CR of
    its CRLF line ends (the formatter writes `\\n`). Nothing else in it changes."""
    if c.is_line:
        return c.text.rstrip(" \t\f\v\r")
    return c.text.replace("\r\n", "\n")
