"""A persistent FSx for Lustre file system with automatic backups off.

## What it does
For every `AWS::FSx::FileSystem` of type `LUSTRE` with a persistent deployment type (`PERSISTENT_1`,
`PERSISTENT_2`), checks that `LustreConfiguration.AutomaticBackupRetentionDays` is at least 1. Scratch
file systems cannot be backed up, and FSx does not back up a file system linked to an S3 data repository
(`ImportPath` or a data repository association: the repository holds the durable copy), so neither is
checked. An association with a `Condition` links the file system only where the condition holds.
Numbers written as strings count; each `Fn::If` branch and allowed parameter value is checked.

**When the property is absent:** `AutomaticBackupRetentionDays` defaults to 0 through CloudFormation
and the API: no automatic backups.

**Live:** the persistent Lustre file systems `DescribeFileSystems` lists in the scanned Regions, with
their `AutomaticBackupRetentionDays`; links to S3 as LL423 reads them (`ImportPath`,
`DescribeDataRepositoryAssociations`). When the associations cannot be read, a file system without
backups and without an `ImportPath` is reported as could-not-evaluate.

## Why it matters
A persistent file system that is not linked to S3 holds the only copy of its data. Daily automatic
backups are what restores it after a deletion, corruption or a job that overwrote its inputs.

## Example
```yaml
ScratchResults:
  Type: AWS::FSx::FileSystem
  Properties:
    FileSystemType: LUSTRE
    StorageCapacity: 1200
    SubnetIds: [!Ref PrivateSubnet]
    LustreConfiguration:
      DeploymentType: PERSISTENT_2
      PerUnitStorageThroughput: 125
      AutomaticBackupRetentionDays: 0        # LL424
```

## Fix
```yaml
    LustreConfiguration:
      DeploymentType: PERSISTENT_2
      PerUnitStorageThroughput: 125
      AutomaticBackupRetentionDays: 7
      DailyAutomaticBackupStartTime: "03:00"
```
With the AWS CLI:
```sh
aws fsx update-file-system --file-system-id fs-0123456789abcdef0 \
  --lustre-configuration AutomaticBackupRetentionDays=7,DailyAutomaticBackupStartTime=03:00
```

## References
- https://docs.aws.amazon.com/fsx/latest/LustreGuide/using-backups-fsx.html
- https://docs.aws.amazon.com/fsx/latest/APIReference/API_CreateFileSystemLustreConfiguration.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-fsx-filesystem-lustreconfiguration.html
"""

from lakelint.core.check import check, fail
from lakelint.core.propcheck import number
from lakelint.core.reading import known, position
from lakelint.core.values import MISSING, show

from ._lustre import (ASSOCIATIONS, DEPLOYMENT, FILE_SYSTEM, LINK_READS, block_line, deployment_type, link_unknown,
                      linked_parts, lustre)

KEY = "AutomaticBackupRetentionDays"
PATH = f"LustreConfiguration.{KEY}"


@check(code="LL424", name="fsx-lustre-backups", severity="medium",
       title="Persistent FSx for Lustre file system with automatic backups off",
       resource_types=[FILE_SYSTEM], sources=["template", "live"],
       reads={**LINK_READS, FILE_SYSTEM: ["FileSystemType", DEPLOYMENT, PATH, *LINK_READS[FILE_SYSTEM]]})
def fsx_lustre_backups(fs, ctx):
    for values, config in lustre(fs, ASSOCIATIONS):
        where = position(config, "DeploymentType")
        if (deployment := known(deployment_type(config), "DeploymentType", at=where, key=DEPLOYMENT)) is None:
            continue
        if not deployment.startswith("PERSISTENT"):
            continue
        for linked in linked_parts(fs, config):
            if linked:
                continue
            days = config.get(KEY, MISSING)
            if days is not None and known(days, KEY, at=position(config, KEY), key=PATH) is None:
                continue
            if days is not MISSING and (number(days) or 0) >= 1:
                continue
            if link_unknown(values, "the data repository associations (FSx does not back up a file system linked "
                                    "to S3)", key=PATH):
                continue
            if days is MISSING:
                yield fail(f"{KEY} is not set: FSx takes no automatic backups by default (0 days)",
                           at=block_line(values), key=PATH)
            else:
                yield fail(f"{KEY} is {show(days)}: automatic backups are off", at=position(config, KEY), key=PATH)
