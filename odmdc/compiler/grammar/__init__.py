"""The Lark grammar of the ODMD language and the parser that turns text into the typed AST."""

from odmdc.compiler.grammar.parser import MAX_NESTING, parse

__all__ = ["MAX_NESTING", "parse"]
