"""The compatibility catalogue: third-party savers (catalogue/savers.json) run on the spec, and the page of results.

`python -m checkpoint_spec.catalogue` (the nox session `catalogue`) starts the servers the savers need, runs each
saver, checks what it left behind and writes reports/catalogue/; `savers`, `leftovers` and `page` are its parts.
"""
