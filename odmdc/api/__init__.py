"""The library API, and the composition root: the one place that wires the compiler core to
the installed backends and CI engines. The CLI only parses arguments and prints what these
return; the language server, `diff` and `graph` build on the same calls.

    from pathlib import Path
    from odmdc import api

    unit = api.load(["examples/shop"])        # or api.load_texts({"org.odmd": "org …"})
    checked = api.check(unit)                 # every diagnostic, the backends' own included
    for d in checked.diagnostics:
        print(d.severity, d.code, d.span.short(), d.message)
    if checked.ok:
        compiled = api.compile(unit)          # the org's backends (or `backends=[…]`)
        api.write(compiled, Path("out/shop")) # atomically; only changed files are rewritten

`compile_to` is `odmdc compile -o DIR`: the recompile shortcut, the compile and the write;
`format_files` is `odmdc fmt`; `plan` and `impact` answer `odmdc plan` and `odmdc impact` over
a checked IR. Bad paths raise `UsageError`; everything wrong in the contracts is a `Diagnostic`.
"""

from odmdc.api.compilation import Checked, Compiled, check, compile
from odmdc.api.formatting import Formatted, format_files
from odmdc.api.output import DirResult, Settings, compile_to, write
from odmdc.api.output_tree import Changes
from odmdc.api.units import load, load_texts, read
from odmdc.compiler.diagnostics import Diagnostic, Severity
from odmdc.compiler.planner.impact import impact
from odmdc.compiler.planner.plan import plan
from odmdc.compiler.sources import UsageError
from odmdc.compiler.unit import Read, Unit

__all__ = [
    "Changes", "Checked", "Compiled", "Diagnostic", "DirResult", "Formatted", "Read", "Settings",
    "Severity", "Unit", "UsageError", "check", "compile", "compile_to", "format_files",
    "impact", "load", "load_texts", "plan", "read", "write",
]
