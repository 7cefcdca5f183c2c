"""An S3 bucket encrypted with a KMS key of the same template that has rotation off.

## What it does
Follows the bucket's KMS key references (`KMSMasterKeyID` and any other key property, by `Ref`,
`GetAtt`, ARN `!Sub` or an alias of the template) to `AWS::KMS::Key` resources of the same template,
and fails when such a key's `EnableKeyRotation` is not true (`true` or `"true"`). Each `Fn::If` branch
and each allowed value of a parameter is checked. Keys outside the template (imported, literal ARNs)
are not visible here and are not reported; a live run reads them.

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

from lakelint.core.check import check, fail, unknown
from lakelint.core.values import MISSING, dig, is_unresolved, show, truth

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
       resource_types=["AWS::S3::Bucket"], reads=["AWS::KMS::Key"], sources=["template", "live"])
def s3_kms_key_rotation(bucket, ctx):
    where = key_reference_at(bucket)
    for key in bucket.related("kms_keys"):
        props = key.props if isinstance(key.props, dict) else {}
        spec = props.get("KeySpec", "SYMMETRIC_DEFAULT")
        if isinstance(spec, str) and not is_unresolved(spec) and spec != "SYMMETRIC_DEFAULT":
            continue  # S3 only uses symmetric keys; other kinds cannot rotate
        if props.get("KeyManager") == "AWS":
            continue  # live: AWS rotates its managed keys every year
        for branch in key.branches("EnableKeyRotation"):
            value = branch.value
            if truth(value) is True:
                continue
            if is_unresolved(value):
                yield unknown(f"cannot verify rotation of KMS key {key.name}: EnableKeyRotation {value.reason}",
                              cause=value, branch=branch, at=where, key=PATH)
            elif value is MISSING:
                yield fail(f"KMS key {key.name} has rotation off (EnableKeyRotation is not set)", branch=branch,
                           at=where, key=PATH)
            else:
                yield fail(f"KMS key {key.name} has rotation off (EnableKeyRotation is {show(value)})", branch=branch,
                           at=where, key=PATH)
