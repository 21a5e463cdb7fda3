"""The composition root: the library API every front end (CLI, language server) uses."""
