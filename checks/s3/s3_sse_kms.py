"""An S3 bucket whose default encryption is not SSE-KMS.

## What it does
Checks that the bucket's default encryption (`BucketEncryption.ServerSideEncryptionConfiguration`)
uses `aws:kms` or `aws:kms:dsse` as its `SSEAlgorithm`. Each `Fn::If` branch and each allowed value
of a parameter is checked; an algorithm that comes from a parameter with no `AllowedValues` or
`Default` cannot be verified and is reported as such.

**When the property is absent:** since January 2023 S3 encrypts new objects with SSE-S3 (`AES256`),
which is encryption at rest but not with a key you control, so an absent `BucketEncryption` fails.

## Why it matters
With SSE-KMS, reading an object needs `kms:Decrypt` on the key as well as `s3:GetObject` on the
object: a second, independent permission layer that bucket policies cannot open by mistake, with every
use of the key logged in CloudTrail. The data-lake guidance asks for KMS keys on every lake bucket so
that access to the data can be audited and revoked by revoking access to the key.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: AES256        # LL102
```

## Fix
Use a KMS key (preferably your own) as the bucket's default:
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketEncryption:
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

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-serversideencryptionbydefault.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, dig, show
from lakelint.knowledge.services import S3_KMS_ALGORITHMS

PATH = "BucketEncryption.ServerSideEncryptionConfiguration"


@check(code="LL102", name="s3-sse-kms", severity="high",
       title="S3 bucket default encryption is not SSE-KMS",
       resource_types=["AWS::S3::Bucket"], reads={"AWS::S3::Bucket": ["BucketEncryption"]})
def s3_sse_kms(bucket, ctx):
    for rules in read(bucket, PATH, what="default encryption"):
        if rules is MISSING or not isinstance(rules, list) or not rules:
            yield fail("no default encryption is configured: S3 falls back to SSE-S3 (AES256), not SSE-KMS", key=PATH)
            continue
        defaults = [dig(rule, "ServerSideEncryptionByDefault") for rule in rules]
        algorithms = [(dig(default, "SSEAlgorithm"), default if isinstance(default, dict) else rules)
                      for default in defaults]
        if any(algorithm in S3_KMS_ALGORITHMS for algorithm, _ in algorithms):
            continue
        for algorithm, where in algorithms:  # the first unknown algorithm, if any, is what cannot be verified
            if known(algorithm, "SSEAlgorithm", at=(where, "SSEAlgorithm"), key=f"{PATH}.SSEAlgorithm") is None:
                break
        else:
            algorithm, where = algorithms[0]
            yield fail(f"default encryption uses SSEAlgorithm {show(algorithm)}, not aws:kms or aws:kms:dsse",
                       at=(where, "SSEAlgorithm"), key=f"{PATH}.SSEAlgorithm")
