"""An S3 bucket without all four Block Public Access settings turned on.

## What it does
Checks that the bucket's `PublicAccessBlockConfiguration` sets `BlockPublicAcls`, `BlockPublicPolicy`,
`IgnorePublicAcls` and `RestrictPublicBuckets` to true. A setting that is absent from a configuration
that is present is false. Booleans written as strings (`"true"`) count; a value that comes from an
`Fn::If` is checked on both branches, and a parameter on each of its `AllowedValues`.

In a live account a setting also counts as on when the account-level Block Public Access turns it on
(S3 applies the more restrictive of the two).

**When the property is absent:** since April 2023 S3 turns all four settings on for a *new* bucket.
The template still fails: it does not pin the settings, so a later console or API change goes
unnoticed by the stack and an update never restores them. Set them explicitly.

## Why it matters
Data-lake buckets hold raw and curated data that is never meant to be public. Block Public Access is
the one control that overrides every ACL and bucket policy that would expose it: with all four settings
on, a mistaken `PublicRead` ACL or `"Principal": "*"` statement has no effect. AWS's data-lake and S3
security guidance both start here.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: false        # LL101
      IgnorePublicAcls: true
      RestrictPublicBuckets: true
```

## Fix
Turn all four settings on:
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    PublicAccessBlockConfiguration:
      BlockPublicAcls: true
      BlockPublicPolicy: true
      IgnorePublicAcls: true
      RestrictPublicBuckets: true
```
With the AWS CLI:
```sh
aws s3api put-public-access-block --bucket BUCKET \
  --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-publicaccessblockconfiguration.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.values import MISSING, is_unresolved, show, truth

SETTINGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")


def account_settings(bucket):
    """The account-level settings that cover this bucket (live only; empty for templates), or the
    unresolved value when the account would not say (then a bucket gap cannot be judged)."""
    if bucket.stack is None:
        return {}
    for record in bucket.stack.of_type("LakeLint::Account"):
        if record.account == bucket.account:
            config = record.props.get("PublicAccessBlockConfiguration")
            return config if isinstance(config, dict) or is_unresolved(config) else {}
    return {}


def _gap(message, account_unread, **where):
    """A bucket setting that is off fails, unless the account-level settings could not be read: they
    might cover it, so the verdict is unknown (live only)."""
    if account_unread is not None:
        return unknown(f"cannot verify Block Public Access: {message}, and the account-level settings "
                       f"{account_unread.reason}", cause=account_unread, **where)
    return fail(message, **where)


@check(code="LL101", name="s3-block-public-access", severity="high",
       title="S3 bucket without all four Block Public Access settings",
       resource_types=["AWS::S3::Bucket"])
def s3_block_public_access(bucket, ctx):
    account = account_settings(bucket) if bucket.source == "live" else {}
    account_unread = account if is_unresolved(account) else None
    if account_unread is not None:
        account = {}
    for branch in bucket.branches("PublicAccessBlockConfiguration"):
        config = branch.value
        if is_unresolved(config):
            if all(truth(account.get(s)) for s in SETTINGS):
                continue
            yield unknown(f"cannot verify Block Public Access: the configuration {config.reason}",
                          cause=config, branch=branch, key="PublicAccessBlockConfiguration")
            continue
        if config is MISSING or not isinstance(config, dict):
            off = [s for s in SETTINGS if not truth(account.get(s))]
            if off:
                yield _gap("PublicAccessBlockConfiguration is not set: the bucket does not pin the four "
                           "Block Public Access settings to true", account_unread, branch=branch,
                           key="PublicAccessBlockConfiguration")
            continue
        for setting in SETTINGS:
            value = config.get(setting, MISSING)
            if truth(account.get(setting)):
                continue
            verdict = truth(value)
            if verdict is True:
                continue
            path = f"PublicAccessBlockConfiguration.{setting}"
            if verdict is None and is_unresolved(value):
                yield unknown(f"cannot verify {setting}: it {value.reason}", cause=value, branch=branch,
                              at=(config, setting), key=path)
            elif value is MISSING:
                yield _gap(f"{setting} is not set (false when absent)", account_unread, branch=branch, at=config,
                           key=path)
            else:
                yield _gap(f"{setting} is {show(value)}", account_unread, branch=branch, at=(config, setting),
                           key=path)
            if account_unread is not None:
                break  # live: one "could not evaluate" per bucket says it all
