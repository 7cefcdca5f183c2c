"""A persistent FSx for Lustre file system with automatic backups off.

## What it does
For every `AWS::FSx::FileSystem` of type `LUSTRE` with a persistent deployment type (`PERSISTENT_1`,
`PERSISTENT_2`), checks that `LustreConfiguration.AutomaticBackupRetentionDays` is at least 1. Scratch
file systems cannot be backed up, and FSx does not back up a file system linked to an S3 data repository
(`ImportPath` or a data repository association: the repository holds the durable copy), so neither is
checked. Numbers written as strings count; each `Fn::If` branch and allowed parameter value is checked.

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

from lakelint.core.check import check, fail, unknown
from lakelint.core.propcheck import at_key, number
from ._lustre import key_line, lustre_branches, s3_linked, unreadable_link
from lakelint.core.values import MISSING, is_unresolved, show

KEY = "AutomaticBackupRetentionDays"


@check(code="LL424", name="fsx-lustre-backups", severity="medium",
       title="Persistent FSx for Lustre file system with automatic backups off",
       resource_types=["AWS::FSx::FileSystem"], sources=["template", "live"])
def fsx_lustre_backups(fs, ctx):
    for branch, values, config, deployment in lustre_branches(fs):
        if is_unresolved(deployment):
            yield unknown(f"cannot verify DeploymentType: it {deployment.reason}", cause=deployment,
                          branch=branch, at=at_key(config, "DeploymentType"), key="LustreConfiguration.DeploymentType")
            continue
        if not deployment.startswith("PERSISTENT") or s3_linked(fs, config):
            continue
        days = config.get(KEY, MISSING)
        path = f"LustreConfiguration.{KEY}"
        hidden = unreadable_link(fs, config)
        if hidden is not None and not is_unresolved(days) and (number(days) or 0) < 1:
            yield unknown(f"cannot verify whether backups are needed (FSx does not back up a file system "
                          f"linked to S3): the associations {hidden.reason}", cause=hidden, branch=branch, key=path)
        elif is_unresolved(days):
            yield unknown(f"cannot verify {KEY}: it {days.reason}", cause=days, branch=branch,
                          at=at_key(config, KEY), key=path)
        elif days is MISSING:
            yield fail(f"{KEY} is not set: FSx takes no automatic backups by default (0 days)", branch=branch,
                       at=key_line(values, "LustreConfiguration"), key=path)
        elif number(days) is None or number(days) < 1:
            yield fail(f"{KEY} is {show(days)}: automatic backups are off", branch=branch,
                       at=at_key(config, KEY), key=path)
