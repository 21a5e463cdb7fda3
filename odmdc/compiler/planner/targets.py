"""Naming an enver (`BUILD.ENVER`) or a product (`BUILD.ENVER.PRODUCT[.CHILD…]`) on the command
line. A name that names nothing is a usage error with a "did you mean"."""

from __future__ import annotations

from odmdc.compiler.ir import IR, Product
from odmdc.compiler.sources import UsageError
from odmdc.compiler.suggest import closest


def _unknown(what: str, name: str, candidates: list[str]) -> UsageError:
    hit = closest(name, candidates)
    hint = f"; did you mean `{hit}`?" if hit else ""
    return UsageError(f"unknown {what} `{name}`{hint}")


def enver_id(ir: IR, text: str) -> str:
    """The id of the enver `text` names (clones included)."""
    if ir.has_enver(text):
        return text
    if text in ir.builds:
        names = ", ".join(f"`{e}`" for e in ir.builds[text].envers)
        raise UsageError(f"`{text}` is a build; name one of its envers: {names}")
    if text.count(".") != 1 or not all(text.split(".")):
        raise UsageError(f"`{text}` is not an enver: write BUILD.ENVER, e.g. `{_example(ir)}`")
    raise _unknown("enver", text, list(ir.graph.nodes))


def product_of(ir: IR, text: str) -> tuple[str, Product]:
    """The enver id and product that `text` (BUILD.ENVER.PRODUCT[.CHILD…]) names."""
    parts = text.split(".")
    if ir.has_enver(text) and ir.enver(text).products:
        names = ", ".join(f"`{text}.{n}`" for n in sorted(p.name for p in ir.enver(text).products))
        raise UsageError(f"`{text}` is an enver; name one of its products: {names}")
    if len(parts) < 3 or not all(parts):
        raise UsageError(
            f"`{text}` is not a product: write BUILD.ENVER.PRODUCT, e.g. `{_example(ir)}.NAME`")
    enver = enver_id(ir, ".".join(parts[:2]))
    name = ".".join(parts[2:])
    products = {p.name: p for p in ir.enver(enver).products}
    if name not in products:
        if not products:
            raise UsageError(f"enver `{enver}` publishes no products")
        hit = closest(name, products)
        hint = f"; did you mean `{enver}.{hit}`?" if hit else ""
        raise UsageError(f"unknown product `{name}` of enver `{enver}`{hint}")
    return enver, products[name]


def _example(ir: IR) -> str:
    envers = sorted(ir.graph.nodes)
    return envers[0] if envers else "orders.main"
