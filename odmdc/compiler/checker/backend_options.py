"""Backend options as the org writes them (`backend NAME { option = value }`), checked
against each backend's pydantic `Options` model while checking, so a mistyped option is a
diagnostic on its line rather than a failure at compile time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from odmdc.compiler import ast
from odmdc.compiler.checker.model import OrgDef
from odmdc.compiler.checker.plugins import Plugins
from odmdc.compiler.diagnostics import Diagnostic, make
from odmdc.compiler.span import Span

Plain = str | int | float | bool | list[Any]


def plain(value: ast.Value) -> Plain:
    """An attribute value as JSON-like Python data."""
    if isinstance(value, ast.ListValue):
        return [plain(v) for v in value.items]
    if isinstance(value, ast.Ident):
        return value.text
    return value.value


def options_of(org: OrgDef, backend: str) -> dict[str, Plain]:
    return {k: plain(a.value) for k, a in sorted(org.backend_options.get(backend, {}).items())}


@dataclass(frozen=True, slots=True)
class OptionProblem:
    kind: Literal["unknown backend", "missing", "invalid"]
    backend: str
    option: str | None
    message: str
    span: Span
    help: str | None = None


def option_problems(org: OrgDef, plugins: Plugins,
                    backends: Iterable[str] = ()) -> list[OptionProblem]:
    """Every problem with the options of the backends the org names or configures (or, when
    `backends` is given, of those: `compile --backend NAME` overrides the org's list), and with
    those its CI engine reads, when no backend of its name checks its block whole."""
    out: list[OptionProblem] = []
    installed = set(plugins.backend_names())
    engines = set(plugins.ci_engine_names())
    for name, written_block in sorted(org.backend_blocks.items()):
        if name not in installed | engines:
            out.append(OptionProblem(
                "unknown backend", name, None, f"no backend named `{name}` is installed",
                written_block.name.span, "`odmdc backends` lists the installed backends"))
    in_use = (set(backends) or set(org.backends)) | set(org.backend_blocks)
    for name in sorted((in_use | {org.ci}) & (installed | engines)):
        options_model, given = _model_of(name, org, plugins, in_use)
        if options_model is None:
            continue  # reported when compiling; checking does not need the plugin to load
        block = org.backend_blocks.get(name)
        written = org.backend_options.get(name, {})
        try:
            options_model.model_validate(given)
        except ValidationError as e:
            for err in e.errors():
                option = str(err["loc"][0]) if err["loc"] else None
                attr = written.get(option) if option else None
                if err["type"] == "missing":
                    span = block.name.span if block else org.node.name.span
                    out.append(OptionProblem(
                        "missing", name, option,
                        f"backend `{name}` needs option `{option}`", span,
                        f"add `backend {name} {{ {option} = … }}` to the org"))
                elif err["type"] == "extra_forbidden":
                    known = sorted(options_model.model_fields)
                    assert attr is not None and option is not None
                    owner = _owner(option, name, plugins)
                    out.append(OptionProblem(
                        "invalid", name, option,
                        f"backend `{name}` has no option `{option}`", attr.name.span,
                        f"`{option}` is an option of `{owner}`: write it in `backend {owner} "
                        "{ … }`" if owner else "known: " + ", ".join(f"`{k}`" for k in known)
                        if known else f"`{name}` takes no options"))
                else:
                    target = attr.value.span if attr is not None else (
                        block.name.span if block else org.node.name.span)
                    out.append(OptionProblem(
                        "invalid", name, option,
                        f"option `{option}` of backend `{name}`: {err['msg'].lower()}",
                        target, _describe(options_model.model_fields.get(option or ""))))
    return out


def _model_of(name: str, org: OrgDef, plugins: Plugins, in_use: set[str]
              ) -> tuple[type[BaseModel] | None, dict[str, Plain]]:
    """The model `name`'s block is checked with, and what of the block it reads: a backend in
    use owns its whole block; the org's CI engine otherwise reads its own fields of it."""
    given = options_of(org, name)
    backend = name in plugins.backend_names()
    if backend and name in in_use:
        return plugins.options_model(name), given
    model = plugins.engine_options_model(name)
    if model is not None and backend:  # the block of a backend not in use: the engine's part
        given = {k: v for k, v in given.items() if k in model.model_fields}
    return model, given


def _owner(option: str, backend: str, plugins: Plugins) -> str | None:
    """Another installed backend with an option of that name (an option that moved, or was
    written in the wrong block); only looked for once a block has an unknown option."""
    for other in sorted(plugins.backend_names()):
        model = plugins.options_model(other) if other != backend else None
        if model is not None and option in model.model_fields:
            return other
    return None


def _describe(field: Any) -> str | None:
    if field is None:
        return None
    return field.description or None


def option_diagnostics(org: OrgDef, plugins: Plugins,
                       backends: Iterable[str] = ()) -> list[Diagnostic]:
    """`option_problems` as diagnostics: a missing option is E004, anything else E003."""
    return [
        make("E004" if p.kind == "missing" else "E003", p.message, p.span,
             "option missing" if p.kind == "missing" else "not a valid option here",
             help=p.help)
        for p in option_problems(org, plugins, backends)
    ]
