"""An EFS file system with automatic backups off.

## What it does
Checks that every `AWS::EFS::FileSystem` has `BackupPolicy.Status` set to `ENABLED`. Each `Fn::If`
branch and each allowed value of a parameter is checked.

**When the property is absent:** automatic backups are off for a Regional file system created through
CloudFormation or the API, and on for a One Zone file system (`AvailabilityZoneName` set), which
AWS Backup protects by default. An absent `BackupPolicy` fails on a Regional file system only.

**Live:** the policy `DescribeBackupPolicy` returns for each file system of the scanned Regions. A One
Zone file system created with automatic backups has an `ENABLED` policy like any other, so live, no
policy at all (`PolicyNotFound`) means no automatic backups, One Zone or not.

## Why it matters
AWS Backup's daily backups of the file system are the only way back from a deleted directory or a job
that overwrote its inputs: EFS itself keeps no versions. Backups also keep a copy if the file system is
deleted with its stack.

## Example
```yaml
SharedFs:
  Type: AWS::EFS::FileSystem
  Properties:
    Encrypted: true
    BackupPolicy:
      Status: DISABLED        # LL404
```

## Fix
```yaml
SharedFs:
  Type: AWS::EFS::FileSystem
  Properties:
    Encrypted: true
    BackupPolicy:
      Status: ENABLED
```
With the AWS CLI:
```sh
aws efs put-backup-policy --file-system-id fs-12345678 --backup-policy Status=ENABLED
```

## References
- https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html#automatic-backups
- https://docs.aws.amazon.com/efs/latest/ug/API_CreateFileSystem.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-efs-filesystem-backuppolicy.html
"""

from lakelint.core.check import check, fail
from lakelint.core.propcheck import missing_at, text
from lakelint.core.reading import known, position, read_together
from lakelint.core.values import MISSING, dig, show

KEY = "BackupPolicy"


@check(code="LL404", name="efs-backup-policy", severity="medium",
       title="EFS file system with automatic backups off",
       resource_types=["AWS::EFS::FileSystem"], sources=["template", "live"],
       reads={"AWS::EFS::FileSystem": [KEY, "AvailabilityZoneName"]})
def efs_backup_policy(fs, ctx):
    for values in read_together(fs, KEY, "AvailabilityZoneName"):
        policy = values.get(KEY, MISSING)
        if policy is not None and known(policy, KEY, at=position(values, KEY), key=KEY) is None:
            continue
        if policy is MISSING:
            if fs.source == "live":
                yield fail(f"no {KEY} (DescribeBackupPolicy: PolicyNotFound): automatic backups are off", key=KEY)
            elif values.get("AvailabilityZoneName", MISSING) is MISSING:
                yield fail(f"{KEY} is not set: automatic backups are off by default for a Regional file system",
                           at=missing_at(values, KEY), key=KEY)
            continue
        where = position(policy, "Status") or position(values, KEY)
        if (status := known(dig(policy, "Status"), f"{KEY}.Status", at=where, key=f"{KEY}.Status")) is None:
            continue
        if text(status) != "enabled":
            yield fail(f"{KEY}.Status is {show(status)}: automatic backups are off", at=where, key=f"{KEY}.Status")
