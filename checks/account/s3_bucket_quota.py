"""Buckets per account near or over the bucket quota.

## What it does
Counts the S3 buckets of each account and compares the count with the bucket quota: `medium` from 80%
of the quota, `high` above it. The quota is 100 by default (the figure the guidance plans with), a
number set by `bucket-quota: N`, or `bucket-quota: auto`: the account's applied Service Quotas value
(quota `L-DC2B2D3D`) in live mode, and AWS's current default of 10,000 on templates. The message names
the quota it used and where it came from.

All templates of one run count as one account: a repository of stacks is usually deployed together.

**When the property is absent:** not applicable; this check counts resources.

## Why it matters
Bucket creation fails once the quota is reached, and a data lake that creates a bucket per dataset,
team or tenant reaches it by design. Hitting it during a deployment is an outage; seeing it coming
gives time to request an increase or consolidate buckets with prefixes and access points.

## Example
```yaml
# .lakelint.yaml
bucket-quota: 100
# 85 AWS::S3::Bucket resources across the run's templates -> LL301 (medium, 85% of 100)
```

## Fix
Consolidate buckets (prefixes plus S3 Access Points scale further than buckets), or request a higher
quota and tell lakelint about it:
```yaml
# .lakelint.yaml
bucket-quota: auto        # or the number you were granted
```
With the AWS CLI:
```sh
aws service-quotas request-service-quota-increase --service-code s3 --quota-code L-DC2B2D3D --desired-value 1000 --region us-east-1
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html
- https://docs.aws.amazon.com/servicequotas/latest/userguide/request-quota-increase.html
"""

import math

from lakelint.core.check import check, fail
from lakelint.core.options import POSITIVE_INT_OR_AUTO, Option
from lakelint.core.reading import known
from lakelint.core.values import MISSING, dig

TEMPLATE_AUTO_QUOTA = 10_000
GUIDANCE_QUOTA = 100


def quota_for(setting, account_record):
    """(quota, where it comes from) for one account."""
    if setting == "auto":
        value = applied_quota(account_record)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(value), "the account's applied Service Quotas value"
        return TEMPLATE_AUTO_QUOTA, "AWS's default quota (bucket-quota: auto)"
    if setting == GUIDANCE_QUOTA:
        return GUIDANCE_QUOTA, "the guidance's default; set bucket-quota to change it"
    return int(setting), "bucket-quota in the configuration"


def applied_quota(account_record):
    """The account's applied quota as the live source read it (``MISSING`` in templates)."""
    if account_record is None or not isinstance(account_record.props, dict):
        return MISSING
    return dig(account_record.props, "S3BucketQuota")


@check(code="LL301", name="s3-bucket-quota", severity="medium",
       title="Buckets per account near or over the bucket quota",
       scope="run", options={"bucket-quota": Option(
           POSITIVE_INT_OR_AUTO, GUIDANCE_QUOTA,
           "the quota buckets are counted against; auto: the account's applied quota (live) or 10,000")},
       reads={"AWS::S3::Bucket": [], "LakeLint::Account": ["S3BucketQuota"]})
def s3_bucket_quota(resources, ctx):
    setting = ctx.option("bucket-quota")
    accounts = {}
    records = {}
    for resource in resources:
        if resource.type == "AWS::S3::Bucket":
            accounts.setdefault(resource.account, []).append(resource)
        elif resource.type == "LakeLint::Account":
            records[resource.account] = resource
    for account, buckets in sorted(accounts.items(), key=lambda item: item[0] or ""):
        # live, with bucket-quota: auto, a quota the account would not tell is unknown: falling back to
        # AWS's default there would pass an account that may have a lower quota
        if setting == "auto" and known(applied_quota(records.get(account)), "the account's bucket quota",
                                       key="bucket-count", resource=records.get(account)) is None:
            continue
        quota, origin = quota_for(setting, records.get(account))
        count = len(buckets)
        where = "the run's templates define" if account is None else f"account {account} has"
        if count > quota:
            culprit = buckets[quota] if quota < count else buckets[-1]
            yield fail(f"{where} {count} S3 buckets, over the bucket quota of {quota:,} ({origin})",
                       resource=culprit, severity="high", at=culprit.pos, key="bucket-count")
        elif count >= math.ceil(quota * 0.8):
            culprit = buckets[math.ceil(quota * 0.8) - 1]
            yield fail(f"{where} {count} S3 buckets, {count * 100 // quota}% of the bucket quota of "
                       f"{quota:,} ({origin})", resource=culprit, severity="medium", at=culprit.pos,
                       key="bucket-count")
