"""LL0xx: lakelint's own hygiene (suppressions that are unused, reasonless or expired).

One module per check; modules whose name starts with ``_`` hold helpers the checks of this area share."""
