"""E3xx: the dependency graph — who may consume whom, regions, mutability, cycles."""
