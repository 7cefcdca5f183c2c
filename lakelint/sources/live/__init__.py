"""The live source: read an AWS account through boto3, never write to it, and fill the same inventory
templates fill, so every check runs unchanged on what the account really holds.

Layout, one job per module:

- ``catalog``: every API call live mode may make, with the IAM action it needs (the IAM policy is
  generated from it, and the read-only guard admits nothing else);
- ``collector``: the one interface every collector implements (what it provides, per type and
  property) and the context it runs in; ``collectors/``: one module per AWS service;
- ``plan``: from the checks' declared reads and the collectors' declarations to the calls a scan
  makes, the properties it reads, and the refusal of checks that read what no collector provides;
- ``session``: the boto3 session, clients with adaptive retries and timeouts, custom endpoints and
  what an emulator does not implement; ``deadline``: per-call and run-wide time bounds;
- ``guard``: the botocore hook that refuses every call outside the catalog, and counts calls;
- ``faults``: what a failed call means (AccessDenied, invalid credentials, throttling, timeout) and the
  ``Unreadable`` / ``NotRead`` values that stand in for a property that was not read;
- ``redact``: credentials in URLs never reach a note, an error or a report;
- ``shapes``: S3 API responses turned into CloudFormation's property shape;
- ``scan``: one account, every planned collector on a bounded pool; ``regions``: which regions, and
  where account-level defaults are judged; ``progress``: the stderr progress line;
- ``props`` and ``inventory``: records into stacks per account and region, each resource's properties
  knowing what was read (lakelint/runs/live.py runs them through the engine);
- ``iam`` and ``docs``: the IAM policy and the "what it reads" texts, from the same plan.

boto3 is imported only inside this package, and this package only when ``--live`` is given (or the
IAM policy is printed, which needs neither boto3 nor botocore).
"""
