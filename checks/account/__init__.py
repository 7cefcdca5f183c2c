"""LL3xx: account level: the bucket quota, account-level Block Public Access.

One module per check; modules whose name starts with ``_`` hold helpers the checks of this area share."""
