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

## Fix safety
The fix adds `PublicAccessBlockConfiguration` with all four settings true, or completes
the one the bucket has: a setting that is absent is added, a setting written `false` is replaced by
`true`, and the others are left as written. S3 turns the four settings on for new buckets anyway, so the
fix pins what a bucket created today already has. No fix is offered for a setting that comes from a
parameter (change the parameter's value) or is chosen by `Fn::If`, nor where the whole configuration is
written with an intrinsic function: the finding says so in `--diff`. A bucket that is meant to be public
(a website read by anyone) stops being so: do not fix it, suppress the finding with its reason.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-publicaccessblockconfiguration.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, dig, show, truth
from lakelint.fixes.intents import ensure_properties, no_fix, set_property

SETTINGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
PATH = "PublicAccessBlockConfiguration"
ACCOUNT = "LakeLint::Account"


def account_settings(bucket):
    """The account-level settings that cover this bucket (live only; ``{}`` for templates): a mapping,
    ``MISSING`` when the account has none, or the unknown value when the account would not say."""
    if bucket.source != "live" or bucket.stack is None:
        return {}
    found = {}
    for record in bucket.stack.of_type(ACCOUNT):
        if record.account == bucket.account:
            for config in read(record, PATH, presence=True):
                found = config
    return found


# the fix where the bucket has no configuration at all; where it has one, each setting left off is set
ALL_FOUR = ensure_properties(PATH, dict.fromkeys(SETTINGS, True))


def gaps(config, covered) -> list:
    """(message, where, key, fix) for each setting the bucket leaves off and the account does not cover;
    a setting whose value is unknown is reported (once, centrally) and left out."""
    if not isinstance(config, dict):
        fix = ALL_FOUR if config is MISSING else no_fix(f"{PATH} is written, but not as a mapping: fix it by hand")
        return [("PublicAccessBlockConfiguration is not set: the bucket does not pin the four Block Public "
                 "Access settings to true", None, PATH, fix)]
    found = []
    for setting in SETTINGS:
        value = dig(config, setting)
        if setting in covered or truth(value) is True:
            continue
        key = f"{PATH}.{setting}"
        if value is MISSING:
            found.append((f"{setting} is not set (false when absent)", config, key, set_property(key, True)))
        elif known(value, setting, at=(config, setting), key=key) is not None:
            found.append((f"{setting} is {show(value)}", (config, setting), key, set_property(key, True)))
    return found


@check(code="LL101", name="s3-block-public-access", severity="high",
       title="S3 bucket without all four Block Public Access settings",
       resource_types=["AWS::S3::Bucket"],
       reads={"AWS::S3::Bucket": [PATH], ACCOUNT: [PATH]}, fix="safe")
def s3_block_public_access(bucket, ctx):
    account = account_settings(bucket)
    covered = {s for s in SETTINGS if isinstance(account, dict) and truth(account.get(s)) is True}
    if len(covered) == len(SETTINGS):
        return  # the account turns all four on, whatever the bucket says
    for config in read(bucket, PATH, what="Block Public Access"):
        found = gaps(config, covered)
        # live: account-level settings that could not be read might cover the gaps
        if found and known(account, "the account-level Block Public Access settings", key=PATH) is None:
            continue
        for message, where, key, fix in found:
            yield fail(message, at=where, key=key, fix=fix)
