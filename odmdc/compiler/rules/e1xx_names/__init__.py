"""E1xx: names — identifiers, revisions, products, generated names and their limits,
accounts, regions, docs."""
