"""An EFS file system that is not encrypted at rest.

## What it does
Checks that every `AWS::EFS::FileSystem` sets `Encrypted` to true. Each `Fn::If` branch and each
allowed value of a parameter is checked; `"true"` strings count.

**When the property is absent:** through CloudFormation and the API the file system is created
unencrypted (`Encrypted` defaults to false; only the console encrypts by default), so an absent
`Encrypted` fails.

**Live:** every EFS file system of the scanned Regions (`DescribeFileSystems`), which always says
whether it is encrypted.

## Why it matters
EFS often holds shared working data next to the lake: notebooks, staging files, model artifacts.
Encryption at rest can only be chosen when the file system is created; an unencrypted one has to be
copied to a new file system to fix it.

## Example
```yaml
SharedFs:
  Type: AWS::EFS::FileSystem
  Properties:
    PerformanceMode: generalPurpose        # LL401: Encrypted not set
```

## Fix
```yaml
SharedFs:
  Type: AWS::EFS::FileSystem
  Properties:
    Encrypted: true
    KmsKeyId: !GetAtt EfsKey.Arn
```
With the AWS CLI (a new file system; copy the data across with AWS DataSync):
```sh
aws efs create-file-system --encrypted --kms-key-id KEY_ARN --performance-mode generalPurpose
```

## Fix safety
The fix sets `Encrypted: true` (with the AWS managed key `aws/elasticfilesystem`: add `KmsKeyId` for a
key of your own). Encryption is chosen when a file system is created, so on a deployed stack
CloudFormation replaces the file system: the new one is empty and its ID changes. Copy the data
across (AWS DataSync) and move the mount targets' users before the old one is deleted.

## References
- https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html
- https://docs.aws.amazon.com/efs/latest/ug/API_CreateFileSystem.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-efs-filesystem.html
"""

from lakelint.core.check import check, unknown
from lakelint.core.reading import read_together
from lakelint.core.values import MISSING
from lakelint.fixes.intents import set_property

from ._flags import must_be_true

ENCRYPT = set_property("Encrypted", True)


@check(code="LL401", name="efs-encrypted", severity="high",
       title="EFS file system not encrypted at rest",
       resource_types=["AWS::EFS::FileSystem"], sources=["template", "live"],
       reads={"AWS::EFS::FileSystem": ["Encrypted"]}, fix="unsafe")
def efs_encrypted(fs, ctx):
    for values in read_together(fs, "Encrypted"):
        if fs.source == "live" and values.get("Encrypted", MISSING) is MISSING:
            yield unknown("cannot verify Encrypted: DescribeFileSystems did not say", key="Encrypted")
            continue
        yield from must_be_true(values, "Encrypted",
                                absent="Encrypted is not set: EFS creates an unencrypted file system by default",
                                fix=ENCRYPT)
