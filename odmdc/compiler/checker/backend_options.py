"""Backend options as the org writes them (`backend NAME { option = value }`), checked
against each backend's pydantic `Options` model while checking, so a mistyped option is a
diagnostic on its line rather than a failure at compile time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from odmdc.compiler import ast
from odmdc.compiler.checker.model import OrgDef
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


def option_problems(org: OrgDef, backends: Iterable[str] = ()) -> list[OptionProblem]:
    """Every problem with the options of the backends the org names or configures (or, when
    `backends` is given, of those: `compile --backend NAME` overrides the org's list)."""
    from odmdc.backends.registry import BackendError, available, load

    out: list[OptionProblem] = []
    installed = available()
    for name, written_block in sorted(org.backend_blocks.items()):
        if name not in installed:
            out.append(OptionProblem(
                "unknown backend", name, None, f"no backend named `{name}` is installed",
                written_block.name.span, "`odmdc backends` lists the installed backends"))
    chosen = set(backends) or set(org.backends)
    for name in sorted(chosen | set(org.backend_blocks)):
        if name not in installed:
            continue
        try:
            options_model = load(name).Options
        except BackendError:
            continue  # reported when compiling; checking does not need the backend to load
        block = org.backend_blocks.get(name)
        written = org.backend_options.get(name, {})
        try:
            options_model.model_validate(options_of(org, name))
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
                    assert attr is not None
                    out.append(OptionProblem(
                        "invalid", name, option,
                        f"backend `{name}` has no option `{option}`", attr.name.span,
                        "known: " + ", ".join(f"`{k}`" for k in known) if known
                        else f"`{name}` takes no options"))
                else:
                    target = attr.value.span if attr is not None else (
                        block.name.span if block else org.node.name.span)
                    out.append(OptionProblem(
                        "invalid", name, option,
                        f"option `{option}` of backend `{name}`: {err['msg'].lower()}",
                        target, _describe(options_model.model_fields.get(option or ""))))
    return out


def _describe(field: Any) -> str | None:
    if field is None:
        return None
    return field.description or None


def option_diagnostics(org: OrgDef, backends: Iterable[str] = ()) -> list[Diagnostic]:
    """`option_problems` as diagnostics: a missing option is E004, anything else E003."""
    return [
        make("E004" if p.kind == "missing" else "E003", p.message, p.span,
             "option missing" if p.kind == "missing" else "not a valid option here",
             help=p.help)
        for p in option_problems(org, backends)
    ]
