"""Dynamic clones: `odmd:` commands in commit messages and the clones they ask for."""
