"""A persistent FSx for Lustre file system without a customer managed KMS key.

## What it does
For every `AWS::FSx::FileSystem` of type `LUSTRE` with a persistent deployment type (`PERSISTENT_1`,
`PERSISTENT_2`), checks that `KmsKeyId` names a customer managed key: a `Ref`/`!GetAtt` of an
`AWS::KMS::Key`, a key id or ARN, a customer alias or a parameter. `alias/aws/fsx` (also as an alias
ARN) is the AWS managed key. Scratch file systems are always encrypted with keys FSx manages and
cannot take a key of yours, so they are not checked.

**When the property is absent:** a persistent file system is encrypted with the AWS managed key
`aws/fsx`.

**Live:** `DescribeFileSystems` reports the ARN of the key a persistent file system uses, whoever
manages it; the key's `KeyManager` (`DescribeKey`) says whether it is the AWS managed key. A key that
is not among the Region's keys belongs to another account: a customer managed key. Non-Lustre file
systems are skipped.

## Why it matters
Persistent file systems keep training sets and intermediate results for weeks. With a customer managed
key, the key policy decides who can use the data, backups can be shared deliberately, and disabling the
key cuts off access at once; the AWS managed key offers none of that.

## Example
```yaml
TrainingFs:
  Type: AWS::FSx::FileSystem
  Properties:
    FileSystemType: LUSTRE
    StorageCapacity: 1200
    SubnetIds: [!Ref PrivateSubnet]
    LustreConfiguration:
      DeploymentType: PERSISTENT_2
      PerUnitStorageThroughput: 250        # LL422: no KmsKeyId
```

## Fix
```yaml
TrainingFs:
  Type: AWS::FSx::FileSystem
  Properties:
    FileSystemType: LUSTRE
    StorageCapacity: 1200
    SubnetIds: [!Ref PrivateSubnet]
    KmsKeyId: !Ref FsxKey
    LustreConfiguration:
      DeploymentType: PERSISTENT_2
      PerUnitStorageThroughput: 250
```
With the AWS CLI (the key is chosen at creation):
```sh
aws fsx create-file-system --file-system-type LUSTRE --storage-capacity 1200 --subnet-ids subnet-0abc \
  --kms-key-id KEY_ARN --lustre-configuration DeploymentType=PERSISTENT_2,PerUnitStorageThroughput=250
```

## References
- https://docs.aws.amazon.com/fsx/latest/LustreGuide/encryption-at-rest.html
- https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-fsx-filesystem.html
"""

from lakelint.core.check import check, unknown
from lakelint.knowledge.keymanager import KEY_TYPE, customer_key_verdicts
from lakelint.core.propcheck import at_key, aws_managed_key
from ._lustre import lustre_branches
from lakelint.core.values import is_unresolved


@check(code="LL422", name="fsx-lustre-kms-key", severity="low",
       title="Persistent FSx for Lustre file system without a customer managed key",
       resource_types=["AWS::FSx::FileSystem"], reads=[KEY_TYPE], sources=["template", "live"])
def fsx_lustre_kms_key(fs, ctx):
    for branch, values, config, deployment in lustre_branches(fs, "KmsKeyId"):
        if is_unresolved(deployment):
            if aws_managed_key(values.get("KmsKeyId")):
                yield unknown(f"cannot verify DeploymentType: it {deployment.reason}", cause=deployment,
                              branch=branch, at=at_key(config, "DeploymentType"),
                              key="LustreConfiguration.DeploymentType")
            continue
        if deployment.startswith("PERSISTENT"):
            yield from customer_key_verdicts(fs, values, "KmsKeyId", branch, service_alias="aws/fsx",
                                             absent_message="KmsKeyId is not set: a persistent file system is "
                                                            "encrypted with the AWS managed key aws/fsx")
