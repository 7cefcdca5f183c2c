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

from lakelint.core.check import check, fail, unknown
from lakelint.knowledge.services import S3_KMS_ALGORITHMS, is_aws_managed_s3_key
from lakelint.core.values import MISSING, as_list, dig, is_unresolved

PATH = "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.KMSMasterKeyID"
KEY_TYPE = "AWS::KMS::Key"


def named_key(bucket, reference):
    """Live: the linked ``AWS::KMS::Key`` record that ``reference`` (key id, key ARN, alias name or
    alias ARN) names, or None when the key is not one of the region's keys."""
    for key in bucket.related("kms_keys"):
        props = key.props if isinstance(key.props, dict) else {}
        names = {key.name, key.arn, props.get("KeyId"), props.get("Arn"), *(props.get("Aliases") or [])}
        if reference in names or (":key/" in reference and reference.rsplit("/", 1)[-1] == key.name):
            return key
    return None


def from_parameter(bucket, value) -> bool:
    """An unresolved key id that depends on a template parameter (not on a key resource)."""
    parameters = getattr(bucket.stack, "parameters", None) or {}
    return any(ref in parameters for ref in value.refs)


@check(code="LL119", name="s3-kms-customer-managed-key", severity="low",
       title="S3 bucket encrypted with the AWS managed key aws/s3",
       resource_types=["AWS::S3::Bucket"], reads=[KEY_TYPE], sources=["template", "live"])
def s3_kms_customer_managed_key(bucket, ctx):
    for branch in bucket.branches("BucketEncryption", "ServerSideEncryptionConfiguration"):
        rules = branch.value
        if is_unresolved(rules):
            yield unknown(f"cannot verify default encryption: it {rules.reason}", cause=rules, branch=branch, key=PATH)
            continue
        for rule in as_list(rules):
            default = dig(rule, "ServerSideEncryptionByDefault")
            if not isinstance(default, dict) or default.get("SSEAlgorithm") not in S3_KMS_ALGORITHMS:
                continue
            key = default.get("KMSMasterKeyID", MISSING)
            if key is MISSING:
                yield fail("SSE-KMS without KMSMasterKeyID uses the AWS managed key aws/s3", branch=branch,
                           at=(default, "SSEAlgorithm"), key=PATH)
            elif is_aws_managed_s3_key(key):
                yield fail(f"KMSMasterKeyID {key} is the AWS managed key", branch=branch,
                           at=(default, "KMSMasterKeyID"), key=PATH)
            elif bucket.source == "live" and isinstance(key, str) and not is_unresolved(key):
                yield from live_key_verdicts(bucket, key, default, branch)
            elif is_unresolved(key) and from_parameter(bucket, key):
                yield unknown(f"cannot verify KMSMasterKeyID: it {key.reason}", cause=key, branch=branch,
                              at=(default, "KMSMasterKeyID"), key=PATH)


def live_key_verdicts(bucket, reference, default, branch):
    """Live: the key record says who manages the key; its KeyManager unread is unknown, not a pass."""
    key = named_key(bucket, reference)
    if key is None:
        return  # another account's key: customer managed
    manager = key.props.get("KeyManager", MISSING) if isinstance(key.props, dict) else MISSING
    if is_unresolved(manager):
        yield unknown(f"cannot verify who manages KMS key {key.name}: its KeyManager {manager.reason}",
                      cause=manager, branch=branch, at=(default, "KMSMasterKeyID"), key=PATH)
    elif manager == "AWS":
        yield fail(f"KMSMasterKeyID {reference} is the AWS managed key aws/s3", branch=branch,
                   at=(default, "KMSMasterKeyID"), key=PATH)
