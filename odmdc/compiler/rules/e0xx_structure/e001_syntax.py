from odmdc.compiler.rules.base import FrontEndRule


class SyntaxError_(FrontEndRule):
    code = "E001"
    title = "syntax error"
    summary = "The text does not follow the ODMD grammar; the message says what was expected."
