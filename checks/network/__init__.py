"""LL2xx: network paths: VPC endpoints and their policies, routes to S3.

One module per check; modules whose name starts with ``_`` hold helpers the checks of this area share."""
