"""E2xx: references and types — unknown names, type mismatches, invalid defaults."""
