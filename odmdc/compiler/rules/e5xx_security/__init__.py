"""E5xx: security — secrets in source."""
