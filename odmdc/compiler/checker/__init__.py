"""The checker: names, types and rules over a parsed unit, producing the graph IR."""
