"""LL1xx: S3 buckets, bucket policies and access points.

One module per check; modules whose name starts with ``_`` hold helpers the checks of this area share."""
