"""Validate API inputs against botocore's service models, offline
(docs/validators.md#botocore-shape-validation).

botocore's own `ParamValidator` checks required and unknown keys, types and minimum lengths,
but not enums, maximum lengths or patterns; `validate` adds those with a walk over the shape.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import botocore.session
from botocore.validate import ParamValidator


@functools.cache
def _session() -> Any:
    return botocore.session.get_session()


def input_shape(service: str, operation: str) -> Any:
    return _session().get_service_model(service).operation_model(operation).input_shape


def validate(service: str, operation: str, params: dict[str, Any]) -> list[str]:
    """Every problem botocore would raise, plus enum/max/pattern violations; [] if valid."""
    shape = input_shape(service, operation)
    report = ParamValidator().validate(params, shape)
    problems = report.generate_report().splitlines() if report.has_errors() else []
    problems += _walk(shape, params, "input")
    return problems


def _walk(shape: Any, value: Any, where: str) -> list[str]:
    out: list[str] = []
    meta = shape.metadata
    if shape.type_name == "structure" and isinstance(value, dict):
        for key, member in shape.members.items():
            if key in value:
                out += _walk(member, value[key], f"{where}.{key}")
    elif shape.type_name == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            out += _walk(shape.member, item, f"{where}[{i}]")
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{where}: {len(value)} items, more than {meta['max']}")
    elif shape.type_name == "map" and isinstance(value, dict):
        for k, v in value.items():
            out += _walk(shape.key, k, f"{where} key")
            out += _walk(shape.value, v, f"{where}[{k}]")
    elif shape.type_name == "string" and isinstance(value, str):
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            out.append(f"{where}: {value!r} not in {enum}")
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{where}: {len(value)} characters, more than {meta['max']}")
        if "pattern" in meta and not re.fullmatch(meta["pattern"], value):
            out.append(f"{where}: does not match {meta['pattern']}")
    elif (shape.type_name in ("integer", "long") and isinstance(value, int)
          and "max" in meta and value > meta["max"]):
        out.append(f"{where}: {value} more than {meta['max']}")
    return out
