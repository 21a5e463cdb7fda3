"""E4xx: clones — limits, origins, revisions, commit-message commands."""
