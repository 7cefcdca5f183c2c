"""The live source: read an AWS account through boto3, never write to it, and fill the same inventory
templates fill, so every check runs unchanged on what the account really holds.

Layout, one job per module:

- ``catalog``: every API call live mode may make, with the IAM action it needs (the IAM policy is
  generated from it, and the read-only guard and the tests check against it);
- ``session``: the boto3 session, clients with adaptive retries and timeouts, custom endpoints;
- ``guard``: the botocore hook that refuses any operation that is not a read, and counts calls;
- ``faults``: what a failed call means (AccessDenied, throttling, timeout) and the ``Unreadable``
  value that takes the place of a property that could not be read;
- ``shapes``: API responses turned into CloudFormation's property shape;
- ``collect_*``: the collectors (S3 buckets, account settings, VPC endpoints);
- ``inventory``: stacks per account and region (lakelint/runs/live.py runs them through the engine).

boto3 is imported only inside this package, and this package only when ``--live`` is given.
"""
