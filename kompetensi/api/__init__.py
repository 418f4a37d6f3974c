"""Generic pieces of the REST API (no app imported here; `urls` is the composition root)."""
