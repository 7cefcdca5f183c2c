"""An S3 bucket without versioning enabled.

## What it does
Checks that `VersioningConfiguration.Status` is `Enabled`. `Suspended`, an absent configuration and
each `Fn::If` branch or parameter value that leads to either fail; a status from a parameter without
`AllowedValues` or `Default` cannot be verified.

Live, `GetBucketVersioning` gives the status; a bucket that was never versioned has none, which
reads as an absent configuration.

**When the property is absent:** S3 creates buckets unversioned: an overwrite or delete destroys the
previous object for good.

## Why it matters
Versioning is what turns an accidental overwrite, a buggy ETL job or ransomware into a recoverable
event: every previous version stays until a lifecycle rule expires it. It is also a prerequisite for
S3 Replication and Object Lock. The data-lake guidance asks for it on raw and curated buckets, with
lifecycle rules (LL103) that expire noncurrent versions to keep the cost in check.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration:
      Status: Suspended                  # LL112
```

## Fix
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration:
      Status: Enabled
```
With the AWS CLI:
```sh
aws s3api put-bucket-versioning --bucket BUCKET --versioning-configuration Status=Enabled
```

## Fix safety
The fix adds `VersioningConfiguration` with `Status: Enabled`, or changes the status it has. Once
enabled, versioning can only be suspended, never removed, and every overwritten or deleted object
keeps its previous version, billed, until a lifecycle rule expires it: add a
`NoncurrentVersionExpiration` rule (LL103) if the bucket has none. A status chosen by `Fn::If` or
taken from a parameter is not changed.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-versioningconfig.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import MISSING, show
from lakelint.fixes.intents import ensure_properties

PATH = "VersioningConfiguration.Status"
ENABLE = ensure_properties("VersioningConfiguration", {"Status": "Enabled"})


@check(code="LL112", name="s3-versioning-enabled", severity="medium",
       title="S3 bucket without versioning enabled",
       resource_types=["AWS::S3::Bucket"], sources=["template", "live"],
       reads={"AWS::S3::Bucket": ["VersioningConfiguration"]}, fix="safe")
def s3_versioning_enabled(bucket, ctx):
    for status in read(bucket, PATH, what="versioning"):
        if status == "Enabled":
            continue
        if status is MISSING:
            yield fail("versioning is not enabled (VersioningConfiguration is not set)", key=PATH,
                       fix=ENABLE)
        else:
            yield fail(f"versioning status is {show(status)}, not Enabled", key=PATH, fix=ENABLE)
