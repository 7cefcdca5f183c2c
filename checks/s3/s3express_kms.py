"""S3 directory bucket (S3 Express One Zone) whose default encryption is not SSE-KMS.

## What it does
Reads the default encryption of every `AWS::S3Express::DirectoryBucket`
(`BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault`) and fails when
no rule uses `SSEAlgorithm: aws:kms`, or when the `aws:kms` rule names no key (`KMSMasterKeyID`):
directory buckets support only SSE-S3 (`AES256`) and SSE-KMS with a customer managed key, never the
AWS managed key `aws/s3`. Each `Fn::If` branch and each allowed value of a parameter is checked; an
algorithm known only at deploy time cannot be verified.

On a live account the directory buckets of each scanned region come from `ListDirectoryBuckets` and
their default encryption from `GetBucketEncryption`, both through the region's S3 Express control
endpoint (`s3express-control.<region>.amazonaws.com`; IAM actions `s3express:ListAllMyDirectoryBuckets`
and `s3express:GetEncryptionConfiguration`). General purpose buckets are never judged here (LL102
judges them), and directory buckets never by LL101-LL124: they are different CloudFormation types and
the S3 bucket collector leaves out any `--x-s3` name.

**When the property is absent:** S3 encrypts every new object of a directory bucket with SSE-S3
(`AES256`).

## Why it matters
Directory buckets hold a lake's hottest data (the shuffle and staging files of Spark and EMR jobs, the
newest partitions), often copies of the same records as the encrypted general purpose buckets. With
SSE-KMS, reading an object also needs `kms:Decrypt` on your key, every session's use of the key is
logged in CloudTrail, and access is revoked at the key; with SSE-S3 anyone S3 lets read the object can
read it. A directory bucket supports one customer managed key for its whole lifetime, so the key
should be chosen when the bucket is created.

## Example
```yaml
HotBucket:
  Type: AWS::S3Express::DirectoryBucket
  Properties:
    BucketName: lake-hot--use1-az4--x-s3
    LocationName: use1-az4
    DataRedundancy: SingleAvailabilityZone      # LL136: no BucketEncryption, SSE-S3
```

## Fix
```yaml
HotBucket:
  Type: AWS::S3Express::DirectoryBucket
  Properties:
    BucketName: lake-hot--use1-az4--x-s3
    LocationName: use1-az4
    DataRedundancy: SingleAvailabilityZone
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: aws:kms
            KMSMasterKeyID: !GetAtt HotKey.Arn
          BucketKeyEnabled: true
```
With the AWS CLI:
```sh
aws s3api put-bucket-encryption --bucket lake-hot--use1-az4--x-s3 --server-side-encryption-configuration \\
  '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"KEY_ARN"},"BucketKeyEnabled":true}]}'
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-express-bucket-encryption.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-express-UsingKMSEncryption.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3express-directorybucket-serversideencryptionbydefault.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, dig, show

DIRECTORY_BUCKET = "AWS::S3Express::DirectoryBucket"
PATH = "BucketEncryption.ServerSideEncryptionConfiguration"


@check(code="LL136", name="s3express-kms", severity="medium",
       title="S3 directory bucket whose default encryption is not SSE-KMS",
       resource_types=[DIRECTORY_BUCKET], sources=["template", "live"], preview=True,
       reads={DIRECTORY_BUCKET: ["BucketEncryption"]})
def s3express_kms(bucket, ctx):
    for rules in read(bucket, PATH, what="default encryption"):
        if rules is MISSING or not isinstance(rules, list) or not rules:
            yield fail("no default encryption is configured: S3 encrypts the directory bucket's objects with SSE-S3 "
                       "(AES256), not SSE-KMS", key=PATH)
            continue
        defaults = [dig(rule, "ServerSideEncryptionByDefault") for rule in rules]
        algorithms = [(dig(default, "SSEAlgorithm"), default if isinstance(default, dict) else rules)
                      for default in defaults]
        kms = [where for algorithm, where in algorithms if algorithm == "aws:kms"]
        if kms:
            if all(dig(where, "KMSMasterKeyID") is MISSING for where in kms):
                yield fail("SSEAlgorithm is aws:kms but no KMSMasterKeyID names the key: directory buckets need a "
                           "customer managed key (the AWS managed key aws/s3 is not supported)",
                           at=(kms[0], "SSEAlgorithm"), key=f"{PATH}.ServerSideEncryptionByDefault.KMSMasterKeyID")
            continue
        for algorithm, where in algorithms:  # the first unknown algorithm, if any, is what cannot be verified
            if known(algorithm, "SSEAlgorithm", at=(where, "SSEAlgorithm"), key=f"{PATH}.SSEAlgorithm") is None:
                break
        else:
            algorithm, where = algorithms[0]
            yield fail(f"default encryption uses SSEAlgorithm {show(algorithm)}, not aws:kms", at=(where, "SSEAlgorithm"),
                       key=f"{PATH}.SSEAlgorithm")
