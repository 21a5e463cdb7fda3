"""`json_bytes`, the JSON every backend writes: orjson's speed, the stdlib's bytes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from odmdc.backends.api import OutputFile, json_bytes

_TEXT = st.text(st.characters(codec="utf-8"), max_size=12)  # no lone surrogates
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=30)


def _stdlib(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


@given(doc=_JSON)
def test_the_bytes_of_the_stdlib_encoder(doc: Any) -> None:
    """Equal on every value a generated file holds (no floats: none has any)."""
    assert json_bytes(doc) == _stdlib(doc)


@pytest.mark.parametrize("doc", [{"b": 1, "a": [], "c": {}}, ["é", "\u2028", "\x1f", "\\"],
                                 {1: "int key"}, [2**70]])
def test_examples_and_what_orjson_refuses(doc: Any) -> None:
    assert json_bytes(doc) == _stdlib(doc)
    assert OutputFile.json("x.json", doc).content == _stdlib(doc)
