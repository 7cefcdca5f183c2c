"""An S3 bucket encrypted with a KMS key of the same template that has rotation off.

## What it does
Follows the bucket's KMS key references (`KMSMasterKeyID` and any other key property, by `Ref`,
`GetAtt`, ARN `!Sub` or an alias of the template) to `AWS::KMS::Key` resources of the same template,
and fails when such a key's `EnableKeyRotation` is not true (`true` or `"true"`). Each `Fn::If` branch
and each allowed value of a parameter is checked; a key with a `Condition` counts only where it
exists. Keys AWS KMS cannot rotate automatically are skipped: asymmetric or HMAC `KeySpec`, imported
key material or a custom key store (an `Origin` other than `AWS_KMS`). Keys outside the template
(imported, literal ARNs) are not visible here and are not reported; a live run reads them.

This check is the one that reports a bucket's unrotated key: LL731 (`kms-key-rotation`), which
judges the keys of the other data-lake resources, leaves buckets to it, so one unrotated key of one
bucket is one finding.

On a live account the bucket's key is looked up among the region's keys (`ListKeys`, `ListAliases`)
and its rotation read with `GetKeyRotationStatus`; a rotation status that could not be read makes the
check unknown, never a pass. AWS managed keys (`KeyManager` `AWS`) pass: AWS rotates them every year
and nobody can turn that off. A key of another account cannot be read and is not reported.

**When the property is absent:** `EnableKeyRotation` defaults to false: KMS never rotates the key
material.

## Why it matters
Automatic rotation replaces a key's cryptographic material every year (or the period you set) while
keeping old material to decrypt old objects, so nothing has to be re-encrypted. It limits how much
data one piece of key material protects and is a control most compliance frameworks audit for the
keys that protect a data lake.

## Example
```yaml
LakeKey:
  Type: AWS::KMS::Key                    # LL120 on RawBucket: rotation off
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketEncryption:
      ServerSideEncryptionConfiguration:
        - ServerSideEncryptionByDefault:
            SSEAlgorithm: aws:kms
            KMSMasterKeyID: !GetAtt LakeKey.Arn
```

## Fix
```yaml
LakeKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true
```
With the AWS CLI:
```sh
aws kms enable-key-rotation --key-id KEY_ID
```

## References
- https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html#cfn-kms-key-enablekeyrotation
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import existing, known, read, read_together
from lakelint.core.values import MISSING, Unresolved, dig, show, truth
from lakelint.knowledge.keymanager import KEY_TYPE, can_rotate

BUCKET_TYPE = "AWS::S3::Bucket"
PATH = "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.KMSMasterKeyID"


def key_reference_at(bucket):
    """Where the bucket names its key (the first rule's KMSMasterKeyID), else the bucket itself."""
    default = dig(bucket.props, "BucketEncryption", "ServerSideEncryptionConfiguration", 0,
                  "ServerSideEncryptionByDefault")
    if isinstance(default, dict) and "KMSMasterKeyID" in default:
        return (default, "KMSMasterKeyID")
    return bucket.pos


@check(code="LL120", name="s3-kms-key-rotation", severity="medium",
       title="S3 bucket's KMS key has rotation off",
       resource_types=[BUCKET_TYPE], sources=["template", "live"],
       reads={BUCKET_TYPE: ["BucketEncryption"], KEY_TYPE: ["EnableKeyRotation", "KeySpec", "Origin", "KeyManager"]})
def s3_kms_key_rotation(bucket, ctx):
    where = key_reference_at(bucket)
    # a key with a Condition is the bucket's key only where it exists
    for present in existing(bucket.related("kms_keys"), within=bucket):
        for key in present:
            for manager in read(key, "KeyManager", presence=True):  # live only: CUSTOMER or AWS
                if manager == "AWS":
                    continue  # AWS rotates its managed keys every year
                for values in read_together(key, "EnableKeyRotation", "KeySpec", "Origin"):
                    yield from _judge(key, values, where)


def _judge(key, values, where):
    # S3 only uses symmetric keys; imported key material and custom key stores cannot rotate
    # automatically. A KeySpec or Origin known only at deploy time is taken as the default.
    spec, origin = (_as_written(values.get(prop, MISSING)) for prop in ("KeySpec", "Origin"))
    if not can_rotate(spec, origin):
        return
    rotation = values.get("EnableKeyRotation", MISSING)
    if truth(rotation) is True:
        return
    if known(rotation, f"rotation of KMS key {key.name}", at=where, key=PATH) is None:
        return
    state = "is not set" if rotation is MISSING else f"is {show(rotation)}"
    yield fail(f"KMS key {key.name} has rotation off (EnableKeyRotation {state})", at=where, key=PATH)


def _as_written(value):
    """A known value as it is; one known only at deploy time as absent (the default)."""
    return MISSING if isinstance(value, Unresolved) else value
