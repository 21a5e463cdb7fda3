"""`docs/stdlib.md` is generated from the standard library (`odmdc.compiler.stdlib_doc`): the
committed page must be current, and the generator must say what the resolver says — inherited
products and slots, the `stacks` a type's envers fall back on, the contracts' own comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from odmdc.compiler.sources import STDLIB_PREFIX, Source, stdlib_sources
from odmdc.compiler.stdlib_doc import LibraryError, markdown

ROOT = Path(__file__).resolve().parents[2]


def test_docs_stdlib_md_is_current() -> None:
    committed = (ROOT / "docs" / "stdlib.md").read_text("utf-8")
    assert committed == markdown(), "docs/stdlib.md is stale: run `make docs`"


def test_every_library_type_has_a_section() -> None:
    page = markdown()
    for src in stdlib_sources():
        name = src.path.removeprefix(STDLIB_PREFIX).removesuffix(".odmd")
        assert f"\n## {name}\n" in page
        assert f"](../odmdc/stdlib_contracts/{name}.odmd)" in page


# A library of its own, to see inheritance, children, s3artifact and comments come through.
BASE = """\
// base — a type other library types extend.
//
// Second paragraph: `<kept>` in code, <escaped> outside.
enver_type base : cdk {
  stacks = ["{build}-a--{rev}", "{build}-b--{rev}"]
  consumes {
    pool: string // the pool | with a pipe
  }
  produces {
    api: url { // the API
      schema: schema s3artifact // its schema
    }
  }
}
"""
DERIVED = """\
// derived — extends base.
singleton enver_type derived : base {
  produces {
    extra: number
  }
}
// tool — a cmd type.
enver_type tool : cmd {
}
"""


def _page() -> str:
    return markdown([Source(f"{STDLIB_PREFIX}base.odmd", BASE, stdlib=True),
                     Source(f"{STDLIB_PREFIX}derived.odmd", DERIVED, stdlib=True)])


def test_inherited_products_slots_and_stacks() -> None:
    derived = _page().split("\n## derived\n", 1)[1].split("\n## ", 1)[0]
    assert "- base [`base`](#base), kind `cdk`\n" in derived
    assert "- singleton: yes\n" in derived
    assert "- stacks: `{build}-a--{rev}`, `{build}-b--{rev}` (from `base`)\n" in derived
    assert "| `api` (from `base`) | `url` |  | the API |" in derived
    assert "| `api.schema` (from `base`) | `schema` | yes | its schema |" in derived
    assert "| `extra` | `number` |  |  |" in derived
    assert "| `pool` (from `base`) | `string` | the pool \\| with a pipe |" in derived


def test_descriptions_are_the_comment_above_each_type() -> None:
    page = _page()
    base = page.split("\n## base\n", 1)[1].split("\n## ", 1)[0]
    assert "base — a type other library types extend.\n\n" in base
    assert "Second paragraph: `<kept>` in code, &lt;escaped&gt; outside." in base
    tool = page.split("\n## tool\n", 1)[1]
    assert tool.startswith("\ntool — a cmd type.\n")
    assert "derived" not in tool.split("- declared", 1)[0]  # not the comment above `derived`
    assert "- kind `cmd`\n" in tool
    assert "- stacks: none: only `cdk` envers deploy stacks (kind `cmd`)\n" in tool
    assert "Products: none." in tool and "Consumer slots: none." in tool


def test_default_stacks_when_a_cdk_type_declares_none() -> None:
    page = markdown([Source(f"{STDLIB_PREFIX}t.odmd", "enver_type t : cdk {}\n", stdlib=True)])
    assert "- stacks: `{build}--{rev}` (the default)\n" in page


def test_a_library_that_does_not_check_is_refused() -> None:
    broken = Source(f"{STDLIB_PREFIX}bad.odmd", "enver_type bad : nothing {}\n", stdlib=True)
    with pytest.raises(LibraryError, match="E201"):
        markdown([broken])
