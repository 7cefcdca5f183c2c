"""An S3 bucket whose SSE-KMS default encryption uses the AWS managed key `aws/s3`.

## What it does
For each default-encryption rule that uses `aws:kms` or `aws:kms:dsse`, fails when
`KMSMasterKeyID` is absent or names the AWS managed key (`alias/aws/s3`, as an alias name or alias
ARN). A key from `!GetAtt`/`!Ref` of a key in the template, an imported value or a literal key ARN
passes; a key id from a parameter without `AllowedValues` or `Default` cannot be verified. Each
`Fn::If` branch and each allowed value of a parameter is checked.

On a live account the rules come from `GetBucketEncryption`, and S3 may name the AWS managed key by
its key ARN: the key the bucket names is looked up among the region's keys (`DescribeKey`), and a
key whose `KeyManager` is `AWS` fails. A key that is not among them belongs to another account, so it
is customer managed (AWS managed keys are never shared across accounts).

**When the property is absent:** with `SSEAlgorithm: aws:kms` and no `KMSMasterKeyID`, S3 encrypts
with the AWS managed key `aws/s3`.

## Why it matters
The AWS managed key's policy cannot be changed: every principal of the account that S3 lets read the
object can decrypt it, access cannot be revoked by revoking access to the key, and no other account
can ever be granted use of it (cross-account sharing of the lake breaks). A customer managed key gives
the lake its own key policy, its own rotation (LL120) and its own audit trail.

## Example
```yaml
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: aws:kms          # LL119: no KMSMasterKeyID, so aws/s3
```

## Fix
```yaml
LakeKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
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
- https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, as_list, dig, show
from lakelint.knowledge.keymanager import KEY_TYPE, named_key
from lakelint.knowledge.services import S3_KMS_ALGORITHMS, is_aws_managed_s3_key

BUCKET_TYPE = "AWS::S3::Bucket"
PATH = "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.KMSMasterKeyID"


def from_parameter(bucket, value) -> bool:
    """A key id known only at deploy time that depends on a template parameter (not on a key resource)."""
    parameters = getattr(bucket.stack, "parameters", None) or {}
    return any(ref in parameters for ref in getattr(value, "refs", ()))


@check(code="LL119", name="s3-kms-customer-managed-key", severity="low",
       title="S3 bucket encrypted with the AWS managed key aws/s3",
       resource_types=[BUCKET_TYPE], sources=["template", "live"],
       # live: the key a bucket names is found among the region's keys by id, ARN or alias
       reads={BUCKET_TYPE: ["BucketEncryption"], KEY_TYPE: ["KeyId", "Arn", "Aliases", "KeyManager"]})
def s3_kms_customer_managed_key(bucket, ctx):
    for rules in read(bucket, "BucketEncryption.ServerSideEncryptionConfiguration", what="default encryption",
                      key=PATH):
        for rule in as_list(rules):
            default = dig(rule, "ServerSideEncryptionByDefault")
            if not isinstance(default, dict) or default.get("SSEAlgorithm") not in S3_KMS_ALGORITHMS:
                continue
            key = default.get("KMSMasterKeyID", MISSING)
            if key is MISSING:
                yield fail("SSE-KMS without KMSMasterKeyID uses the AWS managed key aws/s3",
                           at=(default, "SSEAlgorithm"), key=PATH)
            elif is_aws_managed_s3_key(key):
                yield fail(f"KMSMasterKeyID {show(key)} is the AWS managed key", at=(default, "KMSMasterKeyID"),
                           key=PATH)
            elif from_parameter(bucket, key):  # a key of the template's own passes, whatever its ARN
                known(key, "KMSMasterKeyID", at=(default, "KMSMasterKeyID"), key=PATH)
            elif bucket.source == "live":
                reference = known(key, "KMSMasterKeyID", at=(default, "KMSMasterKeyID"), key=PATH)
                if isinstance(reference, str):
                    yield from live_key_verdicts(bucket, reference, default)


def live_key_verdicts(bucket, reference, default):
    """Live: the key record says who manages the key; its KeyManager unread is unknown, not a pass."""
    key = named_key(bucket, reference)
    if key is None:
        return  # another account's key: customer managed
    manager = key.props.get("KeyManager", MISSING) if isinstance(key.props, dict) else MISSING
    if known(manager, f"who manages KMS key {key.name}", at=(default, "KMSMasterKeyID"), key=PATH) == "AWS":
        yield fail(f"KMSMasterKeyID {show(reference)} is the AWS managed key aws/s3", at=(default, "KMSMasterKeyID"),
                   key=PATH)
