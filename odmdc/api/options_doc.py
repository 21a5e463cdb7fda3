"""`docs/options.md`, generated from the installed built-in backends' and CI engines' options
models: `python -m odmdc.api.options_doc`. A test fails when the committed file is stale
(`make docs` regenerates it)."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from odmdc.backends.registry import available, ci_engines

#: the plugins odmdc itself ships (a third-party one installed beside them is not documented)
DISTRIBUTION = "odmdc"


def _type(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type(a) for a in args)
    if origin is list:
        return f"list of {_type(args[0])}"
    if annotation is type(None):
        return "none"
    return {str: "string", int: "whole number", bool: "`true` or `false`"}.get(
        annotation, getattr(annotation, "__name__", str(annotation)))


def _default(field: FieldInfo) -> str:
    if field.default is PydanticUndefined:
        return "required"
    if field.default is None:
        return "unset"
    return f"`{str(field.default).lower() if isinstance(field.default, bool) else field.default}`"


def _table(model: type[BaseModel]) -> list[str]:
    fields = model.model_fields
    if not fields:
        return ["It takes no options.", ""]
    lines = ["| option | type | default | what it is |", "|---|---|---|---|"]
    for name, f in fields.items():
        what = " ".join((f.description or "").split()).replace("|", "\\|")
        lines.append(f"| `{name}` | {_type(f.annotation)} | {_default(f)} | {what} |")
    return [*lines, ""]


def markdown() -> str:
    lines = [
        "# Backend and CI engine options",
        "",
        "Generated from the options models (`make docs`). An org sets them in a block per "
        "backend: `backend NAME { option = value }` (docs/language.md). A CI engine reads its "
        "options from the block of the backend of its name.",
        "",
    ]
    for name, info in available().items():
        if info.distribution != DISTRIBUTION:
            continue
        cls = info.load()
        lines += [f"## Backend `{name}`", "", f"{cls.description[:1].upper()}"
                  f"{cls.description[1:]}.", "", *_table(cls.Options)]
    for name, info in ci_engines().items():
        if info.distribution != DISTRIBUTION:
            continue
        engine = info.load_ci_engine()
        fields = list(engine.Options.model_fields)
        lines += [f"## CI engine `{name}` (`ci = {name}`)", "", f"{engine.description}.", ""]
        if not fields:
            lines += ["It reads no options.", ""]
        elif name in available():
            lines += ["It reads these options of the block of backend `" + name + "` (above): "
                      + ", ".join(f"`{f}`" for f in fields) + ".", ""]
        else:
            lines += [f"Its options, in `backend {name} {{ … }}`:", "", *_table(engine.Options)]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
