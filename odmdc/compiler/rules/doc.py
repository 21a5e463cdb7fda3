"""`docs/rules.md`, generated from the rule catalogue: `python -m odmdc.compiler.rules.doc`.

A test fails when the committed file is stale (`make docs` regenerates it)."""

from __future__ import annotations

from odmdc.compiler.rules.catalogue import catalogue, explain


def markdown() -> str:
    lines = [
        "# Diagnostic codes",
        "",
        "Generated from the rule catalogue (`make docs`); `odmdc explain CODE` prints each "
        "rule's rationale with a failing and a passing example.",
        "",
        "| code | severity | title | what it means |",
        "|---|---|---|---|",
    ]
    for code, entry in catalogue().items():
        default = "" if entry.enabled_by_default else " (off by default: `--enable " + code + "`)"
        lines.append(f"| [{code}](../odmdc/compiler/rules/explain/{code}/explain.md) | "
                     f"{entry.severity.value}{default} | {entry.title} | {entry.summary} |")
    lines.append("")
    for code in catalogue():
        e = explain(code)
        assert e is not None
        body = e.text.strip().split("\n", 1)
        lines += [f"## {code}: {e.title}", "", body[1].strip() if len(body) > 1 else "", ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
