"""The catalogue of every code odmdc reports: the rules' (`base.Rule`), and those reported
outside them — while reading files, parsing, reading a commit message, or by a backend.

Each code has, in `explain/<CODE>/`, a rationale (`explain.md`), a failing example (`bad.odmd`,
offending lines marked `// [CODE]`) and a passing one (`good.odmd`). `odmdc explain CODE`
prints those; a test checks that the examples really fail and pass, and another that every
code the sources report is here (`tests/compiler/rules/test_catalogue.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from odmdc.compiler.diagnostics import Severity
from odmdc.compiler.rules.base import all_rules


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    title: str  # SARIF's short description
    summary: str  # one sentence
    severity: Severity
    enabled_by_default: bool = True
    #: where it is reported: "rule", or the module that reports it
    reported_by: str = "rule"


#: The codes no rule reports: what the front end, the commit-message reader and the backends
#: find before or after the rules run.
ELSEWHERE = (
    Entry("E000", "unusable input file",
          "A source file could not be read: unreadable, larger than 16 MiB, not UTF-8, or "
          "containing NUL bytes.", Severity.ERROR, reported_by="odmdc.compiler.sources"),
    Entry("E001", "syntax error",
          "The text does not follow the ODMD grammar; the message says what was expected.",
          Severity.ERROR, reported_by="odmdc.compiler.grammar"),
    Entry("E406", "malformed `odmd:` commit command",
          "A commit message line starting with `odmd:` is not exactly `odmd: create@<branch "
          "or tag>` or `odmd: delete`, disagrees with another such line, or names no single "
          "enver a clone can be made from or deleted for.", Severity.ERROR,
          reported_by="odmdc.compiler.clones.commit_message"),
    Entry("E601", "not expressible by a backend",
          "A backend the org compiles with cannot express something the contracts ask for, "
          "or what it would generate breaks an AWS or GitHub quota.", Severity.ERROR,
          reported_by="odmdc.backends.api (EmitContext.unsupported)"),
    Entry("W601", "incomplete in a backend",
          "A backend can generate correct output, but leaves something out or does nothing "
          "useful with it (e.g. pipelines nothing starts).", Severity.WARNING,
          reported_by="odmdc.backends.api (EmitContext.unsupported)"),
)


def catalogue() -> dict[str, Entry]:
    """Every code, by code."""
    entries = {e.code: e for e in ELSEWHERE}
    for code, rule in all_rules().items():
        if code in entries:
            raise RuntimeError(f"{code} is both a rule and reported elsewhere")
        entries[code] = Entry(code, rule.title, rule.summary, rule.effective_severity(),
                              rule.enabled_by_default)
    return dict(sorted(entries.items()))


#: What an example is, by file suffix: contracts, or a commit message (E406's examples).
EXAMPLE_KINDS = {"odmd": "contracts", "msg": "commit message"}


@dataclass(frozen=True, slots=True)
class Explanation:
    code: str
    title: str
    text: str
    bad: str
    good: str
    suffix: str = "odmd"  # of bad.* and good.*: a key of EXAMPLE_KINDS


def explain(code: str) -> Explanation | None:
    entry = catalogue().get(code.upper())
    if entry is None:
        return None
    folder = resources.files("odmdc.compiler.rules").joinpath("explain", entry.code)
    suffix = next((s for s in EXAMPLE_KINDS if folder.joinpath(f"bad.{s}").is_file()), "odmd")
    return Explanation(
        entry.code,
        entry.title,
        folder.joinpath("explain.md").read_text("utf-8"),
        # E000's failing example is deliberately not UTF-8
        folder.joinpath(f"bad.{suffix}").read_bytes().decode("utf-8", "replace"),
        folder.joinpath(f"good.{suffix}").read_bytes().decode("utf-8", "replace"),
        suffix,
    )
