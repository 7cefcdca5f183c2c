"""An S3 bucket with no enabled lifecycle rule that transitions or expires objects.

## What it does
Checks that `LifecycleConfiguration.Rules` holds at least one rule whose `Status` is `Enabled` and
that transitions objects to another storage class or expires them (current or noncurrent versions).
A rule that only aborts incomplete multipart uploads does not count. Each `Fn::If` branch is checked.

**When the property is absent:** S3 keeps every object, in its original storage class, forever.

## Why it matters
Data lakes grow without bound: raw landing data, intermediate query results and old object versions
pile up in S3 Standard unless a lifecycle rule moves them to cheaper classes or deletes them. The
guidance asks every lake bucket to state how long its data lives and where it goes as it ages.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    LifecycleConfiguration:
      Rules:
        - Id: archive
          Status: Disabled               # LL103: no enabled rule
          Transitions:
            - StorageClass: GLACIER
              TransitionInDays: 90
```

## Fix
Enable at least one rule that transitions or expires data:
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    LifecycleConfiguration:
      Rules:
        - Id: archive
          Status: Enabled
          Transitions:
            - StorageClass: GLACIER
              TransitionInDays: 90
          NoncurrentVersionExpiration:
            NoncurrentDays: 30
```
With the AWS CLI:
```sh
aws s3api put-bucket-lifecycle-configuration --bucket BUCKET --lifecycle-configuration \
  '{"Rules":[{"ID":"archive","Status":"Enabled","Filter":{},"Transitions":[{"Days":90,"StorageClass":"GLACIER"}]}]}'
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-lifecycleconfiguration.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, dig

ACTIONS = ("ExpirationInDays", "ExpirationDate", "Transitions", "Transition", "NoncurrentVersionExpiration",
           "NoncurrentVersionExpirationInDays", "NoncurrentVersionTransitions", "NoncurrentVersionTransition")
PATH = "LifecycleConfiguration.Rules"


def acts(rule: dict) -> bool:
    """Whether a rule transitions or expires something."""
    return any(rule.get(key) not in (None, MISSING, [], {}) for key in ACTIONS)


@check(code="LL103", name="s3-lifecycle-configured", severity="medium",
       title="S3 bucket without an enabled lifecycle rule",
       resource_types=["AWS::S3::Bucket"], reads={"AWS::S3::Bucket": ["LifecycleConfiguration"]})
def s3_lifecycle_configured(bucket, ctx):
    for rules in read(bucket, PATH, what="lifecycle rules"):
        if rules is MISSING or not isinstance(rules, list) or not rules:
            yield fail("no lifecycle rule: objects are kept in their storage class forever", key=PATH)
            continue
        statuses = [(rule, dig(rule, "Status")) for rule in rules if isinstance(rule, dict)]
        if any(status == "Enabled" and acts(rule) for rule, status in statuses):
            continue
        # a rule that acts and whose Status is unknown may be the enabled one: the first such decides
        if any(known(status, "lifecycle rule Status", key=f"{PATH}.Status") is None
               for rule, status in statuses if acts(rule)):
            continue
        enabled = [rule for rule, status in statuses if status == "Enabled"]
        if enabled:
            yield fail("no enabled lifecycle rule transitions or expires objects", at=rules, key=PATH)
        else:
            first = statuses[0][0] if statuses else rules
            yield fail("no lifecycle rule is enabled",
                       at=(first, "Status") if isinstance(first, dict) and "Status" in first else rules,
                       key=f"{PATH}.Status")
