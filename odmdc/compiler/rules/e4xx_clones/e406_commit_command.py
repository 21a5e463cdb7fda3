from odmdc.compiler.rules.base import FrontEndRule


class CommitCommand(FrontEndRule):
    """Reported by `odmdc.compiler.clones` while reading a commit message."""

    code = "E406"
    title = "malformed `odmd:` commit command"
    summary = (
        "A commit message line starting with `odmd:` is not exactly `odmd: create@<branch or "
        "tag>` or `odmd: delete`, disagrees with another such line, or names no single enver "
        "a clone can be made from or deleted for."
    )
