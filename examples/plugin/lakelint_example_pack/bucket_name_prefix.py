"""An S3 bucket whose name does not start with the team's `lake-` prefix.

## What it does
Checks that `BucketName` is set and starts with `lake-`. A name built with `!Sub` or `!Join` passes
when its literal start is `lake-` (`!Sub lake-raw-${AWS::AccountId}`), even though the rest is only
known at deploy time; a name whose start comes from a parameter is checked for every value the
parameter allows. Each `Fn::If` branch is checked.

**When the property is absent:** CloudFormation generates the name from the stack and logical id
(`mystack-rawbucket-1a2b3c`), which does not carry the prefix.

## Why it matters
The team's IAM policies, service control policies and cost reports select the lake's buckets by the
prefix (`arn:aws:s3:::lake-*`). A bucket without it is invisible to the guard rails and to the
bill of the lake, and a generated name changes when the bucket is replaced.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketName: raw-landing          # XP101: no lake- prefix
```

## Fix
Name the bucket with the prefix:
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketName: !Sub lake-raw-${AWS::AccountId}
```
A bucket cannot be renamed in place: create the new bucket, copy the data
(`aws s3 sync s3://raw-landing s3://lake-raw-111122223333`), then delete the old one.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.values import MISSING, is_unresolved

PREFIX = "lake-"


@check(code="XP101", name="bucket-name-prefix", severity="medium",
       title="S3 bucket name without the lake- prefix",
       resource_types=["AWS::S3::Bucket"])
def bucket_name_prefix(bucket, ctx):
    for branch in bucket.branches("BucketName"):
        name = branch.value
        if name is MISSING:
            yield fail("BucketName is not set: CloudFormation generates a name without the lake- prefix",
                       branch=branch, key="BucketName")
        elif is_unresolved(name) and not str(name).startswith(PREFIX):
            if str(name).startswith("${") or not str(name):
                yield unknown(f"cannot verify the bucket name prefix: the name {name.reason}", cause=name,
                              branch=branch, key="BucketName")
            else:
                yield fail(f"bucket name {name} does not start with {PREFIX}", branch=branch, key="BucketName")
        elif not str(name).startswith(PREFIX):
            yield fail(f"bucket name {name} does not start with {PREFIX}", branch=branch, key="BucketName")
