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

from lakelint.core.check import check
from lakelint.core.propcheck import aws_managed_key
from lakelint.core.reading import known, position
from lakelint.core.values import MISSING, Unresolved

from ._keys import KEY_READS, customer_key
from ._lustre import DEPLOYMENT, FILE_SYSTEM, deployment_type, lustre


@check(code="LL422", name="fsx-lustre-kms-key", severity="low",
       title="Persistent FSx for Lustre file system without a customer managed key",
       resource_types=[FILE_SYSTEM], sources=["template", "live"],
       reads={FILE_SYSTEM: ["FileSystemType", DEPLOYMENT, "KmsKeyId"], **KEY_READS})
def fsx_lustre_kms_key(fs, ctx):
    for values, config in lustre(fs, "KmsKeyId"):
        deployment = deployment_type(config)
        if isinstance(deployment, Unresolved) and not aws_managed_key(values.get("KmsKeyId", MISSING)):
            continue  # a key of the customer's passes whatever the deployment type turns out to be
        where = position(config, "DeploymentType")
        if (deployment := known(deployment, "DeploymentType", at=where, key=DEPLOYMENT)) is None:
            continue
        if deployment.startswith("PERSISTENT"):
            yield from customer_key(fs, values, service_alias="aws/fsx", absent=(
                "KmsKeyId is not set: a persistent file system is encrypted with the AWS managed key aws/fsx"))
