"""An encrypted EFS file system that uses the AWS managed key `aws/elasticfilesystem`.

## What it does
For every `AWS::EFS::FileSystem` with `Encrypted` true, checks that `KmsKeyId` names a customer managed
key: a `Ref`/`!GetAtt` of an `AWS::KMS::Key`, a key id or ARN, a customer alias or a parameter.
`alias/aws/elasticfilesystem` (also as an alias ARN) is the AWS managed key. An unencrypted file
system is LL401's finding, not this one's.

**When the property is absent:** EFS encrypts with the AWS managed key `aws/elasticfilesystem`.

**Live:** `DescribeFileSystems` reports the ARN of the key an encrypted file system uses, whoever
manages it; the key's `KeyManager` (`DescribeKey`) says whether it is the AWS managed key. A key that
is not among the Region's keys belongs to another account: a customer managed key.

## Why it matters
The AWS managed key's policy cannot be changed, so access to the data cannot be limited, shared or
revoked at the key. With a customer managed key, disabling the key or removing a grant cuts every
reader off at once, and each use is logged against a key you own.

## Example
```yaml
SharedFs:
  Type: AWS::EFS::FileSystem
  Properties:
    Encrypted: true        # LL402: no KmsKeyId
```

## Fix
```yaml
SharedFs:
  Type: AWS::EFS::FileSystem
  Properties:
    Encrypted: true
    KmsKeyId: !GetAtt EfsKey.Arn
```
With the AWS CLI (the key is chosen at creation; copy the data to a new file system):
```sh
aws efs create-file-system --encrypted --kms-key-id KEY_ARN
```

## References
- https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html
- https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-efs-filesystem.html
"""

from lakelint.core.check import check
from lakelint.core.reading import read_together
from lakelint.core.values import truth

from ._keys import KEY_READS, customer_key


@check(code="LL402", name="efs-kms-customer-managed-key", severity="low",
       title="EFS file system encrypted with the AWS managed key",
       resource_types=["AWS::EFS::FileSystem"], sources=["template", "live"],
       reads={"AWS::EFS::FileSystem": ["Encrypted", "KmsKeyId"], **KEY_READS})
def efs_kms_customer_managed_key(fs, ctx):
    for values in read_together(fs, "Encrypted", "KmsKeyId"):
        if truth(values.get("Encrypted")) is True:  # unencrypted, or not known to be: LL401's finding
            yield from customer_key(fs, values, service_alias="aws/elasticfilesystem")
