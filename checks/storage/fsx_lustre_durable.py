"""A scratch FSx for Lustre file system whose data has no S3 data repository behind it.

## What it does
For every `AWS::FSx::FileSystem` of type `LUSTRE` with a scratch deployment type (`SCRATCH_1` or
`SCRATCH_2`), checks that it is linked to an S3 data repository: a `LustreConfiguration.ImportPath`
or an `AWS::FSx::DataRepositoryAssociation` in the template whose `FileSystemId` is the file system (one
with a `Condition` links it only where the condition holds).
Each `Fn::If` branch and allowed parameter value of the deployment type is checked.

**When the property is absent:** `DeploymentType` defaults to `SCRATCH_1`, so a file system that does
not name its deployment type is a scratch one.

**Live:** the file systems `DescribeFileSystems` lists in the scanned Regions (non-Lustre ones are
skipped), with `ImportPath` from their `DataRepositoryConfiguration` and the associations
`DescribeDataRepositoryAssociations` lists. When the associations cannot be read, a file system
without an `ImportPath` is reported as could-not-evaluate, not as unlinked.

## Why it matters
Scratch file systems do not replicate data and do not replace failed servers: a hardware failure loses
whatever is on them. That is fine for a cache of data that lives in S3, and a loss of work for anything
else. Linking the file system to the lake bucket keeps the durable copy in S3.

## Example
```yaml
TrainingFs:
  Type: AWS::FSx::FileSystem
  Properties:
    FileSystemType: LUSTRE
    StorageCapacity: 1200
    SubnetIds: [!Ref PrivateSubnet]
    LustreConfiguration:
      DeploymentType: SCRATCH_2        # LL421: no ImportPath, no association
```

## Fix
Link the file system to the bucket that holds the data (or use a `PERSISTENT_2` deployment):
```yaml
TrainingFs:
  Type: AWS::FSx::FileSystem
  Properties:
    FileSystemType: LUSTRE
    StorageCapacity: 1200
    SubnetIds: [!Ref PrivateSubnet]
    LustreConfiguration:
      DeploymentType: SCRATCH_2
TrainingData:
  Type: AWS::FSx::DataRepositoryAssociation
  Properties:
    FileSystemId: !Ref TrainingFs
    FileSystemPath: /datasets
    DataRepositoryPath: s3://lake-curated/datasets
```
With the AWS CLI:
```sh
aws fsx create-data-repository-association --file-system-id fs-0123456789abcdef0 \
  --file-system-path /datasets --data-repository-path s3://lake-curated/datasets
```

## References
- https://docs.aws.amazon.com/fsx/latest/LustreGuide/using-fsx-lustre.html#deployment-type
- https://docs.aws.amazon.com/fsx/latest/LustreGuide/create-dra-linked-data-repo.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-fsx-filesystem-lustreconfiguration.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, position

from ._lustre import (ASSOCIATIONS, DEPLOYMENT, FILE_SYSTEM, LINK_READS, block_line, deployment_type, link_unknown,
                      linked_parts, lustre)


@check(code="LL421", name="fsx-lustre-durable", severity="medium",
       title="Scratch FSx for Lustre file system without an S3 data repository",
       resource_types=[FILE_SYSTEM], sources=["template", "live"],
       reads={**LINK_READS, FILE_SYSTEM: ["FileSystemType", DEPLOYMENT, *LINK_READS[FILE_SYSTEM]]})
def fsx_lustre_durable(fs, ctx):
    for values, config in lustre(fs, ASSOCIATIONS):
        for linked in linked_parts(fs, config):
            if linked:
                continue
            where = position(config, "DeploymentType")
            if (deployment := known(deployment_type(config), "DeploymentType", at=where, key=DEPLOYMENT)) is None:
                continue
            if not deployment.startswith("SCRATCH"):
                continue
            if link_unknown(values, f"the data repository associations of a {deployment} file system", key=DEPLOYMENT):
                continue
            shown = deployment if "DeploymentType" in config else f"{deployment} (the default)"
            yield fail(f"a {shown} file system with no S3 data repository (ImportPath or data repository "
                       f"association): its data is not replicated and is lost if a server fails",
                       at=where or block_line(values), key=DEPLOYMENT)
