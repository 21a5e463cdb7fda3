"""E0xx: input, syntax and structure (files, duplicates, attributes, required items)."""
