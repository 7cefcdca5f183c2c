"""An EBS volume that is not encrypted.

## What it does
Checks that every `AWS::EC2::Volume` sets `Encrypted` to true. Each `Fn::If` branch and each allowed
value of a parameter is checked; `"true"` strings count.

**When the property is absent:** the volume is encrypted only if EBS encryption by default is on in
the account and Region (or it is created from an encrypted snapshot), which the template does not say:
the finding says so. Set `Encrypted: true` so the volume is encrypted wherever the stack is deployed.
(LL413 checks the account-level default in live mode.)

**Live:** every EBS volume of the scanned Regions (`DescribeVolumes`), instance root volumes and
volumes that EMR or Auto Scaling launched included. A live volume always says whether it is encrypted,
so the account default does not come into it: a volume that reports `Encrypted: false` fails.

## Why it matters
EBS volumes attached to ingestion and processing hosts hold extracts of lake data, and their snapshots
are easy to copy and share. Encryption covers the volume, its snapshots and the data in transit between
the volume and the instance; it cannot be turned on for an existing volume without a copy.

## Example
```yaml
DataVolume:
  Type: AWS::EC2::Volume
  Properties:
    AvailabilityZone: eu-west-1a
    Size: 500
    Encrypted: false        # LL411
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
With the AWS CLI (and turn on encryption by default for every new volume in the Region):
```sh
aws ec2 create-volume --availability-zone eu-west-1a --size 500 --encrypted --kms-key-id KEY_ARN
aws ec2 enable-ebs-encryption-by-default
```

## Fix safety
The fix sets `Encrypted: true` (with the account's default EBS key unless `KmsKeyId` names one). On a
deployed stack the data of the existing volume is not encrypted in place (EBS encrypts a volume when
it is created): the change gives a new volume, empty unless it is created from a snapshot of the old
one, and an instance that has it attached must be stopped to swap it.

## References
- https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
- https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-volume.html
"""

from lakelint.core.check import check, unknown
from lakelint.core.reading import read_together
from lakelint.core.values import MISSING
from lakelint.fixes.intents import set_property

from ._flags import must_be_true

ENCRYPT = set_property("Encrypted", True)


@check(code="LL411", name="ebs-volume-encrypted", severity="high",
       title="EBS volume not encrypted",
       resource_types=["AWS::EC2::Volume"], sources=["template", "live"],
       reads={"AWS::EC2::Volume": ["Encrypted", "SnapshotId"]}, fix="unsafe")
def ebs_volume_encrypted(volume, ctx):
    for values in read_together(volume, "Encrypted", "SnapshotId"):
        if volume.source == "live" and values.get("Encrypted", MISSING) is MISSING:
            yield unknown("cannot verify Encrypted: DescribeVolumes did not say", key="Encrypted")
            continue
        snapshot = " (or if its snapshot is encrypted)" if values.get("SnapshotId", MISSING) is not MISSING else ""
        yield from must_be_true(values, "Encrypted", absent=(
            f"Encrypted is not set: the volume is encrypted only if EBS encryption by default is on in the "
            f"account and Region{snapshot}, which the template does not say; set it to true"), fix=ENCRYPT)
