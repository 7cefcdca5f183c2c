"""LL7xx: catalog and governance: Lake Formation, Glue Data Catalog, Athena, KMS keys.

One module per check; modules whose name starts with ``_`` hold helpers the checks of this area share."""
