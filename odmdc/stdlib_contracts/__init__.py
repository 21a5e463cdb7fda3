"""The standard library contracts (docs/stdlib.md): the platform's own enver types, written in the
language itself, one `.odmd` file per type. `sources.stdlib_sources()` reads them through
`importlib.resources`, so they are in scope in every compilation unit."""
