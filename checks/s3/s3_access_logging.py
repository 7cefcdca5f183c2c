"""An S3 bucket without server access logging.

## What it does
Checks that the bucket has a `LoggingConfiguration` (with or without `DestinationBucketName`: without
it, S3 writes the logs to the bucket itself). Each `Fn::If` branch is checked; a configuration removed
with `AWS::NoValue` fails. A bucket that is the access-log destination of another bucket of the same
template is a log bucket and is not asked to log its own access (that would loop), wherever that other
bucket exists: when the only bucket that logs into it has a `Condition`, it must log where the
condition is false.

Live, `GetBucketLogging` gives the configuration (`TargetBucket` reads as `DestinationBucketName`),
and a log bucket is the destination of another bucket of the same account and region (S3 requires
both there). A configuration that could not be read is "could not evaluate", never a pass.

**When the property is absent:** S3 does not record server access logs.

## Why it matters
Server access logs record every request to the bucket, including anonymous ones and those denied,
with the requester, operation, key and response. CloudTrail data events cover much of the same ground
at a cost; without either, there is no record of who read which object from the lake when an
incident has to be investigated.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket                  # LL113: no LoggingConfiguration
  Properties:
    VersioningConfiguration: {Status: Enabled}
```

## Fix
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    LoggingConfiguration:
      DestinationBucketName: !Ref AccessLogBucket
      LogFilePrefix: raw/
```
With the AWS CLI:
```sh
aws s3api put-bucket-logging --bucket BUCKET --bucket-logging-status \
  '{"LoggingEnabled":{"TargetBucket":"LOG_BUCKET","TargetPrefix":"raw/"}}'
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/logging-with-S3.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-loggingconfig.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import existing, known, read
from lakelint.core.values import MISSING


@check(code="LL113", name="s3-access-logging", severity="medium",
       title="S3 bucket without server access logging",
       resource_types=["AWS::S3::Bucket"], sources=["template", "live"],
       # other buckets' LoggingConfiguration too: a bucket they log into is a log bucket (a relation)
       reads={"AWS::S3::Bucket": ["LoggingConfiguration"]})
def s3_access_logging(bucket, ctx):
    for logging in read(bucket, "LoggingConfiguration", presence=True):
        for sources in existing(bucket.related("access_log_sources"), within=bucket):
            if sources:
                continue  # a log bucket: other buckets log into it (where they exist)
            if logging is MISSING:
                yield fail("server access logging is not configured (no LoggingConfiguration)",
                           key="LoggingConfiguration")
            else:
                known(logging, "server access logging", key="LoggingConfiguration")
