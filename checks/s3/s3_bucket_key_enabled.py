"""An S3 bucket with SSE-KMS default encryption and S3 Bucket Keys off.

## What it does
For each default-encryption rule that uses `aws:kms`, checks that `BucketKeyEnabled` is true (`true` or
`"true"`). Each `Fn::If` branch and each allowed value of a parameter is checked. Rules using
`AES256` are LL102's concern; `aws:kms:dsse` is skipped because S3 Bucket Keys do not support DSSE-KMS. On a live account the rules
come from `GetBucketEncryption`.

**When the property is absent:** `BucketKeyEnabled` defaults to false: S3 calls KMS for every object.

## Why it matters
Without a bucket key S3 asks KMS for a data key on every PUT and decrypts through KMS on every GET.
Data-lake workloads (Athena, Spark, Glue) read millions of objects, which turns into KMS request costs
and KMS throttling (`ThrottlingException` from S3 reads). A bucket-level key cuts KMS requests by up
to 99% without weakening the encryption.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:     # LL118: no BucketKeyEnabled
            SSEAlgorithm: aws:kms
            KMSMasterKeyID: !GetAtt LakeKey.Arn
```

## Fix
```yaml
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: aws:kms
            KMSMasterKeyID: !GetAtt LakeKey.Arn
          BucketKeyEnabled: true
```
With the AWS CLI:
```sh
aws s3api put-bucket-encryption --bucket BUCKET --server-side-encryption-configuration \
  '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"KEY_ARN"},"BucketKeyEnabled":true}]}'
```

## Fix safety
The fix sets `BucketKeyEnabled: true` on each SSE-KMS rule of the template. Objects written afterwards
use a bucket-level key, so KMS sees the bucket's ARN, not the object's, as the encryption context:
a key policy, grant or CloudTrail alert that matches `kms:EncryptionContext:aws:s3:arn` on object
ARNs must be widened to the bucket's ARN. Existing objects keep their keys. A flag chosen by `Fn::If`,
taken from a parameter, or on a rule an intrinsic function makes is not changed.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-serversideencryptionrule.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, as_list, dig, show, truth
from lakelint.fixes.intents import no_fix, set_property, written_index

PATH = "BucketEncryption.ServerSideEncryptionConfiguration"


@check(code="LL118", name="s3-bucket-key-enabled", severity="low",
       title="S3 bucket with SSE-KMS but without S3 Bucket Keys",
       resource_types=["AWS::S3::Bucket"], sources=["template", "live"],
       reads={"AWS::S3::Bucket": ["BucketEncryption"]}, fix="safe")
def s3_bucket_key_enabled(bucket, ctx):
    for rules in read(bucket, PATH, what="default encryption"):
        for rule in as_list(rules):
            algorithm = dig(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm")
            if algorithm != "aws:kms" or not isinstance(rule, dict):
                continue
            enabled = dig(rule, "BucketKeyEnabled")
            key = f"{PATH}.BucketKeyEnabled"
            if truth(enabled) is True or known(enabled, "BucketKeyEnabled", at=(rule, "BucketKeyEnabled"),
                                               key=key) is None:
                continue
            fix = _turn_on(bucket, rule)
            if enabled is MISSING:
                yield fail("SSE-KMS without S3 Bucket Keys (BucketKeyEnabled is not set): every object costs a "
                           "KMS call", at=rule, key=key, fix=fix)
            else:
                yield fail(f"SSE-KMS without S3 Bucket Keys (BucketKeyEnabled is {show(enabled)})",
                           at=(rule, "BucketKeyEnabled"), key=key, fix=fix)


def _turn_on(bucket, rule):
    """BucketKeyEnabled: true on the rule, named by its place in the list the template writes."""
    written = dig(bucket.props, *PATH.split("."))
    index = written_index(written, rule)
    if index is None:
        return no_fix("the encryption rule is not an item the template writes in "
                      "ServerSideEncryptionConfiguration (an intrinsic function makes it)")
    return set_property(("BucketEncryption", "ServerSideEncryptionConfiguration", index, "BucketKeyEnabled"), True)
