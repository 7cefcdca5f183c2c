"""S3 bucket holding regulated data without Object Lock.

## What it does
Checks every `AWS::S3::Bucket` whose `Tags` mark it as holding regulated data (by default the tag
`data-classification` with the value `regulated`; the `regulated-tags` option lists other `key=value`
pairs) for S3 Object Lock: `ObjectLockEnabled` must be true, and `ObjectLockConfiguration` must give a
default retention (`Rule.DefaultRetention` with a `Mode` and `Days` or `Years`), without which no
object is protected unless every upload sets its own retention. Each `Fn::If` branch and each allowed
value of a parameter is checked; a tag value or an Object Lock setting known only at deploy time cannot
be verified. Buckets without the tag are not judged.

On a live account the tags come from `GetBucketTagging` and the Object Lock settings from
`GetObjectLockConfiguration`.

**When the property is absent:** S3 creates buckets without Object Lock, and it can be turned on for an
existing bucket only through AWS Support or by copying the data to a new bucket (since 2023, also with
`PutObjectLockConfiguration` on a versioned bucket).

## Why it matters
Regulated records (financial trades, health records, audit trails) must often be kept in a
write-once-read-many store: SEC 17a-4(f), FINRA 4511 and CFTC 1.31 ask for it, and Object Lock in
compliance mode is the S3 feature assessed for them. Without it, any principal allowed
`s3:DeleteObject` or `s3:PutObject` (or a compromised one) can erase or overwrite the records, and a
lifecycle rule can expire them.

## Example
```yaml
TradesBucket:
  Type: AWS::S3::Bucket
  Properties:
    Tags:
      - {Key: data-classification, Value: regulated}   # LL125: no Object Lock
```

## Fix
```yaml
TradesBucket:
  Type: AWS::S3::Bucket
  Properties:
    ObjectLockEnabled: true
    ObjectLockConfiguration:
      ObjectLockEnabled: Enabled
      Rule:
        DefaultRetention: {Mode: COMPLIANCE, Years: 7}
    VersioningConfiguration: {Status: Enabled}
    Tags:
      - {Key: data-classification, Value: regulated}
```
With the AWS CLI (a versioned bucket):
```sh
aws s3api put-object-lock-configuration --bucket BUCKET --object-lock-configuration \
  '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"COMPLIANCE","Years":7}}}'
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-objectlockconfiguration.html
"""

from lakelint.core.check import check, fail
from lakelint.core.options import STRINGS, Option
from lakelint.core.reading import here, known, read
from lakelint.core.values import MISSING, dig, show, truth

TAGS = "Tags"


def regulated_pairs(ctx) -> set:
    """The ``key=value`` pairs of the ``regulated-tags`` option, as (key, value)."""
    pairs = set()
    for written in ctx.option("regulated-tags") or []:
        key, _, value = str(written).partition("=")
        pairs.add((key.strip(), value.strip()))
    return pairs


@check(code="LL125", name="s3-object-lock-regulated", severity="medium",
       title="S3 bucket tagged as regulated without Object Lock and a default retention",
       resource_types=["AWS::S3::Bucket"], sources=["template", "live"], preview=True,
       options={"regulated-tags": Option(STRINGS, ["data-classification=regulated"],
                                         "key=value tags that mark a bucket as holding regulated data")},
       reads={"AWS::S3::Bucket": ["Tags", "ObjectLockEnabled", "ObjectLockConfiguration"]})
def s3_object_lock_regulated(bucket, ctx):
    pairs = regulated_pairs(ctx)
    for tags in read(bucket, TAGS, what="the bucket's tags"):
        if not _regulated(tags, pairs):
            continue
        for enabled in read(bucket, "ObjectLockEnabled", what="ObjectLockEnabled"):
            if truth(enabled) is not True:
                yield fail(f"the bucket is tagged as regulated but ObjectLockEnabled is {show(enabled)}: "
                           "its objects can be deleted or overwritten", key="ObjectLockEnabled",
                           at=here() or bucket.pos)  # the value, or the bucket that lacks it (not its tags)
                continue
            for config in read(bucket, "ObjectLockConfiguration", what="ObjectLockConfiguration"):
                retention = dig(config, "Rule", "DefaultRetention") if config is not MISSING else MISSING
                if known(retention, "the default retention", key="ObjectLockConfiguration") is None:
                    continue
                if retention is MISSING or not (dig(retention, "Days") or dig(retention, "Years")):
                    yield fail("the bucket is tagged as regulated and has Object Lock, but no default retention "
                               "(ObjectLockConfiguration.Rule.DefaultRetention): objects are locked only when "
                               "an upload asks for it", key="ObjectLockConfiguration", at=here() or bucket.pos)


def _regulated(tags, pairs) -> bool:
    """Does ``tags`` hold one of ``pairs``? A matching key whose value is unknown is reported as such."""
    for tag in tags if isinstance(tags, list) else []:
        key, value = dig(tag, "Key"), dig(tag, "Value")
        if not any(key == k for k, _ in pairs):
            continue
        value = known(value, f"the value of tag {show(key)}", key=TAGS)
        if value is not None and any((key, value) == pair for pair in pairs):
            return True
    return False
