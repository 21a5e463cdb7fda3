"""How the deploy-time helper travels: as text inside what the backends generate.

A buildspec or a workflow step writes each module it needs with a quoted heredoc
(`cat > FILE <<'DELIMITER'`: bash expands nothing inside), compacted — no docstrings, no
comment-only or blank lines — because every CodeBuild project carries a copy and
CloudFormation takes at most 51,200 bytes of template inline (1 MB from S3). An engine's own
module (GitHub's resolve step, CodePipeline's release runner) is written beside the helper as
`<name>.py` and imports it as `odmd`: its one `from odmdc.backends.runtime.helper import …`
line is rewritten to `from odmd import …`.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

HELPER_IMPORT: Final = "from odmdc.backends.runtime.helper import"
EMBEDDED_IMPORT: Final = "from odmd import"


@dataclass(frozen=True, slots=True)
class Module:
    """A file of the runtime as it is written at run time."""

    package: str  # where it lives in odmdc
    file: str  # its file there
    name: str  # the file it is written as, e.g. `odmd.py`
    delimiter: str  # its heredoc's delimiter

    @property
    def source(self) -> str:
        return embedded_source(self)


HELPER: Final = Module("odmdc.backends.runtime", "helper.py", "odmd.py", "ODMD_HELPER_EOF")


@cache
def embedded_source(m: Module) -> str:
    text = resources.files(m.package).joinpath(m.file).read_text(encoding="utf-8")
    if m.delimiter in text:
        raise AssertionError(f"{m.file} must not contain its heredoc delimiter")
    if "${{" in text or "\t" in text or " \n" in text:
        # a workflow's `run:` holds no expression GitHub would splice text into, and is a
        # YAML literal block, which trailing blanks would turn into a quoted string
        raise AssertionError(f"{m.file}: no `${{{{`, tabs or trailing blanks in embedded code")
    if m != HELPER:
        if text.count(HELPER_IMPORT) != 1:
            raise AssertionError(f"{m.file} must import the helper once, by one line")
        text = text.replace(HELPER_IMPORT, EMBEDDED_IMPORT)
    return compact(text)


def write(m: Module, target: str) -> str:
    """The shell command that writes `m` to `target` (a shell word, e.g. `"$ODMD_HELPER"`)."""
    return f"cat > {target} <<'{m.delimiter}'\n{m.source}{m.delimiter}"


def compact(source: str) -> str:
    """`source` without docstrings and without lines that hold only a comment or nothing
    (found by the tokenizer, so a line inside a string literal is never touched)."""
    drop: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and len(node.body) > 1:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
                    isinstance(first.value.value, str):
                drop.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    code: set[int] = set()
    layout_only = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                   tokenize.DEDENT, tokenize.ENDMARKER}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in layout_only:
            code.update(range(tok.start[0], tok.end[0] + 1))
    lines = source.splitlines()
    return "\n".join(line for i, line in enumerate(lines, 1) if i in code and i not in drop) \
        + "\n"
