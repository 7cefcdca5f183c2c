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

from lakelint.core.check import check, fail, unknown
from lakelint.core.propcheck import at_key, missing_at, props_branches, text
from lakelint.core.values import MISSING, is_unresolved, show

KEY = "BackupPolicy"


@check(code="LL404", name="efs-backup-policy", severity="medium",
       title="EFS file system with automatic backups off",
       resource_types=["AWS::EFS::FileSystem"], sources=["template", "live"])
def efs_backup_policy(fs, ctx):
    for branch in props_branches(fs, KEY, "AvailabilityZoneName"):
        values = branch.value
        policy = values.get(KEY, MISSING)
        if is_unresolved(policy):
            yield unknown(f"cannot verify {KEY}: it {policy.reason}", cause=policy, branch=branch,
                          at=at_key(values, KEY), key=KEY)
            continue
        if policy is MISSING:
            if fs.source == "live":
                yield fail(f"no {KEY} (DescribeBackupPolicy: PolicyNotFound): automatic backups are off",
                           branch=branch, key=KEY)
            elif values.get("AvailabilityZoneName", MISSING) is MISSING:
                yield fail(f"{KEY} is not set: automatic backups are off by default for a Regional file system",
                           branch=branch, at=missing_at(values, KEY), key=KEY)
            continue
        status = policy.get("Status", MISSING) if isinstance(policy, dict) else MISSING
        if is_unresolved(status):
            yield unknown(f"cannot verify {KEY}.Status: it {status.reason}", cause=status, branch=branch,
                          at=at_key(policy, "Status"), key=f"{KEY}.Status")
        elif text(status) != "enabled":
            yield fail(f"{KEY}.Status is {show(status)}: automatic backups are off", branch=branch,
                       at=at_key(policy, "Status") or at_key(values, KEY), key=f"{KEY}.Status")
