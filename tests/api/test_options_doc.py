"""`docs/options.md` is generated from the built-in backends' and CI engines' options models
(`odmdc.api.options_doc`), and kept current."""

from __future__ import annotations

from pathlib import Path

from odmdc.api.options_doc import markdown
from odmdc.backends.codepipeline.options import CodePipelineOptions
from odmdc.backends.github_actions.options import GitHubDispatchOptions

DOC = Path(__file__).resolve().parents[2] / "docs" / "options.md"


def test_docs_options_md_is_current() -> None:
    assert DOC.read_text() == markdown(), "docs/options.md is stale: run `make docs`"


def test_every_option_is_documented_with_its_default() -> None:
    text = markdown()
    rows = {line.split(" | ")[0].strip("| `"): line for line in text.splitlines()
            if line.startswith("| `")}
    for name, field in CodePipelineOptions.model_fields.items():
        assert field.description, f"codepipeline option {name} says nothing about itself"
        assert name in rows
    assert "| list of string | required |" in rows["connections"]
    assert "| whole number | `10` |" in rows["dispatch_rate_limit"]
    # the engine's options are the backend's, listed once and named under the engine
    assert text.count("| `github_token_secret` |") == 1
    assert ", ".join(f"`{f}`" for f in GitHubDispatchOptions.model_fields) in text
