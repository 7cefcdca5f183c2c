"""An encrypted EBS volume without a customer managed KMS key.

## What it does
For every `AWS::EC2::Volume` with `Encrypted` true, checks that `KmsKeyId` names a customer managed
key: a `Ref`/`!GetAtt` of an `AWS::KMS::Key`, a key id or ARN, a customer alias or a parameter.
`alias/aws/ebs` (also as an alias ARN) is the AWS managed key. Unencrypted volumes are LL411's finding.

**When the property is absent:** EBS uses the account's default EBS key for the Region, which is the
AWS managed key `aws/ebs` unless someone changed it (`modify-ebs-default-kms-key-id`), which the
template does not show: the finding says so.

**Live:** every EBS volume of the scanned Regions (`DescribeVolumes`), instance root volumes included.
An encrypted volume always reports the ARN of its key, so the check reads that key's `KeyManager`
(`DescribeKey`): `AWS` is the AWS managed key `aws/ebs`. A key that is not among the Region's keys
belongs to another account, so it is a customer managed key (AWS managed keys cannot be shared).

## Why it matters
Snapshots encrypted with the AWS managed key cannot be shared with another account, and the key's
policy cannot limit who decrypts the volume. A customer managed key lets the lake team grant, audit and
revoke access to volume data and its snapshots in one place.

## Example
```yaml
DataVolume:
  Type: AWS::EC2::Volume
  Properties:
    AvailabilityZone: eu-west-1a
    Size: 500
    Encrypted: true
    KmsKeyId: alias/aws/ebs        # LL412
```

## Fix
```yaml
DataVolume:
  Type: AWS::EC2::Volume
  Properties:
    AvailabilityZone: eu-west-1a
    Size: 500
    Encrypted: true
    KmsKeyId: !GetAtt EbsKey.Arn
```
With the AWS CLI (also make the key the Region's default for new volumes):
```sh
aws ec2 create-volume --availability-zone eu-west-1a --size 500 --encrypted --kms-key-id KEY_ARN
aws ec2 modify-ebs-default-kms-key-id --kms-key-id KEY_ARN
```

## References
- https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html#ebs-encryption-key
- https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-volume.html
"""

from lakelint.core.check import check
from lakelint.core.reading import read_together
from lakelint.core.values import truth

from ._keys import KEY_READS, customer_key


@check(code="LL412", name="ebs-volume-kms-key", severity="low",
       title="EBS volume encrypted without a customer managed key",
       resource_types=["AWS::EC2::Volume"], sources=["template", "live"],
       reads={"AWS::EC2::Volume": ["Encrypted", "KmsKeyId"], **KEY_READS})
def ebs_volume_kms_key(volume, ctx):
    for values in read_together(volume, "Encrypted", "KmsKeyId"):
        if truth(values.get("Encrypted")) is True:  # unencrypted, or not known to be: LL411's finding
            yield from customer_key(volume, values, service_alias="aws/ebs", absent=(
                "KmsKeyId is not set: the volume uses the Region's default EBS key, the AWS managed key aws/ebs "
                "unless the account changed it; name a customer managed key"))
