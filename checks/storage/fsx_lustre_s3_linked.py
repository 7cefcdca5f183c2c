"""An FSx for Lustre file system not linked to an S3 data repository.

## What it does
For every `AWS::FSx::FileSystem` of type `LUSTRE`, whatever its deployment type, checks that it is
linked to S3: a `LustreConfiguration.ImportPath` (the legacy link) or an
`AWS::FSx::DataRepositoryAssociation` in the template whose `FileSystemId` is the file system. Each
`Fn::If` branch is checked; an `ImportPath` removed with `AWS::NoValue` does not count, and an association
with a `Condition` links the file system only where the condition holds.

**When the property is absent:** a file system without `ImportPath` and without an association has no
data repository: it starts empty and everything must be copied onto it by hand.

**Live:** the file systems `DescribeFileSystems` lists in the scanned Regions (non-Lustre ones are
skipped), with `ImportPath` from their `DataRepositoryConfiguration` and the associations
`DescribeDataRepositoryAssociations` lists. When the associations cannot be read, a file system
without an `ImportPath` is reported as could-not-evaluate, not as unlinked.

## Why it matters
The point of FSx for Lustre next to a data lake is to serve lake data at file-system speed: linked to
the bucket, the file system lists the objects at once and loads each one on first read (lazy loading),
and can export results back. Without the link, jobs copy datasets in bulk, and the copies drift from the
lake.

## Example
```yaml
TrainingFs:
  Type: AWS::FSx::FileSystem
  Properties:
    FileSystemType: LUSTRE
    StorageCapacity: 1200
    SubnetIds: [!Ref PrivateSubnet]
    LustreConfiguration:
      DeploymentType: PERSISTENT_2        # LL423: no data repository association
      PerUnitStorageThroughput: 250
```

## Fix
```yaml
TrainingData:
  Type: AWS::FSx::DataRepositoryAssociation
  Properties:
    FileSystemId: !Ref TrainingFs
    FileSystemPath: /datasets
    DataRepositoryPath: s3://lake-curated/datasets
    S3:
      AutoImportPolicy: {Events: [NEW, CHANGED, DELETED]}
```
With the AWS CLI:
```sh
aws fsx create-data-repository-association --file-system-id fs-0123456789abcdef0 \
  --file-system-path /datasets --data-repository-path s3://lake-curated/datasets
```

## References
- https://docs.aws.amazon.com/fsx/latest/LustreGuide/fsx-data-repositories.html
- https://docs.aws.amazon.com/fsx/latest/LustreGuide/create-dra-linked-data-repo.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-fsx-datarepositoryassociation.html
"""

from lakelint.core.check import check, fail

from ._lustre import ASSOCIATIONS, FILE_SYSTEM, IMPORT_PATH, LINK_READS, block_line, link_unknown, linked_parts, lustre


@check(code="LL423", name="fsx-lustre-s3-linked", severity="low",
       title="FSx for Lustre file system not linked to S3",
       resource_types=[FILE_SYSTEM], sources=["template", "live"],
       reads={**LINK_READS, FILE_SYSTEM: ["FileSystemType", *LINK_READS[FILE_SYSTEM]]})
def fsx_lustre_s3_linked(fs, ctx):
    for values, config in lustre(fs, ASSOCIATIONS):
        for linked in linked_parts(fs, config):
            if linked or link_unknown(values, "the data repository associations", key=IMPORT_PATH):
                continue
            yield fail("no S3 data repository (no LustreConfiguration.ImportPath and no data repository "
                       "association): lake data is not lazy-loaded from S3", at=block_line(values), key=IMPORT_PATH)
