from odmdc.compiler.rules.base import FrontEndRule


class InputFile(FrontEndRule):
    code = "E000"
    title = "unusable input file"
    summary = (
        "A source file could not be read: unreadable, larger than 16 MiB, not UTF-8, or "
        "containing NUL bytes."
    )
