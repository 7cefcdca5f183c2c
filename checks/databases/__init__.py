"""LL5xx: operational databases: RDS and Aurora, DynamoDB, DocumentDB.

One module per check; modules whose name starts with ``_`` hold helpers the checks of this area share."""
