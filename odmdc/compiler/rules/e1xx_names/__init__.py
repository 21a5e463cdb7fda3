"""E1xx: names — what is declared, and every name generated from it (SPEC §4)."""
